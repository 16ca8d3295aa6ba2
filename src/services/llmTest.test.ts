import { llmTestBody, parseLlmTest, testLlm } from './llmTest';
import { fakeDatasourceLookup, type FakeProxy, intelOpsSettings } from './testing/fakeDatasources';

const PROXY = '/api/datasources/proxy/uid/ds/engine/api/v1/llm/test';
const VALUES = { llmBaseUrl: ' http://ollama:11434/v1 ', llmModel: 'llama3.1' };

function engine(reply: FakeProxy) {
  return fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
}

describe('llmTestBody', () => {
  it('sends the typed values, trimmed, and leaves empty ones to the saved settings', () => {
    expect(llmTestBody(VALUES)).toEqual({ baseUrl: 'http://ollama:11434/v1', model: 'llama3.1' });
    expect(llmTestBody({ llmBaseUrl: '', llmModel: '  ' })).toEqual({});
  });
});

describe('parseLlmTest', () => {
  it('reads an answer and a failure as the engine sends them', () => {
    expect(parseLlmTest({ ok: true, model: 'llama3.1', latencyMs: 412, reply: 'OK' })).toEqual({
      state: 'answered',
      model: 'llama3.1',
      latencyMs: 412,
      reply: 'OK',
    });
    expect(
      parseLlmTest({ ok: false, model: 'gpt-4o', latencyMs: 30, error: 'LLM endpoint answered HTTP 401' })
    ).toEqual({
      state: 'failed',
      model: 'gpt-4o',
      latencyMs: 30,
      error: 'LLM endpoint answered HTTP 401',
    });
  });

  it('refuses a body that is not the engine’s', () => {
    expect(() => parseLlmTest({ status: 'ok' })).toThrow(/llm\/test/);
    expect(() => parseLlmTest({ ok: true, latencyMs: 3 })).toThrow(/no model/);
  });
});

describe('testLlm', () => {
  it('POSTs the form’s values through the datasource and reports the answer', async () => {
    const lookup = engine({ status: 200, data: { ok: true, model: 'llama3.1', latencyMs: 412, reply: 'OK' } });
    const result = await testLlm(lookup, VALUES);
    expect(result).toMatchObject({ state: 'ok', value: { state: 'answered', latencyMs: 412 } });
    expect(lookup.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', PROXY, { baseUrl: 'http://ollama:11434/v1', model: 'llama3.1' }],
    ]);
  });

  it('says there is nothing to test on a 409, with the engine’s words', async () => {
    const message = 'Nothing to test. No LLM is configured: set its base URL and model in the settings';
    const lookup = engine({ status: 409, data: { statusCode: 409, error: 'Conflict', message } });
    expect(await testLlm(lookup, { llmBaseUrl: '', llmModel: '' })).toMatchObject({
      state: 'ok',
      value: { state: 'unconfigured', message },
    });
  });

  it('does not send a URL the engine would refuse, and reports one it refused', async () => {
    const lookup = engine({
      status: 400,
      data: { statusCode: 400, error: 'Bad Request', message: 'body/baseUrl must match format "uri"' },
    });
    const unsent = await testLlm(lookup, { llmBaseUrl: 'ollama:11434', llmModel: '' });
    expect(unsent).toMatchObject({ state: 'ok', value: { state: 'refused' } });
    expect(unsent.state === 'ok' && unsent.value.state === 'refused' && unsent.value.message).toMatch(
      /^Fix the LLM base URL first: Start the URL with http:\/\//
    );
    expect(lookup.requests).toHaveLength(0);
    expect(await testLlm(lookup, { llmBaseUrl: 'http://ollama:11434/v1/{m}', llmModel: '' })).toMatchObject({
      state: 'ok',
      value: { state: 'refused', message: 'The engine refused the values: body/baseUrl must match format "uri"' },
    });
  });

  it('says in words when the engine cannot be reached', async () => {
    const result = await testLlm(engine({ status: 502, data: 'Bad Gateway' }), VALUES);
    expect(result).toMatchObject({ state: 'failed' });
    expect(result.state === 'failed' && result.message).toMatch(/could not reach the engine at http:\/\/engine:8686/);
  });
});
