import { EngineRequestError } from '../datasource/engineClient';
import {
  fieldOfEngineMessage,
  hasChanges,
  loadEngineSettings,
  parseEngineSettings,
  saveSourceSettings,
  settingsBody,
  type SourceSettingsValues,
  urlProblem,
  validateSourceSettings,
} from './engineSettings';
import { engineSettingsJson } from './testing/engineSettingsJson';
import { fakeDatasourceLookup, intelOpsSettings } from './testing/fakeDatasources';

const EMPTY: SourceSettingsValues = {
  prometheusUrl: '',
  lokiUrl: '',
  lokiTenant: '',
  tempoUrl: '',
  llmBaseUrl: '',
  llmModel: '',
  grafanaUrl: '',
  grafanaChangeTag: '',
};
const PROXY = '/api/datasources/proxy/uid/ds/engine/api/v1/settings';

describe('parseEngineSettings', () => {
  it('reads the upstream, LLM and annotation fields and the key flag, and keeps the whole document', () => {
    const body = engineSettingsJson();
    const settings = parseEngineSettings(body);
    expect(settings.values).toEqual({
      ...EMPTY,
      prometheusUrl: 'http://prometheus:9090',
      tempoUrl: 'http://tempo:3200',
      llmBaseUrl: 'http://ollama:11434/v1',
      llmModel: 'llama3.1',
    });
    expect(settings.apiKeySet).toBe(false);
    expect(settings.document).toEqual(body);
    const annotated = parseEngineSettings({
      llm: { apiKeySet: true },
      grafana: { url: 'http://grafana:3000', changeTag: 'release' },
    });
    expect(annotated.apiKeySet).toBe(true);
    expect(annotated.values).toEqual({ ...EMPTY, grafanaUrl: 'http://grafana:3000', grafanaChangeTag: 'release' });
  });

  it('takes fields of the wrong type as not set, and refuses a body that is not an object', () => {
    const settings = parseEngineSettings({
      prometheus: 'http://p',
      loki: { url: 3, tenant: 'team-a' },
      tempo: null,
      llm: { model: ['gpt-4o-mini'], apiKeySet: 'yes' },
      grafana: [],
    });
    expect(settings.values).toEqual({ ...EMPTY, lokiTenant: 'team-a' });
    expect(settings.apiKeySet).toBe(false);
    expect(parseEngineSettings({}).values).toEqual(EMPTY);
    expect(() => parseEngineSettings([])).toThrow(EngineRequestError);
    expect(() => parseEngineSettings('<html>')).toThrow('the body is not a JSON object');
  });
});

describe('settingsBody', () => {
  it('changes only the fields of the form and sends every other key back as it came', () => {
    const document = engineSettingsJson();
    const body = settingsBody(document, {
      prometheusUrl: ' http://mimir:9009/prometheus ',
      lokiUrl: 'http://loki:3100',
      lokiTenant: 'team-a',
      tempoUrl: 'http://tempo:3200',
      llmBaseUrl: 'https://api.openai.com/v1',
      llmModel: ' gpt-4o-mini ',
      grafanaUrl: 'http://grafana:3000',
      grafanaChangeTag: 'deploy',
    });
    expect(body).toEqual({
      prometheus: { url: 'http://mimir:9009/prometheus' },
      loki: { url: 'http://loki:3100', tenant: 'team-a' },
      tempo: { url: 'http://tempo:3200' },
      alertmanager: document.alertmanager,
      llm: { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
      grafana: { url: 'http://grafana:3000', changeTag: 'deploy' },
      grouping: document.grouping,
      goldenSignals: document.goldenSignals,
      alertMappings: document.alertMappings,
    });
    // The loaded document itself is left alone: a failed save can be retried from it.
    expect(document.llm.apiKeySet).toBe(false);
  });

  it('leaves out an emptied field, and a section left with nothing in it', () => {
    const document = {
      prometheus: { url: 'http://p:9090' },
      loki: { url: 'http://l:3100', tenant: 't' },
      llm: { baseUrl: 'http://ollama:11434/v1', model: 'llama3.1', apiKeySet: true },
      grafana: { url: 'http://grafana:3000', changeTag: 'release' },
    };
    expect(settingsBody(document, { ...EMPTY, lokiTenant: 't', llmModel: 'llama3.1', grafanaChangeTag: ' ' })).toEqual({
      loki: { tenant: 't' },
      llm: { model: 'llama3.1' },
    });
    expect(settingsBody(document, EMPTY)).toEqual({});
  });

  it('keeps keys of a section it does not edit, and drops an llm section holding only the read-only flag', () => {
    const document = {
      tempo: { url: 'http://t:3200', future: true },
      llm: { apiKeySet: true },
      grafana: { changeTag: 'deploy', dashboardUid: 'abc' },
    };
    expect(settingsBody(document, EMPTY)).toEqual({ tempo: { future: true }, grafana: { dashboardUid: 'abc' } });
    expect(settingsBody({ llm: { apiKeySet: false } }, { ...EMPTY, llmBaseUrl: 'http://vllm:8000/v1' })).toEqual({
      llm: { baseUrl: 'http://vllm:8000/v1' },
    });
  });
});

describe('hasChanges', () => {
  it('compares the fields without surrounding spaces', () => {
    const saved = { ...EMPTY, prometheusUrl: 'http://p:9090' };
    expect(hasChanges(saved, { ...saved, prometheusUrl: ' http://p:9090 ' })).toBe(false);
    expect(hasChanges(saved, { ...saved, lokiTenant: 'a' })).toBe(true);
    expect(hasChanges(saved, { ...saved, llmModel: 'gpt-4o-mini' })).toBe(true);
    expect(hasChanges(saved, { ...saved, grafanaChangeTag: '  ' })).toBe(false);
  });
});

describe('validation', () => {
  it.each([
    ['', undefined],
    ['http://prometheus:9090', undefined],
    ['https://mimir.example.com/prometheus', undefined],
    ['prometheus:9090', 'Start the URL with http:// or https://, for example http://prometheus:9090.'],
    ['ftp://prometheus', 'Start the URL with http:// or https://, for example http://prometheus:9090.'],
    ['HTTP://prometheus:9090', 'Start the URL with http:// or https://, for example http://prometheus:9090.'],
    ['http://prom etheus:9090', 'Remove the spaces: a URL cannot contain them.'],
    [
      'http://',
      'This is not a complete URL: give the host and, if needed, the port, for example http://prometheus:9090.',
    ],
    [
      'http://prometheus:99999',
      'This is not a complete URL: give the host and, if needed, the port, for example http://prometheus:9090.',
    ],
    [`http://p/${'a'.repeat(2048)}`, 'Shorten the URL to at most 2048 characters.'],
  ])('%p: %p', (url, problem) => {
    expect(urlProblem(url, 'http://prometheus:9090')).toBe(problem);
  });

  it('names each field that is wrong, with its own example', () => {
    expect(
      validateSourceSettings({
        prometheusUrl: 'http://prometheus:9090',
        lokiUrl: 'loki:3100',
        lokiTenant: 'x'.repeat(257),
        tempoUrl: 'tempo',
        llmBaseUrl: 'api.openai.com/v1',
        llmModel: 'm'.repeat(257),
        grafanaUrl: 'grafana:3000',
        grafanaChangeTag: 't'.repeat(129),
      })
    ).toEqual({
      lokiUrl: 'Start the URL with http:// or https://, for example http://loki:3100.',
      lokiTenant: 'Shorten the tenant to at most 256 characters.',
      tempoUrl: 'Start the URL with http:// or https://, for example http://tempo:3200.',
      llmBaseUrl: 'Start the URL with http:// or https://, for example http://ollama:11434/v1.',
      llmModel: 'Shorten the model name to at most 256 characters.',
      grafanaUrl: 'Start the URL with http:// or https://, for example http://grafana:3000.',
      grafanaChangeTag: 'Shorten the tag to at most 128 characters.',
    });
    // At the limits, and with surrounding spaces that are trimmed before saving, the values pass.
    expect(
      validateSourceSettings({
        ...EMPTY,
        llmBaseUrl: 'https://api.openai.com/v1',
        llmModel: ` ${'m'.repeat(256)} `,
        grafanaChangeTag: 't'.repeat(128),
      })
    ).toEqual({});
    expect(validateSourceSettings(EMPTY)).toEqual({});
  });
});

describe('fieldOfEngineMessage', () => {
  it("puts the engine's 400 on the field it names", () => {
    expect(fieldOfEngineMessage('body/prometheus/url must match format "uri"')).toEqual({
      field: 'prometheusUrl',
      message: 'The engine refused this URL: it must match format "uri".',
    });
    expect(fieldOfEngineMessage('body/loki/tenant must NOT have fewer than 1 characters')?.field).toBe('lokiTenant');
    expect(fieldOfEngineMessage('body/loki/url must match pattern "^https?://"')?.field).toBe('lokiUrl');
    expect(fieldOfEngineMessage('body/tempo/url must match format "uri"')?.field).toBe('tempoUrl');
    expect(fieldOfEngineMessage('body/llm/baseUrl must match pattern "^https?://"')).toEqual({
      field: 'llmBaseUrl',
      message: 'The engine refused this URL: it must match pattern "^https?://".',
    });
    expect(fieldOfEngineMessage('body/llm/model must NOT have more than 256 characters')).toEqual({
      field: 'llmModel',
      message: 'The engine refused this model name: it must NOT have more than 256 characters.',
    });
    expect(fieldOfEngineMessage('body/grafana/url must match format "uri"')?.field).toBe('grafanaUrl');
    expect(fieldOfEngineMessage('body/grafana/changeTag must NOT have fewer than 1 characters')).toEqual({
      field: 'grafanaChangeTag',
      message: 'The engine refused this tag: it must NOT have fewer than 1 characters.',
    });
  });

  it('names no field for other parts of the document', () => {
    expect(fieldOfEngineMessage('body/alertmanager/url must match format "uri"')).toBeUndefined();
    expect(fieldOfEngineMessage('body/loki has unknown property "tenantId" (allowed: url, tenant)')).toBeUndefined();
    expect(fieldOfEngineMessage('body/prometheus/urls must be string')).toBeUndefined();
    expect(fieldOfEngineMessage('body/llm/apiKey must NOT be present')).toBeUndefined();
    expect(fieldOfEngineMessage('body/grafana has unknown property "token" (allowed: url, changeTag)')).toBeUndefined();
  });
});

describe('loadEngineSettings and saveSourceSettings', () => {
  const settings = intelOpsSettings('ds', 'IntelOps', 'http://engine:8686');
  const values = { ...EMPTY, prometheusUrl: 'http://prometheus:9090', lokiUrl: 'http://loki:3100' };

  it('GETs the settings and PUTs the whole document back through the datasource', async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings,
        reply: (request) => ({ status: 200, data: request.method === 'PUT' ? request.data : engineSettingsJson() }),
      },
    ]);
    const loaded = await loadEngineSettings(lookup);
    if (loaded.state !== 'ok') {
      throw new Error(`load failed: ${JSON.stringify(loaded)}`);
    }
    expect(loaded.value.values.tempoUrl).toBe('http://tempo:3200');

    const saved = await saveSourceSettings(lookup, loaded.value.document, values);
    expect(saved).toMatchObject({ state: 'ok', value: { state: 'saved', settings: { values } } });
    expect(lookup.requests.map((r) => [r.method, r.url])).toEqual([
      ['GET', PROXY],
      ['PUT', PROXY],
    ]);
    expect(lookup.requests[1]?.data).toMatchObject({
      loki: { url: 'http://loki:3100' },
      grouping: { windowMinutes: 15, maxHops: 3 },
    });
    expect(lookup.requests[1]?.data).not.toHaveProperty('tempo');
    // The LLM fields were emptied in `values`: the section goes, read-only flag and all.
    expect(lookup.requests[1]?.data).not.toHaveProperty('llm');
  });

  it("puts the engine's 400 on the field it names, or says it in words when it names none", async () => {
    const refusing = (message: string) =>
      fakeDatasourceLookup([
        { settings, reply: { status: 400, data: { statusCode: 400, error: 'Bad Request', message } } },
      ]);
    await expect(
      saveSourceSettings(refusing('body/loki/url must match format "uri"'), {}, values)
    ).resolves.toMatchObject({
      state: 'ok',
      value: {
        state: 'refused',
        fieldErrors: { lokiUrl: 'The engine refused this URL: it must match format "uri".' },
      },
    });
    await expect(
      saveSourceSettings(refusing('body/grafana/changeTag must NOT have more than 128 characters'), {}, values)
    ).resolves.toMatchObject({
      state: 'ok',
      value: { state: 'refused', fieldErrors: { grafanaChangeTag: expect.stringContaining('refused this tag') } },
    });
    await expect(saveSourceSettings(refusing('body/grouping/maxHops must be <= 6'), {}, values)).resolves.toMatchObject(
      {
        state: 'ok',
        value: {
          state: 'refused',
          fieldErrors: {},
          message: 'The engine refused the settings: body/grouping/maxHops must be <= 6',
        },
      }
    );
  });

  it('says in words when the engine cannot be reached or the token is refused', async () => {
    const down = fakeDatasourceLookup([{ settings, reply: { status: 502, data: 'Bad Gateway' } }]);
    await expect(loadEngineSettings(down)).resolves.toMatchObject({
      state: 'failed',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
    });
    const locked = fakeDatasourceLookup([
      { settings, reply: { status: 401, data: { statusCode: 401, error: 'Unauthorized', message: 'bad token' } } },
    ]);
    await expect(saveSourceSettings(locked, {}, values)).resolves.toMatchObject({
      state: 'failed',
      message: 'The engine rejected the token: set the engine token in the datasource settings.',
    });
    await expect(loadEngineSettings(fakeDatasourceLookup([]))).resolves.toEqual({ state: 'no-datasource' });
  });

  it('refuses an answer that is not a settings document', async () => {
    const odd = fakeDatasourceLookup([{ settings, reply: { status: 200, data: 'ok' } }]);
    const loaded = await loadEngineSettings(odd);
    expect(loaded).toMatchObject({ state: 'failed' });
    expect(loaded.state === 'failed' && loaded.message).toContain('not as an IntelOps engine does');
  });
});
