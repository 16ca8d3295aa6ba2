import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { Stack, Text } from '@grafana/ui';
import { EngineConnection } from '../../components/EngineConnection/EngineConnection';
import { testIds } from '../../components/testIds';

export default function Settings() {
  return (
    <PluginPage subTitle="How Grafana reaches the IntelOps engine">
      <div data-testid={testIds.pages.settings}>
        <Stack direction="column" gap={3}>
          <EngineConnection />
          <Text element="p" color="secondary">
            The engine URL and its API token live in the IntelOps datasource: Grafana&apos;s server keeps the token and
            adds it to every request it forwards to the engine, so it never reaches the browser.
          </Text>
        </Stack>
      </div>
    </PluginPage>
  );
}
