import React, { useCallback, useMemo } from 'react';
import { getDataSourceSrv, PluginPage } from '@grafana/runtime';
import { Stack, Text } from '@grafana/ui';
import { EngineConnection } from '../../components/EngineConnection/EngineConnection';
import { SourceSettings } from '../../components/SourceSettings/SourceSettings';
import { testIds } from '../../components/testIds';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { SourceField } from '../../services/engineSettings';
import { useLlmTest } from './useLlmTest';
import { useSourceSettings } from './useSourceSettings';

interface Props {
  /** Grafana's DataSourceSrv unless a test or the browser harness passes its own. */
  lookup?: DatasourceLookup;
}

export default function Settings({ lookup }: Props) {
  // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const datasources = useMemo(() => lookup ?? getDataSourceSrv(), [lookup]);
  const sources = useSourceSettings(datasources);
  const llmTest = useLlmTest(datasources);
  const { edit } = sources;
  const { reset: resetLlmTest, run: runLlmTest } = llmTest;
  // A result is about the values tested: editing them clears it.
  const onChange = useCallback(
    (field: SourceField, value: string) => {
      if (field === 'llmBaseUrl' || field === 'llmModel') {
        resetLlmTest();
      }
      edit(field, value);
    },
    [edit, resetLlmTest]
  );
  const values = sources.view.phase === 'loaded' ? sources.view.values : undefined;
  const onTestLlm = useCallback(() => {
    if (values) {
      runLlmTest(values);
    }
  }, [values, runLlmTest]);

  return (
    <PluginPage subTitle="How Grafana reaches the IntelOps engine, and what the engine reads">
      <div data-testid={testIds.pages.settings}>
        <Stack direction="column" gap={4}>
          <Stack direction="column" gap={2}>
            <EngineConnection lookup={datasources} />
            <Text element="p" color="secondary">
              The engine URL and its API token live in the IntelOps datasource: Grafana&apos;s server keeps the token
              and adds it to every request it forwards to the engine, so it never reaches the browser.
            </Text>
          </Stack>
          <SourceSettings
            view={sources.view}
            onChange={onChange}
            onSave={sources.save}
            onReload={sources.reload}
            llmTest={llmTest.view}
            onTestLlm={onTestLlm}
          />
        </Stack>
      </div>
    </PluginPage>
  );
}
