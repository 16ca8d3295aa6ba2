import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseEngineSettings } from '../../services/engineSettings';
import { engineSettingsJson } from '../../services/testing/engineSettingsJson';
import type { LlmTestView } from '../../pages/Settings/useLlmTest';
import type { SaveState, SourceSettingsView } from '../../pages/Settings/useSourceSettings';
import type { LlmTestOutcome } from '../../services/llmTest';
import { testIds } from '../testIds';
import { SourceSettings } from './SourceSettings';

const settings = parseEngineSettings(engineSettingsJson());

function loaded(patch: Partial<Extract<SourceSettingsView, { phase: 'loaded' }>> = {}): SourceSettingsView {
  return { phase: 'loaded', settings, values: settings.values, fieldErrors: {}, save: { state: 'idle' }, ...patch };
}

function renderView(view: SourceSettingsView, llmTest: LlmTestView = { phase: 'idle' }) {
  const calls = { change: jest.fn(), save: jest.fn(), reload: jest.fn(), test: jest.fn() };
  render(
    <SourceSettings
      view={view}
      onChange={calls.change}
      onSave={calls.save}
      onReload={calls.reload}
      llmTest={llmTest}
      onTestLlm={calls.test}
    />
  );
  return calls;
}

const DATASOURCE = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };

function tested(value: LlmTestOutcome): LlmTestView {
  return { phase: 'done', result: { state: 'ok', value, datasource: DATASOURCE } };
}

describe('SourceSettings', () => {
  it('says what it loads, and why loading failed with a retry', async () => {
    renderView({ phase: 'loading' });
    expect(screen.getByTestId(testIds.sourceSettings.loading)).toHaveTextContent("Loading the engine's settings…");

    const { reload } = renderView({
      phase: 'error',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
      datasource: { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' },
    });
    expect(screen.getByText("Could not load the engine's settings")).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Datasource settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/ds'
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('shows each field under its label, in sections with headings that say where credentials come from', () => {
    renderView(loaded());
    expect(screen.getByRole('heading', { level: 3, name: 'Engine settings' })).toBeInTheDocument();
    const sources = screen.getByRole('region', { name: 'Data sources' });
    expect(within(sources).getByLabelText(/^Prometheus URL/)).toHaveValue('http://prometheus:9090');
    expect(within(sources).getByLabelText(/^Loki URL/)).toHaveValue('');
    expect(within(sources).getByLabelText(/^Loki URL/)).toHaveAttribute('placeholder', 'http://loki:3100');
    expect(within(sources).getByLabelText(/^Loki tenant \(X-Scope-OrgID\)/)).toHaveValue('');
    expect(within(sources).getByLabelText(/^Tempo URL/)).toHaveValue('http://tempo:3200');
    expect(sources).toHaveTextContent('INTELOPS_PROMETHEUS_AUTH');

    const llm = screen.getByRole('region', { name: 'LLM' });
    expect(within(llm).getByLabelText(/^LLM base URL/)).toHaveValue('http://ollama:11434/v1');
    expect(within(llm).getByLabelText(/^Model/)).toHaveValue('llama3.1');
    expect(llm).toHaveTextContent('Without an LLM it answers with its deterministic ranking of the evidence.');
    expect(llm).toHaveTextContent('override INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL');

    const changes = screen.getByRole('region', { name: 'Change annotations' });
    expect(within(changes).getByLabelText(/^Grafana URL/)).toHaveValue('');
    expect(within(changes).getByLabelText(/^Grafana URL/)).toHaveAttribute('placeholder', 'http://grafana:3000');
    expect(within(changes).getByLabelText(/^Change tag/)).toHaveAttribute('placeholder', 'deploy');
    // Grafana's Field puts the description inside the label.
    expect(within(changes).getByLabelText(/^Change tag.*needs a service:<name> tag/)).toHaveValue('');
    expect(changes).toHaveTextContent('INTELOPS_GRAFANA_TOKEN');
  });

  it('says whether the engine has an LLM API key, without a field for it', () => {
    renderView(loaded());
    expect(screen.getByTestId(testIds.sourceSettings.llmApiKey)).toHaveTextContent(
      /^API key: not set\..*INTELOPS_LLM_API_KEY/
    );
    expect(screen.queryByLabelText(/API key/)).not.toBeInTheDocument();
  });

  it('says the key is set when the engine has one', () => {
    renderView(loaded({ settings: { ...settings, apiKeySet: true } }));
    expect(screen.getByTestId(testIds.sourceSettings.llmApiKey)).toHaveTextContent(
      "API key: set in the engine's environment (INTELOPS_LLM_API_KEY)."
    );
  });

  it('enables Save only for a change, and reports edits and submits', async () => {
    const unchanged = renderView(loaded());
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeDisabled();
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.lokiUrl), 'h');
    expect(unchanged.change).toHaveBeenCalledWith('lokiUrl', 'h');
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.grafanaChangeTag), 'r');
    expect(unchanged.change).toHaveBeenCalledWith('grafanaChangeTag', 'r');
  });

  it('submits a changed form with the button or Enter', async () => {
    const calls = renderView(loaded({ values: { ...settings.values, lokiUrl: 'http://loki:3100' } }));
    const save = screen.getByTestId(testIds.sourceSettings.save);
    expect(save).toBeEnabled();
    await userEvent.click(save);
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.lokiUrl), '{Enter}');
    expect(calls.save).toHaveBeenCalledTimes(2);
  });

  it('disables the form while saving', () => {
    renderView(loaded({ values: { ...settings.values, lokiUrl: 'http://loki:3100' }, save: { state: 'saving' } }));
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeDisabled();
    expect(screen.getByTestId(testIds.sourceSettings.save)).toHaveTextContent('Saving…');
    expect(screen.getByTestId(testIds.sourceSettings.lokiUrl)).toBeDisabled();
    expect(screen.getByTestId(testIds.sourceSettings.llmModel)).toBeDisabled();
    expect(screen.getByTestId(testIds.sourceSettings.grafanaUrl)).toBeDisabled();
  });

  it('shows field errors on their field, and the outcome of the save', () => {
    renderView(
      loaded({
        fieldErrors: {
          tempoUrl: 'The engine refused this URL: it must match format "uri".',
          llmModel: 'Shorten the model name to at most 256 characters.',
        },
      })
    );
    const tempo = screen.getByTestId(testIds.sourceSettings.tempoUrl);
    expect(tempo).toHaveAccessibleDescription(/The engine refused this URL: it must match format "uri"\./);
    expect(screen.getByTestId(testIds.sourceSettings.llmModel)).toHaveAccessibleDescription(
      /Shorten the model name to at most 256 characters\./
    );
    expect(screen.getByTestId(testIds.sourceSettings.llmBaseUrl)).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId(testIds.sourceSettings.status)).toBeEmptyDOMElement();
  });

  it.each<[SaveState, string]>([
    [{ state: 'saved' }, 'Saved in the engine'],
    [{ state: 'refused', message: 'The engine refused the settings: body/grouping/maxHops must be <= 6' }, 'maxHops'],
    [{ state: 'failed', message: 'The engine rejected the token' }, 'Could not save the settingsThe engine rejected'],
  ])('says how the save went: %p', (save, text) => {
    renderView(loaded({ save }));
    expect(screen.getByTestId(testIds.sourceSettings.status)).toHaveTextContent(text);
  });

  it('tests the LLM from its section, says it is testing, and shows what came of it in words', async () => {
    const { test } = renderView(loaded());
    const llm = screen.getByRole('region', { name: 'LLM' });
    await userEvent.click(within(llm).getByRole('button', { name: 'Test LLM' }));
    expect(test).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId(testIds.sourceSettings.llmTestResult)).toBeEmptyDOMElement();
  });

  it('disables the button while a test runs and while saving', () => {
    renderView(loaded(), { phase: 'testing' });
    expect(screen.getByTestId(testIds.sourceSettings.llmTest)).toHaveTextContent('Testing the LLM…');
    expect(screen.getByTestId(testIds.sourceSettings.llmTest)).toBeDisabled();
  });

  it.each<[string, LlmTestView, string, RegExp]>([
    [
      'an answer with latency and model',
      tested({ state: 'answered', model: 'llama3.1', latencyMs: 412, reply: 'OK' }),
      'The LLM answered in 412 ms',
      /Model llama3\.1 replied “OK”\. Save to use these values in analyses\./,
    ],
    [
      'a failure with the reason',
      tested({ state: 'failed', model: 'gpt-4o', latencyMs: 2400, error: 'LLM endpoint answered HTTP 401: bad key' }),
      'The LLM did not answer',
      /LLM endpoint answered HTTP 401: bad key \(model gpt-4o, after 2\.4 s\)/,
    ],
    [
      'no LLM configured',
      tested({ state: 'unconfigured', message: 'Nothing to test. No LLM is configured.' }),
      'No LLM to test',
      /Nothing to test\. No LLM is configured\./,
    ],
    [
      'an engine that cannot be reached',
      { phase: 'done', result: { state: 'failed', message: 'Grafana could not reach the engine.' } },
      'Could not test the LLM',
      /Grafana could not reach the engine\./,
    ],
  ])('shows %s', (_name, view, title, text) => {
    renderView(loaded(), view);
    const result = screen.getByTestId(testIds.sourceSettings.llmTestResult);
    expect(within(result).getByText(title)).toBeInTheDocument();
    expect(result).toHaveTextContent(text);
    expect(screen.getByTestId(testIds.sourceSettings.llmTest)).toBeEnabled();
  });
});
