import { type DataSourceInstanceSettings, PluginType } from '@grafana/data';
import { PLUGIN_INFO } from '../../testing/pluginMeta';
import type { IntelOpsOptions } from '../types';

/** Instance settings as Grafana hands them to the datasource in proxy mode. */
export function intelOpsSettings(
  uid: string,
  name: string,
  engineUrl?: string,
  url = `/api/datasources/proxy/uid/${uid}`
): DataSourceInstanceSettings<IntelOpsOptions> {
  return {
    id: 1,
    uid,
    type: 'intelops-aiops-datasource',
    name,
    access: 'proxy',
    url,
    readOnly: false,
    jsonData: { engineUrl },
    meta: {
      id: 'intelops-aiops-datasource',
      name: 'IntelOps engine',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: PLUGIN_INFO,
    },
  };
}
