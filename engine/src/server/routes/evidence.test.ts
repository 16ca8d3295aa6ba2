import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { serveLokiEntries } from '../../testing/fakeLoki.ts';
import { readError, readJson } from '../../testing/http.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import { MINUTE, shopLogs, T } from '../../testing/shopLogs.ts';

interface EvidenceList {
  collectedAt: string | null;
  sources: Record<string, { state: string; message?: string }>;
  evidence: Array<{ id: string; kind: string; service?: string; score: number; summary: string; link: { datasource: string; query: string } }>;
}

describe('GET/POST /api/v1/incidents/{id}/evidence', () => {
  let engine: RunningEngine;
  let loki: ReplayServer;
  let incidentId: string;
  let now = new Date(T + 30 * MINUTE);

  before(async () => {
    loki = await startReplayServer();
    serveLokiEntries(loki, shopLogs());
    engine = await startEngine({ engine: { clock: () => now } });
    await engine.request('/api/v1/settings', { json: { loki: { url: loki.url } } });
    const alert = { status: 'firing', labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' }, annotations: {}, startsAt: new Date(T + 10 * MINUTE).toISOString() };
    const posted = await engine.request('/api/v1/alerts/alertmanager', {
      method: 'POST',
      json: { version: '4', groupKey: 'g', status: 'firing', receiver: 'intelops', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts: [alert] },
    });
    assert.equal(posted.status, 200, await posted.clone().text());
    const incidents = (await readJson(await engine.request('/api/v1/incidents?alerts=none'))).incidents as Array<{ id: string }>;
    incidentId = incidents[0]?.id ?? '';
  });
  after(async () => {
    await engine.stop();
    await loki.close();
  });

  it('has nothing before the first collection and says which sources are configured', async () => {
    const list = (await readJson(await engine.request(`/api/v1/incidents/${incidentId}/evidence`))) as unknown as EvidenceList;
    assert.equal(list.collectedAt, null);
    assert.deepEqual(list.evidence, []);
    assert.equal(list.sources.loki?.state, 'ok');
    assert.equal(list.sources.prometheus?.state, 'unconfigured');
  });

  it('collects log evidence from Loki with stable ids, stores it, and reports the other sources', async () => {
    const collect = async () => {
      const response = await engine.request(`/api/v1/incidents/${incidentId}/evidence`, { method: 'POST' });
      assert.equal(response.status, 200, await response.clone().text());
      return (await readJson(response)) as unknown as EvidenceList;
    };
    const first = await collect();
    const kinds = first.evidence.map((item) => `${item.kind} ${item.summary}`);
    assert.ok(kinds.some((line) => /^log_template New log template in checkout: .*payment gateway timeout/.test(line)), kinds.join('\n'));
    assert.ok(kinds.some((line) => /^log_template Log template in checkout spiked .*retrying call to inventory/.test(line)), kinds.join('\n'));
    assert.ok(first.evidence.every((item) => item.link.datasource === 'loki' && item.link.query.startsWith('{service_name="checkout"}')));
    assert.deepEqual(first.sources.tempo, { state: 'unconfigured', message: 'No URL set in the engine settings' });
    now = new Date(T + 30 * MINUTE + 5000);
    const second = await collect();
    assert.deepEqual(second.evidence.map((item) => item.id).sort(), first.evidence.map((item) => item.id).sort());
    const stored = (await readJson(await engine.request(`/api/v1/incidents/${incidentId}/evidence`))) as unknown as EvidenceList;
    assert.equal(stored.collectedAt, new Date(T + 30 * MINUTE + 5000).toISOString());
    assert.deepEqual(stored.evidence, second.evidence);
  });

  it('reports a failing source instead of failing the collection', async () => {
    await engine.request('/api/v1/settings', { json: { loki: { url: loki.url }, prometheus: { url: 'http://127.0.0.1:9' } } });
    const response = await engine.request(`/api/v1/incidents/${incidentId}/evidence`, { method: 'POST' });
    const list = (await readJson(response)) as unknown as EvidenceList;
    assert.equal(list.sources.prometheus?.state, 'error');
    assert.match(list.sources.prometheus?.message ?? '', /Prometheus/);
    assert.ok(list.evidence.length > 0);
  });

  it('answers 404 for an unknown incident', async () => {
    const response = await engine.request('/api/v1/incidents/inc_0000000000000000/evidence', { method: 'POST' });
    assert.equal(response.status, 404);
    assert.match((await readError(response)).message, /No incident with id "inc_0000000000000000"/);
  });
});
