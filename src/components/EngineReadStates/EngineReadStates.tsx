import React from 'react';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { datasourceSettingsUrl, type EngineDatasource, NEW_DATASOURCE_URL } from '../../services/engineConnection';

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
