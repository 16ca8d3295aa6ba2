import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';

const KEY = 'sk-test-llm-key-0123456789';
const TIMEOUT_MS = 400;

function post(engine: RunningEngine, json?: unknown) {
  return engine.request('/api/v1/llm/test', json === undefined ? { method: 'POST' } : { method: 'POST', json });
}

describe('POST /api/v1/llm/test', () => {
  let llm: OpenAiServer;
  let other: OpenAiServer;
  let engine: RunningEngine;
  before(async () => {
    llm = await startOpenAiServer();
    other = await startOpenAiServer();
    engine = await startEngine({
      llm: testLlmConfig(llm.baseUrl, { model: 'configured-model', apiKey: KEY, timeoutMs: TIMEOUT_MS, tokenBudget: 8000 }),
    });
  });
  after(async () => {
    await engine.stop();
    await llm.close();
    await other.close();
  });
  beforeEach(async () => {
    llm.requests.length = 0;
    other.requests.length = 0;
    await engine.request('/api/v1/settings', { json: {} });
  });

  it('sends one tiny completion to the configured LLM and answers its reply, model and latency', async () => {
    llm.enqueue({ content: '  OK  ' });
    const response = await post(engine);
    assert.equal(response.status, 200);
    const body = await readJson(response);
    assert.deepEqual({ ...body, latencyMs: typeof body.latencyMs }, {
      ok: true,
      model: 'configured-model',
      reply: 'OK',
      latencyMs: 'number',
    });
    const [request, ...more] = llm.chatRequests();
    assert.equal(more.length, 0, 'one call');
    assert.equal(request?.body['model'], 'configured-model');
    assert.equal(request?.body['max_tokens'], 16);
    assert.equal(request?.headers.authorization, `Bearer ${KEY}`);
  });

  it('tests the saved settings, and values not saved yet from the body, always with the configured key', async () => {
    await engine.request('/api/v1/settings', { json: { llm: { model: 'saved-model' } } });
    llm.enqueue({ content: 'OK' });
    assert.equal((await readJson(await post(engine))).model, 'saved-model');
    assert.equal(llm.chatRequests()[0]?.body['model'], 'saved-model');

    other.enqueue({ content: 'Sure: OK. '.repeat(40) });
    const tried = await readJson(await post(engine, { baseUrl: other.baseUrl, model: 'unsaved-model' }));
    assert.equal(tried.ok, true);
    assert.equal(tried.model, 'unsaved-model');
    assert.equal(String(tried.reply).length, 200, 'the reply is cut to 200 characters');
    assert.equal(other.chatRequests()[0]?.headers.authorization, `Bearer ${KEY}`);
    assert.equal(llm.chatRequests().length, 1, 'the saved endpoint was not called again');
    const settings = await readJson(await engine.request('/api/v1/settings'));
    assert.deepEqual(settings.llm, { model: 'saved-model', apiKeySet: true }, 'testing saves nothing');
  });

  it('asks again without max_tokens when the endpoint refuses it', async () => {
    llm.enqueue(
      {
        status: 400,
        body: {
          error: {
            message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            type: 'invalid_request_error',
            param: 'max_tokens',
            code: 'unsupported_parameter',
          },
        },
      },
      { content: 'OK' }
    );
    const body = await readJson(await post(engine));
    assert.equal(body.ok, true);
    const [first, second] = llm.chatRequests();
    assert.equal(first?.body['max_tokens'], 16);
    assert.equal(second !== undefined && 'max_tokens' in second.body, false);
  });

  it('says the endpoint refused the key (401) without ever showing the key', async () => {
    llm.enqueue({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } },
    });
    const response = await post(engine);
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(!text.includes(KEY), 'the key is not in the body');
    const body: unknown = JSON.parse(text);
    assert.deepEqual(body, {
      ok: false,
      model: 'configured-model',
      latencyMs: typeof body === 'object' && body !== null ? Reflect.get(body, 'latencyMs') : undefined,
      error: 'LLM endpoint answered HTTP 401: Incorrect API key provided: [redacted].',
    });
  });

  it('says the LLM timed out after the configured timeout', async () => {
    llm.enqueue({ content: 'OK', delayMs: TIMEOUT_MS * 5 });
    const body = await readJson(await post(engine));
    assert.equal(body.ok, false);
    assert.equal(body.error, `LLM timed out after ${TIMEOUT_MS} ms`);
    assert.ok(Number(body.latencyMs) >= TIMEOUT_MS - 50, `latency ${String(body.latencyMs)} covers the wait`);
  });

  it('says when the endpoint cannot be reached', async () => {
    const body = await readJson(await post(engine, { baseUrl: 'http://127.0.0.1:1/v1' }));
    assert.equal(body.ok, false);
    assert.match(String(body.error), /^LLM endpoint unreachable: /);
  });

  it('refuses a URL that is not http(s) and a key in the body: the key only comes from the engine', async () => {
    const scheme = await readError(await post(engine, { baseUrl: 'ftp://llm.example/v1' }));
    assert.equal(scheme.statusCode, 400);
    assert.match(scheme.message, /^body\/baseUrl must match pattern/);
    const key = await readError(await post(engine, { apiKey: 'sk-from-the-browser' }));
    assert.equal(key.statusCode, 400);
    assert.match(key.message, /^body has unknown property "apiKey" \(allowed: baseUrl, model\)/);
    assert.equal(llm.chatRequests().length, 0);
  });

  it('never logs the key', () => {
    assert.ok(engine.logs.text().includes('LLM test call'), 'the calls are logged');
    assert.ok(!engine.logs.text().includes(KEY), 'but not the key');
  });
});

describe('POST /api/v1/llm/test without an LLM', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine.stop();
  });

  it('answers 409 saying how to configure one', async () => {
    const none = await readError(await post(engine));
    assert.equal(none.statusCode, 409);
    assert.match(none.message, /^Nothing to test\. No LLM is configured: set its base URL and model in the settings/);
    const noModel = await readError(await post(engine, { baseUrl: 'https://llm.example/v1' }));
    assert.equal(noModel.statusCode, 409);
    assert.match(noModel.message, /No LLM model is set for https:\/\/llm\.example: set it in the settings/);
  });
});
