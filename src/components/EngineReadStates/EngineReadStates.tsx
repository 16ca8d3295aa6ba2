import React from 'react';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { datasourceSettingsUrl, type EngineDatasource, NEW_DATASOURCE_URL } from '../../services/engineConnection';
import { prefixRoute } from '../../utils/utils.routing';

/** A page part waiting for the engine, saying what it loads. */
export function EngineLoading({ testId, text }: { testId: string; text: string }) {
  return (
    <div data-testid={testId}>
      <LoadingPlaceholder text={text} />
    </div>
  );
}

/** No IntelOps datasource exists: why one is needed, and the way to add it. */
export function NoDatasourceAlert({ children }: { children: React.ReactNode }) {
  return (
    <Alert severity="info" title="No IntelOps datasource yet">
      <Stack direction="column" gap={1} alignItems="flex-start">
        <span>{children}</span>
        <LinkButton href={NEW_DATASOURCE_URL} variant="primary" size="sm">
          Add the IntelOps datasource
        </LinkButton>
      </Stack>
    </Alert>
  );
}

interface ReadErrorProps {
  title: string;
  message: string;
  datasource?: EngineDatasource;
  onRetry: () => void;
  /** Further actions after "Try again" and "Datasource settings". */
  children?: React.ReactNode;
}

/** A failed read from the engine: the sentence saying why, a retry and the datasource's settings. */
export function ReadErrorAlert({ title, message, datasource, onRetry, children }: ReadErrorProps) {
  return (
    <Alert severity="error" title={title}>
      <Stack direction="column" gap={1} alignItems="flex-start">
        <span>{message}</span>
        <Stack direction="row" gap={1}>
          <Button variant="secondary" size="sm" icon="sync" onClick={onRetry}>
            Try again
          </Button>
          {datasource && (
            <LinkButton href={datasourceSettingsUrl(datasource.uid)} variant="secondary" size="sm">
              Datasource settings
            </LinkButton>
          )}
          {children}
        </Stack>
      </Stack>
    </Alert>
  );
}

interface PageReadProblemProps {
  view: { phase: 'no-datasource' } | { phase: 'error'; message: string; datasource?: EngineDatasource };
  testId: string;
  /** Why the page needs a datasource: "Agent runs are read from the engine through an IntelOps datasource". */
  needs: string;
  /** The failed read's title: "Could not load the agent runs". */
  title: string;
  onRetry: () => void;
}

/** A page whose read found no IntelOps datasource (how to add one) or failed (why, a retry, the engine connection). */
export function PageReadProblem({ view, testId, needs, title, onRetry }: PageReadProblemProps) {
  return (
    <div data-testid={testId}>
      {view.phase === 'no-datasource' ? (
        <NoDatasourceAlert>
          {needs}: add one with the engine URL and token, or provision it from provisioning/datasources/intelops.yaml.
        </NoDatasourceAlert>
      ) : (
        <ReadErrorAlert title={title} message={view.message} datasource={view.datasource} onRetry={onRetry}>
          <LinkButton href={prefixRoute(ROUTES.Settings)} variant="secondary" size="sm" icon="cog">
            Check the engine connection
          </LinkButton>
        </ReadErrorAlert>
      )}
    </div>
  );
}

/** The page's last refresh failed (`message` says why): what shows, `what`, is from before it. */
export function RefreshFailedAlert({ what, message }: { what: string; message: string | undefined }) {
  return message ? (
    <Alert severity="warning" title={`The last refresh failed: showing ${what} from before`}>
      {message}
    </Alert>
  ) : null;
}
