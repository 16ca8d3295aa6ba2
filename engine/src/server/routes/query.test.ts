import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { serveLokiEntries } from '../../testing/fakeLoki.ts';
import { MINUTE, SHOP_T as T, shopLogs } from '../../testing/shopLogs.ts';
import { readError, readJson } from '../../testing/http.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';

interface TemplateRow {
  id: string;
  template: string;
  count: number;
  baselineCount: number;
  change: string;
  logql: string;
  series: Array<[number, number]>;
}

describe('POST /api/v1/query/log-templates', () => {
  let engine: RunningEngine;
  let loki: ReplayServer;
  const body = { selector: '{service_name="checkout"}', from: String(T), to: String(T + 30 * MINUTE), baselineFrom: String(T - 60 * MINUTE) };
  const templates = async () => {
    const response = await engine.request('/api/v1/query/log-templates', { method: 'POST', json: body });
    assert.equal(response.status, 200, await response.clone().text());
    return (await readJson(response)).templates as TemplateRow[];
  };

  before(async () => {
    loki = await startReplayServer();
    serveLokiEntries(loki, shopLogs());
    engine = await startEngine();
    const saved = await engine.request('/api/v1/settings', { json: { loki: { url: loki.url } } });
    assert.equal(saved.status, 200);
  });
  after(async () => {
    await engine.stop();
    await loki.close();
  });

  it('finds the new error template and the spike, and leaves steady traffic steady', async () => {
    const rows = await templates();
    const byChange = (change: string) => rows.filter((row) => row.change === change).map((row) => row.template);
    assert.deepEqual(byChange('new'), ['[http] Payments: payment gateway timeout after <*>']);
    assert.deepEqual(byChange('spiking'), ['retrying call to inventory']);
    const steady = rows.find((row) => row.change === 'steady');
    assert.equal(steady?.template, '[http] Cart: GET <*> served in <*>');
    const fresh = rows.find((row) => row.change === 'new');
    assert.equal(fresh?.count, 20);
    assert.equal(fresh?.baselineCount, 0);
    assert.equal(fresh?.series.reduce((sum, [, n]) => sum + n, 0), 20);
    assert.equal(fresh?.logql, String.raw`{service_name="checkout"} |~ "\\[http\\]\\s+Payments:\\s+payment\\s+gateway\\s+timeout\\s+after"`);
  });

  it('keeps template ids stable across queries and across an engine restart', async () => {
    const first = await templates();
    const second = await templates();
    assert.deepEqual(second.map((row) => row.id).sort(), first.map((row) => row.id).sort());
    const store = engine.config.store;
    const reopened = await startEngine({ store, token: engine.token });
    try {
      const again = await reopened.request('/api/v1/query/log-templates', { method: 'POST', json: body });
      const rows = (await readJson(again)).templates as TemplateRow[];
      assert.deepEqual(rows.map((row) => row.id).sort(), first.map((row) => row.id).sort());
    } finally {
      await reopened.stop();
    }
  });

  it('says what is wrong with the request', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ from: body.from, to: body.to }, 400, /selector .* or services/],
      [{ ...body, selector: 'service_name="x"' }, 400, /stream selector/],
      [{ ...body, from: body.to, to: body.from }, 400, /body\/from must be before body\/to/],
      [{ ...body, from: 'yesterday' }, 400, /body\/from must be an RFC 3339 time/],
      [{ ...body, lines: 0 }, 400, /body\/lines/],
    ];
    for (const [json, status, message] of cases) {
      const response = await engine.request('/api/v1/query/log-templates', { method: 'POST', json });
      assert.equal(response.status, status);
      assert.match((await readError(response)).message, message);
    }
  });

  it('passes Loki’s own parse error back as a 400 and its outage as a 502', async () => {
    loki.on('/loki/api/v1/query_range', { status: 400, body: 'parse error at line 1, col 18: syntax error: unexpected IDENTIFIER' }, (request) =>
      (request.params.get('query') ?? '').includes('bad')
    );
    const bad = await engine.request('/api/v1/query/log-templates', { method: 'POST', json: { ...body, selector: '{service_name="x"} bad' } });
    assert.equal(bad.status, 400);
    assert.match((await readError(bad)).message, /Loki .*parse error at line 1, col 18/);
    loki.on('/loki/api/v1/query_range', { status: 500, body: 'too many outstanding requests' }, (request) =>
      (request.params.get('query') ?? '').includes('down')
    );
    const down = await engine.request('/api/v1/query/log-templates', { method: 'POST', json: { ...body, selector: '{service_name="down"}' } });
    assert.equal(down.status, 502);
    assert.match((await readError(down)).message, /too many outstanding requests/);
  });

  it('answers 409 naming the setting when Loki or Prometheus is not configured, and 401 without a token', async () => {
    const bare = await startEngine();
    try {
      const logs = await bare.request('/api/v1/query/log-templates', { method: 'POST', json: body });
      assert.equal(logs.status, 409);
      assert.match((await readError(logs)).message, /Loki is not configured: set loki.url/);
      const metrics = await bare.request('/api/v1/query/anomalies', { method: 'POST', json: { query: 'up', from: body.from, to: body.to } });
      assert.equal(metrics.status, 409);
      const anonymous = await bare.request('/api/v1/query/anomalies', { method: 'POST', json: {}, token: null });
      assert.equal(anonymous.status, 401);
    } finally {
      await bare.stop();
    }
  });
});
