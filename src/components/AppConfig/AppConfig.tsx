import React from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { LinkButton, Stack, Text } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { EngineConnection } from '../EngineConnection/EngineConnection';
import { testIds } from '../testIds';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta> {}

/** The app's configuration page: the app has no settings of its own, the engine connection lives in the datasource. */
const AppConfig = ({ plugin }: AppConfigProps) => (
  <div data-testid={testIds.appConfig.container}>
    <Stack direction="column" gap={3}>
      <Text element="p">
        IntelOps reaches its engine through the IntelOps datasource, which holds the engine URL and API token. Enable
        the app, add or provision that datasource, then check the connection here.
      </Text>
      {plugin.meta.enabled ? (
        <EngineConnection />
      ) : (
        <Text element="p" color="secondary">
          Enable the app to check the engine connection.
        </Text>
      )}
      {plugin.meta.enabled && (
        <div>
          <LinkButton href={prefixRoute(ROUTES.Incidents)} variant="secondary">
            Open IntelOps
          </LinkButton>
        </div>
      )}
    </Stack>
  </div>
);

export default AppConfig;
