import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { readError } from '../testing/http.ts';
import { formatValidationError } from './errors.ts';

describe('error replies', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ bodyLimitBytes: 4096 });
  });
  after(async () => {
    await engine.stop();
  });

  it('answers malformed JSON with 400 saying the body is not valid JSON', async () => {
    const response = await engine.request('/api/v1/settings', { rawJson: '{"prometheus": {"url": ' });
    assert.equal(response.status, 400);
    assert.deepEqual(await readError(response), {
      statusCode: 400,
      error: 'Bad Request',
      message: 'Request body is not valid JSON (the Content-Type says application/json)',
    });
  });

  it('answers a NUL character, which PostgreSQL cannot store, with 400 naming where it is', async () => {
    const response = await engine.request('/api/v1/settings', { method: 'PUT', json: { loki: { url: 'http://loki:3100', tenant: 'a\u0000b' } } });
    assert.equal(response.status, 400);
    assert.match((await readError(response)).message, /^body\/loki\/tenant must not contain the NUL character/);
    const settings = await engine.request('/api/v1/settings');
    assert.equal(settings.status, 200, 'the engine still answers');
  });

  it('answers an empty JSON body with 400', async () => {
    const response = await engine.request('/api/v1/settings', { rawJson: '' });
    assert.equal(response.status, 400);
    assert.match((await readError(response)).message, /empty/);
  });

  it('names the field that fails its schema', async () => {
    const cases: Array<[unknown, string]> = [
      [{ prometheus: { url: 'ftp://prometheus:9090' } }, 'body/prometheus/url must match pattern "^https?://"'],
      [{ loki: { url: 'http://loki:3100', tenant: 42 } }, 'body/loki/tenant must be string'],
      [{ llm: 'gpt' }, 'body/llm must be object'],
      [[], 'body must be object'],
    ];
    for (const [json, message] of cases) {
      const response = await engine.request('/api/v1/settings', { json });
      assert.equal(response.status, 400, JSON.stringify(json));
      assert.deepEqual(await readError(response), { statusCode: 400, error: 'Bad Request', message });
    }
  });

  it('names an unknown key and the keys allowed there', async () => {
    const nested = await engine.request('/api/v1/settings', { json: { prometheus: { ulr: 'http://prometheus:9090' } } });
    assert.equal(nested.status, 400);
    assert.equal((await readError(nested)).message, 'body/prometheus has unknown property "ulr" (allowed: url)');
    const top = await engine.request('/api/v1/settings', { json: { graphana: {} } });
    assert.equal((await readError(top)).message, 'body has unknown property "graphana" (allowed: prometheus, loki, tempo, alertmanager, grafana, llm, grouping, goldenSignals, alertMappings, evals)');
  });

  it('answers a body over the limit with 413 naming the limit', async () => {
    const response = await engine.request('/api/v1/settings', { json: { llm: { model: 'x'.repeat(5000) } } });
    assert.equal(response.status, 413);
    assert.deepEqual(await readError(response), {
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is larger than the limit of 4096 bytes',
    });
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await fetch(`${engine.url}/api/v1/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/xml' },
      body: '<settings/>',
    });
    assert.equal(response.status, 415);
    assert.equal((await readError(response)).error, 'Unsupported Media Type');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await engine.request('/nowhere?x=1', { token: null });
    assert.equal(response.status, 404);
    assert.deepEqual(await readError(response), {
      statusCode: 404,
      error: 'Not Found',
      message: 'No route for GET /nowhere; see GET /openapi.json for the API',
    });
  });

  it('answers a failure inside the engine with 500 and keeps the details in the log', async () => {
    const broken = await startEngine();
    try {
      // A closed store makes every query fail the way a lost database would.
      await broken.engine.store.close();
      const response = await broken.request('/api/v1/settings');
      assert.equal(response.status, 500);
      const body = await readError(response);
      assert.equal(body.error, 'Internal Server Error');
      assert.match(body.message, /^Internal server error; the engine log has the details \(request id req-\w+\)$/);
      const failure = broken.logs.entries().find((entry) => entry.msg === 'request failed');
      assert.ok(failure, 'the failure is logged');
      assert.ok(JSON.stringify(failure.err).length > 20, 'with the error');
    } finally {
      await broken.stop();
    }
  });
});

describe('formatValidationError', () => {
  it('falls back to the Ajv message after the path', () => {
    const error = formatValidationError([{ keyword: 'required', instancePath: '/llm', schemaPath: '#/required', params: { missingProperty: 'model' }, message: "must have required property 'model'" }], 'body');
    assert.equal(error.message, "body/llm must have required property 'model'");
  });
});
