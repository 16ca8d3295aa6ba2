import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';
import type { JsonObject } from '../../testing/http.ts';

const time = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00Z`);

function amAlert(name: string, service: string, startsAt: string, severity: string, endsAt?: string) {
  return {
    status: endsAt === undefined ? 'firing' : 'resolved',
    labels: { alertname: name, service, severity },
    annotations: { summary: `${name} on ${service}` },
    startsAt: time(startsAt).toISOString(),
    endsAt: endsAt === undefined ? '0001-01-01T00:00:00Z' : time(endsAt).toISOString(),
    fingerprint: `${name}-${service}`,
  };
}

function incidentsOf(body: JsonObject): JsonObject[] {
  assert.ok(Array.isArray(body.incidents));
  return body.incidents.map((incident: unknown) => ({ ...Object(incident) }));
}

describe('GET /api/v1/incidents', () => {
  let engine: RunningEngine;
  let now = time('08:02');
  const ids: Record<string, string> = {};
  const list = async (query: string) => {
    const response = await engine.request(`/api/v1/incidents${query}`);
    assert.equal(response.status, 200, query);
    return incidentsOf(await readJson(response));
  };
  const titles = async (query: string) => (await list(query)).map((incident) => String(incident.title));

  before(async () => {
    engine = await startEngine({ engine: { clock: () => now } });
    await engine.request('/api/v1/cmdb', { json: { services: [{ name: 'payments', dependsOn: ['db'] }, { name: 'index' }, { name: 'backup' }] } });
    const post = async (path: string, body: unknown) => {
      const response = await engine.request(path, { method: 'POST', json: body });
      assert.equal(response.status, 200);
      const receipt = await readJson(response);
      assert.ok(Array.isArray(receipt.incidents));
      return String(receipt.incidents[0]);
    };
    ids.db = await post('/api/v1/alerts/alertmanager', { alerts: [amAlert('DbDown', 'db', '08:00', 'critical'), amAlert('PaymentsErrors', 'payments', '08:01', 'warning')] });
    now = time('09:11');
    ids.index = await post('/api/v1/alerts/alertmanager', { alerts: [amAlert('IndexSlow', 'index', '09:00', 'warning', '09:10')] });
    now = time('10:00');
    ids.backup = await post('/api/v1/alerts', {
      alerts: [{ title: 'Backup slow', service: 'backup', severity: 'info', startsAt: time('07:00').toISOString(), endsAt: time('07:30').toISOString() }],
    });
  });
  after(async () => {
    await engine.stop();
  });

  it('lists incidents newest first, each with its alerts, reasons and summary', async () => {
    const incidents = await list('');
    assert.deepEqual(
      incidents.map((incident) => [incident.title, incident.status, incident.severity, incident.services]),
      [
        ['IndexSlow on index', 'resolved', 'warning', ['index']],
        ['DbDown on db', 'open', 'critical', ['db', 'payments']],
        ['Backup slow', 'resolving', 'info', ['backup']],
      ]
    );
    const db = incidents[1];
    assert.ok(db);
    assert.equal(db.id, ids.db);
    assert.equal(db.startsAt, '2026-11-02T08:00:00.000Z');
    assert.equal(db.endsAt, null);
    assert.equal(db.alertCount, 2);
    assert.deepEqual(db.tags, { source: 'alertmanager' });
    assert.ok(Array.isArray(db.alerts) && Array.isArray(db.groupingReasons));
    assert.deepEqual(
      db.alerts.map((alert: unknown) => {
        const { fingerprint, startsAt, status, service, labels, joinReason } = Object(alert);
        return { fingerprint, startsAt, status, service, labels, rule: joinReason?.rule ?? null };
      }),
      [
        { fingerprint: 'DbDown-db', startsAt: '2026-11-02T08:00:00.000Z', status: 'firing', service: 'db', labels: { alertname: 'DbDown', service: 'db', severity: 'critical' }, rule: null },
        { fingerprint: 'PaymentsErrors-payments', startsAt: '2026-11-02T08:01:00.000Z', status: 'firing', service: 'payments', labels: { alertname: 'PaymentsErrors', service: 'payments', severity: 'warning' }, rule: 'topology' },
      ]
    );
    assert.deepEqual(db.groupingReasons.map((reason: unknown) => Object(reason).rule), ['first', 'topology']);
    assert.equal(incidents[0]?.endsAt, '2026-11-02T09:10:00.000Z');
  });

  it('filters by status, service and severity (lists are ORed, filters ANDed)', async () => {
    assert.deepEqual(await titles('?status=open'), ['DbDown on db']);
    assert.deepEqual(await titles('?status=resolved'), ['IndexSlow on index'], 'past its quiet period: resolved on read');
    assert.deepEqual(await titles('?status=resolving'), ['Backup slow']);
    assert.deepEqual(await titles('?status=open,resolved'), ['IndexSlow on index', 'DbDown on db']);
    assert.deepEqual(await titles('?status=open&status=resolving'), ['DbDown on db', 'Backup slow']);
    assert.deepEqual(await titles('?service=index'), ['IndexSlow on index']);
    assert.deepEqual(await titles('?service=payments,backup'), ['DbDown on db', 'Backup slow']);
    assert.deepEqual(await titles('?severity=critical'), ['DbDown on db']);
    assert.deepEqual(await titles('?severity=info&status=open'), []);
  });

  it('selects incidents active in [from, to], times as RFC 3339 or epoch milliseconds', async () => {
    assert.deepEqual(await titles('?from=2026-11-02T07:40:00Z&to=2026-11-02T07:50:00Z'), [], 'backup ended 07:30, db started 08:00');
    assert.deepEqual(await titles('?from=2026-11-02T07:20:00Z&to=2026-11-02T07:40:00Z'), ['Backup slow']);
    assert.deepEqual(await titles(`?to=${time('08:30').getTime()}`), ['DbDown on db', 'Backup slow']);
    assert.deepEqual(await titles(`?from=${time('09:05').getTime()}`), ['IndexSlow on index', 'DbDown on db'], 'an open incident is active until now');
    assert.deepEqual(await titles('?from=2026-11-02T11:00:00%2B02:00'), ['IndexSlow on index', 'DbDown on db'], 'offsets are honoured (09:00Z)');
  });

  it('limits the page and says when it cut, and leaves alerts out on request', async () => {
    const response = await readJson(await engine.request('/api/v1/incidents?limit=1'));
    assert.equal(incidentsOf(response).length, 1);
    assert.equal(response.truncated, true);
    assert.equal((await readJson(await engine.request('/api/v1/incidents?limit=3'))).truncated, false);
    const [first] = await list('?alerts=none&service=db');
    assert.deepEqual(first?.alerts, []);
    assert.equal(first?.alertCount, 2);
  });

  it('answers bad parameters with 400 naming them', async () => {
    const cases: Array<[string, RegExp]> = [
      ['?status=closed', /^querystring\/status "closed" is not one of open, resolving, resolved$/],
      ['?severity=urgent', /^querystring\/severity "urgent" is not one of critical, high, warning, info$/],
      ['?from=yesterday', /^querystring\/from must be an RFC 3339 time or epoch milliseconds; got "yesterday"$/],
      ['?from=2026-11-02', /^querystring\/from must be an RFC 3339 time/],
      ['?from=2026-11-02T10:00:00Z&to=2026-11-02T09:00:00Z', /^querystring\/from must not be after querystring\/to$/],
      ['?limit=0', /^querystring\/limit must be >= 1$/],
      ['?limit=5001', /^querystring\/limit must be <= 5000$/],
      ['?alerts=some', /^querystring\/alerts must be one of full, none$/],
      ['?stauts=open', /^querystring has unknown property "stauts" \(allowed: from, to, status, service, severity, limit, alerts\)$/],
    ];
    for (const [query, message] of cases) {
      const response = await engine.request(`/api/v1/incidents${query}`);
      assert.equal(response.status, 400, query);
      assert.match((await readError(response)).message, message);
    }
  });

  it('gives each incident the top cause of its latest analysis, or null until analysed', async () => {
    const analysis = (incidentId: string, method: string, causes: unknown[]) => ({
      incidentId,
      causes,
      method,
      hallucinationsDropped: 0,
      analyzedAt: '2026-11-02T10:00:00.000Z',
      durationMs: 12,
      documents: [],
    });
    const cause = (service: string, indicator: string, confidence: number) => ({
      service,
      indicator,
      confidence,
      evidence: [],
      explanation: `${service} ${indicator}`,
      actions: [],
    });
    assert.deepEqual((await list('')).map((incident) => incident.topCause), [null, null, null]);
    const save = (id: string | undefined, result: unknown) =>
      engine.engine.store.query(
        `insert into incident_rca (incident_id, analyzed_at, result) values ($1, $2, $3::jsonb)
           on conflict (incident_id) do update set analyzed_at = excluded.analyzed_at, result = excluded.result`,
        [id, '2026-11-02T10:00:00.000Z', JSON.stringify(result)]
      );
    await save(ids.db, analysis(ids.db ?? '', 'llm', [cause('db', 'errors', 0.82), cause('payments', 'latency', 0.4)]));
    await save(ids.backup, analysis(ids.backup ?? '', 'graph', []));
    const incidents = await list('');
    assert.deepEqual(
      incidents.map((incident) => [incident.title, incident.topCause]),
      [
        ['IndexSlow on index', null],
        ['DbDown on db', { service: 'db', indicator: 'errors', confidence: 0.82, method: 'llm' }],
        ['Backup slow', null],
      ],
      'an analysis without causes has no top cause'
    );
    await save(ids.db, analysis(ids.db ?? '', 'graph', [cause('payments', 'change', 0.55)]));
    const one = await readJson(await engine.request(`/api/v1/incidents/${ids.db}`));
    assert.deepEqual(one.topCause, { service: 'payments', indicator: 'change', confidence: 0.55, method: 'graph' }, 'the latest analysis counts');
    assert.deepEqual(await titles('?service=db'), ['DbDown on db'], 'filters still apply');
  });

  it('returns one incident by id, and 404 with a message for an unknown id', async () => {
    const response = await engine.request(`/api/v1/incidents/${ids.index}`);
    assert.equal(response.status, 200);
    const incident = await readJson(response);
    assert.equal(incident.title, 'IndexSlow on index');
    assert.equal(Array.isArray(incident.alerts) && incident.alerts.length, 1);
    const missing = await engine.request('/api/v1/incidents/inc_doesnotexist');
    assert.equal(missing.status, 404);
    assert.equal((await readError(missing)).message, 'No incident with id "inc_doesnotexist"');
  });
});
