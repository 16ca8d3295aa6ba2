import React, { useEffect, useState } from 'react';
import { getDataSourceSrv } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack, Text } from '@grafana/ui';
import {
  checkAllDatasources,
  type ConnectionResult,
  type DatasourceLookup,
  datasourceSettingsUrl,
} from '../../services/engineConnection';
import { NoDatasourceAlert } from '../EngineReadStates/EngineReadStates';
import { testIds } from '../testIds';

type View = { phase: 'checking' } | { phase: 'no-datasource' } | { phase: 'done'; results: ConnectionResult[] };

interface Props {
  /** Grafana's DataSourceSrv unless a test passes its own. */
  lookup?: DatasourceLookup;
}

/** Live check of every IntelOps datasource: the same GET /api/v1/status through the data proxy as "Save & test". */
export function EngineConnection({ lookup }: Props) {
  const [view, setView] = useState<View>({ phase: 'checking' });
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    // getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    checkAllDatasources(lookup ?? getDataSourceSrv()).then((results) => {
      if (current) {
        setView(results.length === 0 ? { phase: 'no-datasource' } : { phase: 'done', results });
      }
    });
    return () => {
      current = false;
    };
  }, [lookup, round]);

  const checkAgain = () => {
    setView({ phase: 'checking' });
    setRound((n) => n + 1);
  };

  return (
    <section aria-labelledby="intelops-engine-connection" data-testid={testIds.engineConnection.container}>
      <Stack direction="column" gap={2}>
        <Text element="h3" id="intelops-engine-connection">
          Engine connection
        </Text>
        <div data-testid={testIds.engineConnection.status} aria-live="polite">
          <ConnectionStatus view={view} />
        </div>
        {view.phase !== 'checking' && (
          <div>
            <Button variant="secondary" icon="sync" onClick={checkAgain} data-testid={testIds.engineConnection.recheck}>
              Check again
            </Button>
          </div>
        )}
      </Stack>
    </section>
  );
}

function ConnectionStatus({ view }: { view: View }) {
  if (view.phase === 'checking') {
    return <LoadingPlaceholder text="Checking the connection to the IntelOps engine…" />;
  }
  if (view.phase === 'no-datasource') {
    return (
      <NoDatasourceAlert>
        The app reaches the engine through an IntelOps datasource: add one with the engine URL and token, or provision
        it from provisioning/datasources/intelops.yaml.
      </NoDatasourceAlert>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      {view.results.map((result) => (
        <Alert
          key={result.datasource.uid}
          severity={result.state === 'connected' ? 'success' : 'error'}
          title={`${result.datasource.name}${result.datasource.engineUrl ? ` → ${result.datasource.engineUrl}` : ''}`}
        >
          <Stack direction="column" gap={1} alignItems="flex-start">
            <span>{result.message}</span>
            <LinkButton href={datasourceSettingsUrl(result.datasource.uid)} variant="secondary" size="sm">
              Datasource settings
            </LinkButton>
          </Stack>
        </Alert>
      ))}
    </Stack>
  );
}
