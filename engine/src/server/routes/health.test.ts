import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readJson } from '../../testing/http.ts';

describe('health, readiness and metrics', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine.stop();
  });

  it('GET /healthz answers ok without a token', async () => {
    const response = await engine.request('/healthz', { token: null });
    assert.equal(response.status, 200);
    assert.deepEqual(await readJson(response), { status: 'ok' });
  });

  it('GET /readyz answers 200 when the store answers', async () => {
    const response = await engine.request('/readyz', { token: null });
    assert.equal(response.status, 200);
    assert.deepEqual(await readJson(response), { status: 'ready', store: 'pglite' });
  });

  it('GET /metrics serves Prometheus text with process metrics and request durations by route pattern', async () => {
    await engine.request('/api/v1/status');
    await engine.request('/api/v1/no/such/thing-12345');
    await engine.request('/healthz?probe=abc');
    const response = await engine.request('/metrics', { token: null });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.match(text, /^process_cpu_user_seconds_total \d/m);
    assert.match(text, /^nodejs_heap_size_used_bytes \d/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/status",status_code="200"\} 1$/m);
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+$/m);
    // Unmatched URLs share one series, so scanners cannot blow up the label set.
    assert.match(text, /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m);
    assert.doesNotMatch(text, /thing-12345|probe=abc/);
  });
});

describe('readiness when the store is gone', () => {
  it('GET /readyz answers 503 with the reason', async () => {
    const engine = await startEngine();
    try {
      await engine.engine.store.close();
      const response = await engine.request('/readyz', { token: null });
      assert.equal(response.status, 503);
      const body = await readJson(response);
      assert.equal(body.status, 'unavailable');
      assert.match(String(body.message), /^The pglite store did not answer: /);
    } finally {
      await engine.stop();
    }
  });
});
