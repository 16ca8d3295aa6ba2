import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readJson } from '../../testing/http.ts';

describe('GET /api/v1/status', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine.stop();
  });

  it('reports the version from package.json, the API version, the store kind and uptime', async () => {
    const before = Date.now();
    const response = await engine.request('/api/v1/status');
    assert.equal(response.status, 200);
    const body = await readJson(response);
    const packageJson: unknown = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    assert.equal(body.version, Object(packageJson).version);
    assert.equal(body.apiVersion, 1);
    assert.equal(body.store, 'pglite');
    const startedAt = Date.parse(String(body.startedAt));
    assert.ok(startedAt <= before && before - startedAt < 60_000, `startedAt ${String(body.startedAt)}`);
    assert.ok(Number.isInteger(body.uptimeSeconds) && Number(body.uptimeSeconds) >= 0);
    assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'startedAt', 'store', 'uptimeSeconds', 'version']);
  });
});
