import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readJson } from '../../testing/http.ts';

const full = {
  prometheus: { url: 'http://prometheus:9090' },
  loki: { url: 'https://loki.example.com/', tenant: 'team-a' },
  tempo: { url: 'http://tempo:3200' },
  alertmanager: { url: 'http://alertmanager:9093' },
  llm: { baseUrl: 'http://ollama:11434/v1', model: 'llama3.1' },
};

describe('GET/PUT /api/v1/settings', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ llmApiKey: 'sk-never-shown' });
  });
  after(async () => {
    await engine.stop();
  });

  it('starts empty, showing only which secrets are set', async () => {
    const response = await engine.request('/api/v1/settings');
    assert.equal(response.status, 200);
    assert.deepEqual(await readJson(response), { llm: { apiKeySet: true } });
  });

  it('stores a full document and returns it', async () => {
    const put = await engine.request('/api/v1/settings', { json: full });
    assert.equal(put.status, 200);
    const expected = { ...full, llm: { ...full.llm, apiKeySet: true } };
    assert.deepEqual(await readJson(put), expected);
    assert.deepEqual(await readJson(await engine.request('/api/v1/settings')), expected);
  });

  it('replaces the whole document: keys left out are cleared', async () => {
    await engine.request('/api/v1/settings', { json: full });
    const put = await engine.request('/api/v1/settings', { json: { tempo: { url: 'http://tempo:3200' } } });
    assert.deepEqual(await readJson(put), { tempo: { url: 'http://tempo:3200' }, llm: { apiKeySet: true } });
    const stored = await engine.engine.store.query<{ document: unknown }>('select document from settings');
    assert.deepEqual(stored.rows, [{ document: { tempo: { url: 'http://tempo:3200' } } }]);
  });

  it('accepts what GET returned, ignoring the read-only flag, and never stores or shows the secret', async () => {
    const current = await readJson(await engine.request('/api/v1/settings'));
    const put = await engine.request('/api/v1/settings', { json: { ...current, llm: { model: 'm', apiKeySet: false } } });
    assert.equal(put.status, 200);
    assert.deepEqual((await readJson(put)).llm, { model: 'm', apiKeySet: true });
    const stored = await engine.engine.store.query<{ document: unknown }>('select document::text as document from settings');
    assert.doesNotMatch(JSON.stringify(stored.rows), /apiKeySet|sk-never-shown/);
    const text = await (await engine.request('/api/v1/settings')).text();
    assert.doesNotMatch(text, /sk-never-shown/);
  });

  it('rejects a bad document and keeps the stored one', async () => {
    await engine.request('/api/v1/settings', { json: full });
    const bad = await engine.request('/api/v1/settings', { json: { ...full, alertmanager: { url: 'alertmanager:9093' } } });
    assert.equal(bad.status, 400);
    const after = await readJson(await engine.request('/api/v1/settings'));
    assert.equal(Object(after.alertmanager).url, 'http://alertmanager:9093');
  });
});

describe('settings without an LLM key', () => {
  it('reports apiKeySet false', async () => {
    const engine = await startEngine();
    try {
      assert.deepEqual(await readJson(await engine.request('/api/v1/settings')), { llm: { apiKeySet: false } });
    } finally {
      await engine.stop();
    }
  });
});
