import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { EXAMPLE_URLS, hasChanges, type SourceField } from '../../services/engineSettings';
import type { SourceSettingsView } from '../../pages/Settings/useSourceSettings';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { testIds } from '../testIds';

interface Props {
  view: SourceSettingsView;
  onChange: (field: SourceField, value: string) => void;
  onSave: () => void;
  onReload: () => void;
}

const HEADING_ID = 'intelops-source-settings';

const FIELDS: Array<{ field: SourceField; label: string; description: string; placeholder: string }> = [
  {
    field: 'prometheusUrl',
    label: 'Prometheus URL',
    description: 'Prometheus or Mimir, queried for the golden signals behind metric anomalies.',
    placeholder: EXAMPLE_URLS.prometheusUrl,
  },
  {
    field: 'lokiUrl',
    label: 'Loki URL',
    description: "Loki, read for the log lines the engine mines into templates over an incident's window.",
    placeholder: EXAMPLE_URLS.lokiUrl,
  },
  {
    field: 'lokiTenant',
    label: 'Loki tenant (X-Scope-OrgID)',
    description: 'Only for a multi-tenant Loki; leave it empty otherwise.',
    placeholder: 'team-a',
  },
  {
    field: 'tempoUrl',
    label: 'Tempo URL',
    description: 'Tempo, searched for error spans and latency shifts.',
    placeholder: EXAMPLE_URLS.tempoUrl,
  },
];

/** The upstream URLs the engine reads evidence from, saved in the engine's own settings. */
export function SourceSettings({ view, onChange, onSave, onReload }: Props) {
  return (
    <section aria-labelledby={HEADING_ID} data-testid={testIds.sourceSettings.section}>
      <Stack direction="column" gap={2}>
        <Text element="h3" id={HEADING_ID}>
          Data sources the engine reads
        </Text>
        <Text element="p" color="secondary">
          The engine itself queries these for an incident&apos;s evidence, so the URLs are the ones the engine can
          reach. Leave a URL empty to not read that source.
        </Text>
        <SourceSettingsBody view={view} onChange={onChange} onSave={onSave} onReload={onReload} />
      </Stack>
    </section>
  );
}

function SourceSettingsBody({ view, onChange, onSave, onReload }: Props) {
  const styles = useStyles2(getStyles);
  switch (view.phase) {
    case 'loading':
      return <EngineLoading testId={testIds.sourceSettings.loading} text="Loading the engine's settings…" />;
    case 'no-datasource':
      return (
        <div data-testid={testIds.sourceSettings.error}>
          <NoDatasourceAlert>
            These settings live in the engine and are saved through an IntelOps datasource: add one first.
          </NoDatasourceAlert>
        </div>
      );
    case 'error':
      return (
        <div data-testid={testIds.sourceSettings.error}>
          <ReadErrorAlert
            title="Could not load the engine's settings"
            message={view.message}
            datasource={view.datasource}
            onRetry={onReload}
          />
        </div>
      );
    case 'loaded': {
      const saving = view.save.state === 'saving';
      const changed = hasChanges(view.settings.values, view.values);
      return (
        <form
          className={styles.form}
          data-testid={testIds.sourceSettings.form}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            onSave();
          }}
        >
          {FIELDS.map(({ field, label, description, placeholder }) => (
            <Field
              key={field}
              label={label}
              description={description}
              invalid={view.fieldErrors[field] !== undefined}
              error={view.fieldErrors[field]}
            >
              <Input
                id={`intelops-source-${field}`}
                data-testid={testIds.sourceSettings[field]}
                value={view.values[field]}
                placeholder={placeholder}
                disabled={saving}
                spellCheck={false}
                autoComplete="off"
                onChange={(event) => onChange(field, event.currentTarget.value)}
              />
            </Field>
          ))}
          <Stack direction="column" gap={2} alignItems="flex-start">
            <Text element="p" color="secondary">
              Credentials are not settings: the engine takes them from its environment (INTELOPS_PROMETHEUS_AUTH,
              INTELOPS_LOKI_AUTH, INTELOPS_TEMPO_AUTH).
            </Text>
            <Button
              type="submit"
              data-testid={testIds.sourceSettings.save}
              icon={saving ? 'spinner' : undefined}
              disabled={saving || !changed}
            >
              {saving ? 'Saving…' : 'Save'}
            </Button>
            <div data-testid={testIds.sourceSettings.status} aria-live="polite" className={styles.status}>
              <SaveStatus view={view} />
            </div>
          </Stack>
        </form>
      );
    }
  }
}

function SaveStatus({ view }: { view: Extract<SourceSettingsView, { phase: 'loaded' }> }) {
  const { save } = view;
  switch (save.state) {
    case 'saved':
      return (
        <Alert severity="success" title="Saved in the engine">
          The engine uses these URLs from its next query: collect an incident&apos;s evidence again to read them.
        </Alert>
      );
    case 'refused':
      return save.message ? (
        <Alert severity="error" title="Could not save the settings">
          {save.message}
        </Alert>
      ) : null;
    case 'failed':
      return (
        <Alert severity="error" title="Could not save the settings">
          {save.message}
        </Alert>
      );
    default:
      return null;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  form: css({ maxWidth: theme.spacing(80) }),
  status: css({ width: '100%', '&:empty': { display: 'none' } }),
});
