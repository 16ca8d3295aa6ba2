import React from 'react';
import type { BackendSrvRequest } from '@grafana/runtime';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../../components/testIds';
import { ENGINE_STATUS, type FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { engineSettingsJson } from '../../services/testing/engineSettingsJson';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import Settings from './Settings';

/** The engine's settings routes as the engine answers them; `refuse` makes PUT answer 400 with that message. */
function engine(refuse?: string) {
  return fakeDatasourceLookup([
    {
      settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'),
      reply: (request: BackendSrvRequest): FakeReply => {
        if (request.url.endsWith('/api/v1/status')) {
          return { status: 200, data: ENGINE_STATUS };
        }
        if (request.url.endsWith('/api/v1/llm/test')) {
          return { status: 200, data: { ok: true, model: request.data.model, latencyMs: 412, reply: 'OK' } };
        }
        if (request.method === 'PUT') {
          return refuse
            ? { status: 400, data: { statusCode: 400, error: 'Bad Request', message: refuse } }
            : { status: 200, data: { ...request.data, llm: { ...request.data.llm, apiKeySet: false } } };
        }
        return { status: 200, data: engineSettingsJson() };
      },
    },
  ]);
}

describe('Settings page', () => {
  it('tests the LLM with the model as typed, before saving, and clears the result when it is edited', async () => {
    const lookup = engine();
    render(<Settings lookup={lookup} />);
    const model = await screen.findByTestId(testIds.sourceSettings.llmModel);
    await userEvent.clear(model);
    await userEvent.type(model, 'qwen2.5:14b');
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.llmTest));

    const result = screen.getByTestId(testIds.sourceSettings.llmTestResult);
    await waitFor(() => expect(result).toHaveTextContent('The LLM answered in 412 ms'));
    expect(result).toHaveTextContent('Model qwen2.5:14b replied “OK”.');
    const post = lookup.requests.find((request) => request.method === 'POST');
    expect(post?.url).toBe('/api/datasources/proxy/uid/ds/engine/api/v1/llm/test');
    expect(post?.data).toEqual({ baseUrl: 'http://ollama:11434/v1', model: 'qwen2.5:14b' });
    expect(lookup.requests.some((request) => request.method === 'PUT')).toBe(false);

    await userEvent.type(model, '-instruct');
    expect(result).toBeEmptyDOMElement();
  });

  it('loads the settings from the engine and saves a change, keeping the other settings', async () => {
    const lookup = engine();
    render(<Settings lookup={lookup} />);
    expect(screen.getByTestId(testIds.sourceSettings.loading)).toBeInTheDocument();
    expect(await screen.findByText('Connected to IntelOps engine 0.1.0 (store: pglite)')).toBeInTheDocument();

    const loki = await screen.findByTestId(testIds.sourceSettings.lokiUrl);
    expect(screen.getByTestId(testIds.sourceSettings.prometheusUrl)).toHaveValue('http://prometheus:9090');
    await userEvent.type(loki, 'http://loki:3100');
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.lokiTenant), 'team-a');
    const model = screen.getByTestId(testIds.sourceSettings.llmModel);
    await userEvent.clear(model);
    await userEvent.type(model, 'qwen2.5:14b');
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.grafanaUrl), 'http://grafana:3000');
    await userEvent.type(screen.getByTestId(testIds.sourceSettings.grafanaChangeTag), 'release');
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.save));

    expect(await screen.findByText('Saved in the engine')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeDisabled();
    const put = lookup.requests.find((request) => request.method === 'PUT');
    const { llm, ...rest } = engineSettingsJson();
    expect(put?.data).toEqual({
      ...rest,
      llm: { baseUrl: llm.baseUrl, model: 'qwen2.5:14b' },
      loki: { url: 'http://loki:3100', tenant: 'team-a' },
      grafana: { url: 'http://grafana:3000', changeTag: 'release' },
    });
    expect(screen.getByTestId(testIds.sourceSettings.llmApiKey)).toHaveTextContent('API key: not set.');
  });

  it('saves an emptied LLM endpoint by leaving the section out', async () => {
    const lookup = engine();
    render(<Settings lookup={lookup} />);
    await userEvent.clear(await screen.findByTestId(testIds.sourceSettings.llmBaseUrl));
    await userEvent.clear(screen.getByTestId(testIds.sourceSettings.llmModel));
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.save));

    expect(await screen.findByText('Saved in the engine')).toBeInTheDocument();
    const put = lookup.requests.find((request) => request.method === 'PUT');
    expect(put?.data).not.toHaveProperty('llm');
    expect(put?.data).toHaveProperty('grouping');
    expect(screen.getByTestId(testIds.sourceSettings.llmBaseUrl)).toHaveValue('');
  });

  it('stops a bad URL before sending it, and shows why on the field', async () => {
    const lookup = engine();
    render(<Settings lookup={lookup} />);
    const tempo = await screen.findByTestId(testIds.sourceSettings.tempoUrl);
    await userEvent.clear(tempo);
    await userEvent.type(tempo, 'tempo:3200');
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.save));

    expect(tempo).toHaveAccessibleDescription(
      /Start the URL with http:\/\/ or https:\/\/, for example http:\/\/tempo:3200\./
    );
    expect(lookup.requests.some((request) => request.method === 'PUT')).toBe(false);
  });

  it("puts the engine's 400 on the LLM base URL it names", async () => {
    render(<Settings lookup={engine('body/llm/baseUrl must match format "uri"')} />);
    const baseUrl = await screen.findByTestId(testIds.sourceSettings.llmBaseUrl);
    await userEvent.type(baseUrl, '/{{');
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.save));

    await waitFor(() =>
      expect(baseUrl).toHaveAccessibleDescription(/The engine refused this URL: it must match format "uri"\./)
    );
    expect(baseUrl).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId(testIds.sourceSettings.tempoUrl)).not.toHaveAttribute('aria-invalid', 'true');
  });

  it("puts the engine's 400 on the field it names", async () => {
    render(<Settings lookup={engine('body/tempo/url must match format "uri"')} />);
    const tempo = await screen.findByTestId(testIds.sourceSettings.tempoUrl);
    await userEvent.type(tempo, '/100%');
    await userEvent.click(screen.getByTestId(testIds.sourceSettings.save));

    await waitFor(() =>
      expect(tempo).toHaveAccessibleDescription(/The engine refused this URL: it must match format "uri"\./)
    );
    expect(tempo).toHaveValue('http://tempo:3200/100%');
    expect(screen.getByTestId(testIds.sourceSettings.save)).toBeEnabled();
  });

  it('says what failed when the engine cannot be reached', async () => {
    render(
      <Settings
        lookup={fakeDatasourceLookup([
          { settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply: { status: 502, data: '' } },
        ])}
      />
    );
    expect(await screen.findByTestId(testIds.sourceSettings.error)).toHaveTextContent(
      "Could not load the engine's settingsGrafana could not reach the engine at http://engine:8686"
    );
  });
});
