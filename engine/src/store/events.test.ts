import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { readJson } from '../testing/http.ts';

const t = Date.parse('2026-11-20T10:00:00Z');

function webhook(status: 'firing' | 'resolved', ...names: string[]) {
  const alerts = names.map((alertname) => ({
    status,
    labels: { alertname, service: 'checkout' },
    annotations: {},
    startsAt: new Date(t).toISOString(),
    ...(status === 'resolved' ? { endsAt: new Date(t + 60_000).toISOString() } : {}),
  }));
  return { version: '4', groupKey: 'g', status, receiver: 'r', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts };
}

// The outbox is written in the transactions that make the changes it reports, whatever route or sweeper made them.
describe('engine events (the outbox)', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ engine: { clock: () => new Date(t + 5 * 60_000), intake: { sweepIntervalMs: 50 } } });
    await engine.request('/api/v1/settings', { method: 'PUT', json: { grouping: { quietPeriodMinutes: 0 } } });
  });
  after(() => engine.stop());

  const events = async () =>
    (await engine.engine.store.query<{ kind: string; subject: string }>('select kind, subject from engine_events order by id')).rows.map(
      ({ kind, subject }) => `${kind} ${subject}`
    );

  it('records incidents created, updated and resolved, a new change, and an analysis ready', async () => {
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: webhook('firing', 'CheckoutDown') });
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: webhook('firing', 'CheckoutErrors') });
    const id = ((await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0'))).incidents as Array<{ id: string }>)[0]?.id ?? '';
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: webhook('resolved', 'CheckoutDown', 'CheckoutErrors') });
    for (let tries = 0; tries < 100 && !(await events()).includes(`incident.resolved ${id}`); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const change = { id: 'deploy-1', kind: 'deploy', service: 'checkout', title: 'v2', startsAt: new Date(t).toISOString() };
    await engine.request('/api/v1/changes', { method: 'POST', json: change });
    await engine.request('/api/v1/changes', { method: 'POST', json: { ...change, title: 'v2.1' } });
    await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' });
    assert.deepEqual(await events(), [
      `incident.created ${id}`,
      `incident.updated ${id}`,
      // With no quiet period the batch that resolves the last alert resolves the incident: one event says so.
      `incident.resolved ${id}`,
      'change.created deploy-1',
      `rca.ready ${id}`,
    ]);
  });
});

describe('engine events from the sweeper', () => {
  let engine: RunningEngine;
  let now = new Date(t + 2 * 60_000);
  before(async () => {
    engine = await startEngine({ engine: { clock: () => now, intake: { sweepIntervalMs: 50 } } });
    await engine.request('/api/v1/settings', { method: 'PUT', json: { grouping: { quietPeriodMinutes: 1 } } });
  });
  after(() => engine.stop());

  it('records the resolution when the quiet period of a resolving incident passes', async () => {
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: webhook('firing', 'CheckoutDown') });
    await engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: webhook('resolved', 'CheckoutDown') });
    const kinds = async () => (await engine.engine.store.query<{ kind: string }>('select kind from engine_events order by id')).rows.map((row) => row.kind);
    assert.deepEqual(await kinds(), ['incident.created', 'incident.updated'], 'resolving is an update');
    now = new Date(t + 10 * 60_000);
    for (let tries = 0; tries < 100 && !(await kinds()).includes('incident.resolved'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(await kinds(), ['incident.created', 'incident.updated', 'incident.resolved']);
  });
});
