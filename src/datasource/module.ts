import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor, type IntelOpsSecrets } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { IntelOpsDataSource } from './datasource';
import type { IntelOpsOptions, IntelOpsQuery } from './types';

export const plugin = new DataSourcePlugin<IntelOpsDataSource, IntelOpsQuery, IntelOpsOptions, IntelOpsSecrets>(
  IntelOpsDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
