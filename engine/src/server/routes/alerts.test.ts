import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';

const fixture = (name: string) => readFileSync(new URL(`../../perception/alerts/payloads/fixtures/${name}`, import.meta.url), 'utf8');

const NOW = new Date('2026-11-02T08:30:00Z');
const WEBHOOK_TOKEN = 'hook-7c1d9e3a';
const HMAC_SECRET = 'grafana-shared-secret-51f0';

function amAlert(name: string, service: string, startsAt: string, extra: Record<string, unknown> = {}) {
  return {
    status: 'firing',
    labels: { alertname: name, service, severity: 'critical' },
    annotations: { summary: `${name} on ${service}` },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: `${name}-${service}`,
    ...extra,
  };
}

const webhook = (alerts: unknown[]) => ({ version: '4', groupKey: '{}:{}', truncatedAlerts: 0, status: 'firing', receiver: 'intelops', alerts });

async function storedCount(engine: RunningEngine): Promise<number> {
  const { rows } = await engine.engine.store.query<{ n: number }>('select count(*)::int as n from alerts');
  return rows[0]?.n ?? -1;
}

const post = (engine: RunningEngine, path: string, body: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}) =>
  engine.request(path, { method: 'POST', rawJson: typeof body === 'string' ? body : JSON.stringify(body), ...options });

// One engine with a webhook token and a Grafana HMAC secret serves the first two suites.
let engine: RunningEngine;
before(async () => {
  engine = await startEngine({ webhookToken: WEBHOOK_TOKEN, grafanaHmacSecret: HMAC_SECRET, engine: { clock: () => NOW } });
});
after(async () => {
  await engine.stop();
});

describe('POST /api/v1/alerts/*', () => {
  it('takes Alertmanager, Grafana and generic payloads and answers what was stored', async () => {
    const am = await post(engine, '/api/v1/alerts/alertmanager', fixture('alertmanager-firing.json'));
    assert.equal(am.status, 200);
    const receipt = await readJson(am);
    assert.equal(receipt.accepted, 2);
    assert.equal(receipt.created, 2);
    assert.equal(receipt.redelivered, 0);
    assert.ok(Array.isArray(receipt.incidents) && receipt.incidents.length > 0);

    const again = await readJson(await post(engine, '/api/v1/alerts/alertmanager', fixture('alertmanager-firing.json')));
    assert.deepEqual([again.created, again.redelivered], [0, 2]);

    const grafana = await readJson(await post(engine, '/api/v1/alerts/grafana', fixture('grafana-firing.json')));
    assert.equal(grafana.created, 1);
    const generic = await post(engine, '/api/v1/alerts', { alerts: [{ title: 'Backup job failed', startsAt: '2026-11-02T08:05:00Z', severity: 'warn', service: 'backup' }] });
    assert.equal(generic.status, 200);
    const { rows } = await engine.engine.store.query<{ source: string; n: number }>('select source, count(*)::int as n from alerts group by source order by source');
    assert.deepEqual(rows, [
      { source: 'alertmanager', n: 2 },
      { source: 'generic', n: 1 },
      { source: 'grafana', n: 1 },
    ]);
  });

  it('answers bad input with 400 naming the field, and stores nothing of the request', async () => {
    const before = await storedCount(engine);
    const good = amAlert('Good', 'db', '2026-11-02T08:00:00Z');
    const cases: Array<[string, string, RegExp]> = [
      ['/api/v1/alerts/alertmanager', JSON.stringify(webhook([good, good, good, { ...good, startsAt: 'soon' }])), /^body\/alerts\/3\/startsAt must be an RFC 3339 time/],
      ['/api/v1/alerts/alertmanager', JSON.stringify(webhook([good, { ...good, labels: undefined }])), /^body\/alerts\/1 must have required property 'labels'$/],
      ['/api/v1/alerts/alertmanager', JSON.stringify({ alerts: 'many' }), /^body\/alerts must be array$/],
      ['/api/v1/alerts/grafana', JSON.stringify(webhook([{ ...good, labels: { n: 1 } }])), /^body\/alerts\/0\/labels\/n must be string$/],
      ['/api/v1/alerts/alertmanager', JSON.stringify(webhook([good, { ...good, fingerprint: 'x', labels: { a: 'NUL\u0000' } }])), /^body\/alerts\/1\/labels\/a must not contain the NUL character/],
      ['/api/v1/alerts', JSON.stringify({ alerts: [{ title: 'x' }] }), /^body\/alerts\/0 must have required property 'startsAt'$/],
      ['/api/v1/alerts', JSON.stringify({ alerts: [{ title: 'x', startsAt: '2026-11-02T08:00:00Z', sevrity: 'high' }] }), /^body\/alerts\/0 has unknown property "sevrity"/],
      ['/api/v1/alerts?mapping=nope', JSON.stringify({}), /^querystring\/mapping: no mapping named "nope" in the settings/],
      ['/api/v1/alerts?mapping=a%20b', JSON.stringify({ alerts: [] }), /^querystring\/mapping must match pattern/],
      ['/api/v1/alerts/alertmanager', '{"alerts": [', /not valid JSON/],
    ];
    for (const [path, body, message] of cases) {
      const response = await post(engine, path, body);
      assert.equal(response.status, 400, `${path} ${body.slice(0, 80)}`);
      assert.match((await readError(response)).message, message);
    }
    const manyLabels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`label_${i}`, 'v']));
    const huge = await post(engine, '/api/v1/alerts/alertmanager', webhook([good, { ...good, labels: manyLabels }]));
    assert.equal(huge.status, 400);
    assert.match((await readError(huge)).message, /^body\/alerts\/1\/labels must NOT have more than 64 properties$/);
    assert.equal(await storedCount(engine), before, 'no 400 stored anything');
  });

  it('answers a body that is not UTF-8 with 400, whatever else is right about it', async () => {
    const before = await storedCount(engine);
    const text = JSON.stringify(webhook([amAlert('Latin1', 'db', '2026-11-02T08:00:00Z', { annotations: { summary: 'caf_' } })]));
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf('caf_') + 3] = 0xe9; // "café" in Latin-1
    const response = await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', body: bytes, headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(response.status, 400);
    assert.match((await readError(response)).message, /^Request body is not valid UTF-8 \(bad byte sequence near offset \d+\); send UTF-8 JSON$/);
    assert.equal(await storedCount(engine), before);
  });

  it('maps another tool\'s payload through a mapping from the settings', async () => {
    const settings = await engine.request('/api/v1/settings', {
      json: { alertMappings: { uptime: { alerts: 'checks', title: 'name', startsAt: 'since', status: 'state', service: 'target.service', labels: 'target' } } },
    });
    assert.equal(settings.status, 200);
    const body = { checks: [{ name: 'Shop homepage down', since: 1793606700, state: 'down', target: { service: 'frontend', region: 'eu' } }] };
    const wrongState = await post(engine, '/api/v1/alerts?mapping=uptime', body);
    assert.equal(wrongState.status, 400);
    assert.equal((await readError(wrongState)).message, 'body/checks/0/state must be one of firing, resolved (mapping "uptime": status)');
    const response = await post(engine, '/api/v1/alerts?mapping=uptime', { checks: [{ ...body.checks[0], state: 'alerting' }] });
    assert.equal(response.status, 200);
    const { rows } = await engine.engine.store.query<{ title: string; service: string; labels: unknown; starts_at: Date }>(
      `select title, service, labels, starts_at from alerts where source = 'generic' and title like 'Shop%'`
    );
    assert.deepEqual(rows, [{ title: 'Shop homepage down', service: 'frontend', labels: { service: 'frontend', region: 'eu' }, starts_at: new Date('2026-11-02T08:05:00Z') }]);
  });

  it('counts alerts, requests, batches and incidents in the metrics', async () => {
    const scrape = async () => {
      const text = await (await engine.request('/metrics', { token: null })).text();
      return (series: string) => Number(text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1] ?? 0);
    };
    const before = await scrape();
    const alerts = [amAlert('MetricA', 'db', '2026-11-02T08:00:00Z'), amAlert('MetricB', 'db', '2026-11-02T08:00:00Z')];
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager', webhook(alerts))).status, 200);
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager', webhook(alerts.slice(0, 1)))).status, 200);
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager', webhook([{}]))).status, 400);
    const after = await scrape();
    const delta = (series: string) => after(series) - before(series);
    assert.equal(delta('intelops_alerts_received_total{source="alertmanager",result="created"}'), 2);
    assert.equal(delta('intelops_alerts_received_total{source="alertmanager",result="redelivered"}'), 1);
    assert.equal(delta('intelops_alert_requests_total{source="alertmanager",result="accepted"}'), 2);
    assert.equal(delta('intelops_alert_requests_total{source="alertmanager",result="invalid"}'), 1);
    assert.equal(delta('intelops_alert_ingest_batch_size_count'), 2);
    assert.equal(delta('intelops_alert_ingest_batch_size_sum'), 3);
    assert.ok(delta('intelops_alert_ingest_batch_duration_seconds_sum') > 0);
    assert.equal(after('intelops_alert_ingest_queue_depth'), 0);
    assert.ok(after('intelops_incidents{status="open"}') >= 1);
  });

  it('logs a warning when Alertmanager truncated the notification', async () => {
    const response = await post(engine, '/api/v1/alerts/alertmanager', { ...webhook([amAlert('Trunc', 'db', '2026-11-02T08:00:00Z')]), truncatedAlerts: 3 });
    assert.equal(response.status, 200);
    assert.ok(engine.logs.entries().some((entry) => entry.truncatedAlerts === 3 && /max_alerts/.test(String(entry.msg))));
  });
});

describe('webhook authentication', () => {
  const body = JSON.stringify(webhook([amAlert('Auth', 'db', '2026-11-02T08:00:00Z')]));
  const sign = (payload: string, timestamp?: string) =>
    createHmac('sha256', HMAC_SECRET)
      .update(timestamp === undefined ? payload : `${timestamp}:${payload}`)
      .digest('hex');
  const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

  it('accepts the webhook token on the intake routes as bearer, X-IntelOps-Token or ?token=', async () => {
    for (const path of ['/api/v1/alerts/alertmanager', '/api/v1/alerts/grafana']) {
      assert.equal((await post(engine, path, body, { token: WEBHOOK_TOKEN })).status, 200, `${path} bearer`);
      assert.equal((await post(engine, path, body, { token: null, headers: { 'x-intelops-token': WEBHOOK_TOKEN } })).status, 200, `${path} header`);
      assert.equal((await post(engine, `${path}?token=${WEBHOOK_TOKEN}`, body, { token: null })).status, 200, `${path} query`);
    }
    const generic = JSON.stringify({ alerts: [{ title: 'Generic', startsAt: '2026-11-02T08:00:00Z' }] });
    assert.equal((await post(engine, `/api/v1/alerts?token=${WEBHOOK_TOKEN}`, generic, { token: null })).status, 200);
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager', body)).status, 200, 'the API token works too');
  });

  it('refuses the webhook token everywhere else, and wrong tokens on the intake routes', async () => {
    for (const path of ['/api/v1/incidents', '/api/v1/settings', '/api/v1/cmdb', `/api/v1/incidents?token=${WEBHOOK_TOKEN}`]) {
      assert.equal((await engine.request(path, { token: WEBHOOK_TOKEN })).status, 401, path);
    }
    assert.equal((await engine.request('/api/v1/alerts/alertmanager', { token: null, headers: { 'x-intelops-token': WEBHOOK_TOKEN } })).status, 401, 'GET is not intake');
    assert.equal((await post(engine, '/api/v1/alerts/nowhere', body, { token: WEBHOOK_TOKEN })).status, 401, 'unknown paths are not intake');
    const wrong = await post(engine, '/api/v1/alerts/alertmanager?token=nope', body, { token: null, headers: { 'x-intelops-token': 'nope' } });
    assert.equal(wrong.status, 401);
    const missing = await post(engine, '/api/v1/alerts/alertmanager', body, { token: null });
    assert.equal(missing.status, 401);
    assert.match((await readError(missing)).message, /X-IntelOps-Token/);
  });

  it('accepts a Grafana HMAC signature over the body, with or without a timestamp', async () => {
    const grafana = fixture('grafana-firing.json');
    const plain = await post(engine, '/api/v1/alerts/grafana', grafana, { token: null, headers: { 'x-grafana-alerting-signature': sign(grafana) } });
    assert.equal(plain.status, 200);
    const timestamp = seconds(NOW);
    const stamped = await post(engine, '/api/v1/alerts/grafana', grafana, {
      token: null,
      headers: { 'x-grafana-alerting-signature': sign(grafana, timestamp), 'x-grafana-alerting-signature-timestamp': timestamp },
    });
    assert.equal(stamped.status, 200);
  });

  it('refuses a wrong, stale or misplaced signature', async () => {
    const grafana = fixture('grafana-firing.json');
    const stale = seconds(new Date(NOW.getTime() - 10 * 60_000));
    const cases: Array<[string, string, Record<string, string>, RegExp]> = [
      ['/api/v1/alerts/grafana', grafana, { 'x-grafana-alerting-signature': sign(`${grafana} `) }, /Invalid Grafana webhook signature/],
      ['/api/v1/alerts/grafana', grafana, { 'x-grafana-alerting-signature': 'zz' }, /Invalid Grafana webhook signature/],
      ['/api/v1/alerts/grafana', grafana, { 'x-grafana-alerting-signature': sign(grafana, stale), 'x-grafana-alerting-signature-timestamp': stale }, /more than 5 minutes/],
      ['/api/v1/alerts/grafana', grafana, { 'x-grafana-alerting-signature': sign(grafana, 'x'), 'x-grafana-alerting-signature-timestamp': 'x' }, /Unix seconds/],
      ['/api/v1/alerts/alertmanager', body, { 'x-grafana-alerting-signature': sign(body) }, /Missing token/],
    ];
    const before = await storedCount(engine);
    for (const [path, payload, headers, message] of cases) {
      const response = await post(engine, path, payload, { token: null, headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.match((await readError(response)).message, message);
    }
    assert.equal(await storedCount(engine), before);
  });
});

describe('an engine without webhook credentials, with a small intake queue', () => {
  let engine: RunningEngine;
  // Its own engine: no webhook credentials, and a queue of 3 alerts.
  const body = (name: string) => JSON.stringify(webhook([amAlert(name, 'db', '2026-11-02T08:00:00Z'), amAlert(`${name}2`, 'db', '2026-11-02T08:00:00Z')]));
  before(async () => {
    engine = await startEngine({ engine: { intake: { maxQueuedAlerts: 3 } } });
  });
  after(async () => {
    await engine.stop();
  });

  it('accepts neither a webhook token nor a signature', async () => {
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager?token=anything', body('A'), { token: null })).status, 401);
    const signature = createHmac('sha256', '').update(body('A')).digest('hex');
    assert.equal((await post(engine, '/api/v1/alerts/grafana', body('A'), { token: null, headers: { 'x-grafana-alerting-signature': signature } })).status, 401);
  });

  it('answers 503 with Retry-After when the queue is full, storing nothing of that request', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Hold the store's only connection, so that queued alerts cannot be written yet.
    const holding = engine.engine.store.transaction(async () => gate);
    const first = post(engine, '/api/v1/alerts/alertmanager', body('Queued'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post(engine, '/api/v1/alerts/alertmanager', body('Refused'));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.match((await readError(refused)).message, /queue is full.*nothing of this request was stored, retry shortly/);
    release();
    await holding;
    assert.equal((await first).status, 200);
    const { rows } = await engine.engine.store.query<{ fingerprint: string }>('select fingerprint from alerts order by fingerprint');
    assert.deepEqual(rows.map((row) => row.fingerprint), ['Queued-db', 'Queued2-db']);
    assert.equal((await post(engine, '/api/v1/alerts/alertmanager', body('Refused'))).status, 200, 'the retry is accepted');
  });
});
