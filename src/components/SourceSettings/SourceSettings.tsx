import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Field, Icon, Input, Stack, Text, useStyles2 } from '@grafana/ui';
import { EXAMPLE_URLS, hasChanges, type SourceField } from '../../services/engineSettings';
import type { LlmTestView } from '../../pages/Settings/useLlmTest';
import type { SourceSettingsView } from '../../pages/Settings/useSourceSettings';
import type { EngineRead } from '../../services/incidents';
import type { LlmTestOutcome } from '../../services/llmTest';
import { EngineLoading, NoDatasourceAlert, ReadErrorAlert } from '../EngineReadStates/EngineReadStates';
import { testIds } from '../testIds';

interface Props {
  view: SourceSettingsView;
  onChange: (field: SourceField, value: string) => void;
  onSave: () => void;
  onReload: () => void;
  /** The "Test LLM" call with the LLM fields as typed. */
  llmTest: LlmTestView;
  onTestLlm: () => void;
}

const HEADING_ID = 'intelops-source-settings';

interface FieldSpec {
  field: SourceField;
  label: string;
  description: string;
  placeholder: string;
}

/** The form's sections: what the engine reads evidence from, the LLM it asks, and where it finds changes. */
interface Group {
  id: string;
  heading: string;
  description: string;
  fields: FieldSpec[];
  /** Whether the group ends with the read-only state of the LLM's API key. */
  apiKey?: boolean;
}

const GROUPS: Group[] = [
  {
    id: 'intelops-settings-sources',
    heading: 'Data sources',
    description:
      "The engine itself queries these for an incident's evidence, so the URLs are the ones the engine can reach. " +
      "Leave a URL empty to not read that source. Credentials come from the engine's environment " +
      '(INTELOPS_PROMETHEUS_AUTH, INTELOPS_LOKI_AUTH, INTELOPS_TEMPO_AUTH).',
    fields: [
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
    ],
  },
  {
    id: 'intelops-settings-llm',
    heading: 'LLM',
    description:
      "The engine asks an OpenAI-compatible LLM to reason over an incident's evidence and explain its root causes. " +
      'Without an LLM it answers with its deterministic ranking of the evidence. Values set here override ' +
      "INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL in the engine's environment; left empty, those apply.",
    fields: [
      {
        field: 'llmBaseUrl',
        label: 'LLM base URL',
        description:
          'The API base URL, before /chat/completions: https://api.openai.com/v1, or http://ollama:11434/v1 for Ollama.',
        placeholder: EXAMPLE_URLS.llmBaseUrl,
      },
      {
        field: 'llmModel',
        label: 'Model',
        description: 'The model as the endpoint names it, for example gpt-4o-mini or llama3.1.',
        placeholder: 'gpt-4o-mini',
      },
    ],
    apiKey: true,
  },
  {
    id: 'intelops-settings-changes',
    heading: 'Change annotations',
    description:
      'The engine reads Grafana annotations as the changes (deploys, config and feature flags) it relates to an ' +
      'incident, with the token INTELOPS_GRAFANA_TOKEN from its environment. Leave the URL empty to not read them.',
    fields: [
      {
        field: 'grafanaUrl',
        label: 'Grafana URL',
        description: 'The Grafana whose annotations the engine reads, as the engine reaches it.',
        placeholder: EXAMPLE_URLS.grafanaUrl,
      },
      {
        field: 'grafanaChangeTag',
        label: 'Change tag',
        description:
          'Annotations with this tag are changes; each also needs a service:<name> tag naming the service it changed. ' +
          'Empty: deploy.',
        placeholder: 'deploy',
      },
    ],
  },
];

/** What the engine reads, which LLM it asks and where it finds changes, saved in the engine's own settings. */
export function SourceSettings({ view, onChange, onSave, onReload, llmTest, onTestLlm }: Props) {
  return (
    <section aria-labelledby={HEADING_ID} data-testid={testIds.sourceSettings.section}>
      <Stack direction="column" gap={2}>
        <Text element="h3" id={HEADING_ID}>
          Engine settings
        </Text>
        <SourceSettingsBody
          view={view}
          onChange={onChange}
          onSave={onSave}
          onReload={onReload}
          llmTest={llmTest}
          onTestLlm={onTestLlm}
        />
      </Stack>
    </section>
  );
}

function SourceSettingsBody({ view, onChange, onSave, onReload, llmTest, onTestLlm }: Props) {
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
          <Stack direction="column" gap={3}>
            {GROUPS.map((group) => (
              <section key={group.id} aria-labelledby={group.id}>
                <Text element="h4" id={group.id}>
                  {group.heading}
                </Text>
                <div className={styles.groupDescription}>
                  <Text element="p" color="secondary">
                    {group.description}
                  </Text>
                </div>
                {group.fields.map((spec) => (
                  <SettingField
                    key={spec.field}
                    spec={spec}
                    value={view.values[spec.field]}
                    error={view.fieldErrors[spec.field]}
                    disabled={saving}
                    onChange={onChange}
                  />
                ))}
                {group.apiKey && <ApiKeyState set={view.settings.apiKeySet} />}
                {group.apiKey && <LlmTest view={llmTest} disabled={saving} onTest={onTestLlm} />}
              </section>
            ))}
          </Stack>
          <Stack direction="column" gap={2} alignItems="flex-start">
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

interface SettingFieldProps {
  spec: FieldSpec;
  value: string;
  error?: string;
  disabled: boolean;
  onChange: (field: SourceField, value: string) => void;
}

function SettingField({ spec, value, error, disabled, onChange }: SettingFieldProps) {
  const { field, label, description, placeholder } = spec;
  return (
    <Field label={label} description={description} invalid={error !== undefined} error={error}>
      <Input
        id={`intelops-source-${field}`}
        data-testid={testIds.sourceSettings[field]}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => onChange(field, event.currentTarget.value)}
      />
    </Field>
  );
}

/** The key is a secret of the engine's environment: the page only says whether it is there. */
function ApiKeyState({ set }: { set: boolean }) {
  return (
    <div data-testid={testIds.sourceSettings.llmApiKey}>
      <Stack direction="row" gap={1} alignItems="baseline">
        <Icon name={set ? 'lock' : 'unlock'} aria-hidden />
        <Text element="p">
          {set
            ? "API key: set in the engine's environment (INTELOPS_LLM_API_KEY). It is never shown here, nor sent from this form."
            : 'API key: not set. An endpoint that needs one (OpenAI, for example) refuses the engine until ' +
              "INTELOPS_LLM_API_KEY is set in the engine's environment; a local Ollama needs none."}
        </Text>
      </Stack>
    </div>
  );
}

/** One tiny chat completion through the engine with the URL and model as typed, so they can be tried before saving. */
function LlmTest({ view, disabled, onTest }: { view: LlmTestView; disabled: boolean; onTest: () => void }) {
  const styles = useStyles2(getStyles);
  const testing = view.phase === 'testing';
  return (
    <div className={styles.llmTest}>
      <Stack direction="column" gap={1} alignItems="flex-start">
        <Button
          type="button"
          variant="secondary"
          data-testid={testIds.sourceSettings.llmTest}
          icon={testing ? 'spinner' : 'bolt'}
          disabled={disabled || testing}
          onClick={onTest}
        >
          {testing ? 'Testing the LLM…' : 'Test LLM'}
        </Button>
        <div data-testid={testIds.sourceSettings.llmTestResult} aria-live="polite" className={styles.status}>
          {view.phase === 'done' && <LlmTestResult result={view.result} />}
        </div>
      </Stack>
    </div>
  );
}

function LlmTestResult({ result }: { result: EngineRead<LlmTestOutcome> }) {
  if (result.state === 'no-datasource') {
    return (
      <Alert severity="error" title="Could not test the LLM">
        No IntelOps datasource to send the test through.
      </Alert>
    );
  }
  if (result.state === 'failed') {
    return (
      <Alert severity="error" title="Could not test the LLM">
        {result.message}
      </Alert>
    );
  }
  const outcome = result.value;
  switch (outcome.state) {
    case 'answered':
      return (
        <Alert severity="success" title={`The LLM answered in ${formatLatency(outcome.latencyMs)}`}>
          Model {outcome.model} replied {outcome.reply === '' ? 'with an empty message' : `“${outcome.reply}”`}. Save to
          use these values in analyses.
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error" title="The LLM did not answer">
          {outcome.error}
          {outcome.model === undefined ? '' : ` (model ${outcome.model}, after ${formatLatency(outcome.latencyMs)})`}
        </Alert>
      );
    case 'unconfigured':
      return (
        <Alert severity="warning" title="No LLM to test">
          {outcome.message}
        </Alert>
      );
    case 'refused':
      return (
        <Alert severity="error" title="Could not test the LLM">
          {outcome.message}
        </Alert>
      );
  }
}

/** "412 ms", "2.4 s". */
function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function SaveStatus({ view }: { view: Extract<SourceSettingsView, { phase: 'loaded' }> }) {
  const { save } = view;
  switch (save.state) {
    case 'saved':
      return (
        <Alert severity="success" title="Saved in the engine">
          The engine uses these settings from its next request: collect an incident&apos;s evidence or analyse it again
          to apply them.
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
  groupDescription: css({ margin: theme.spacing(1, 0, 2) }),
  llmTest: css({ marginTop: theme.spacing(2) }),
});
