import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { serveLokiEntries } from '../../testing/fakeLoki.ts';
import { readError, readJson } from '../../testing/http.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../../testing/prometheusServer.ts';
import type { PrometheusServer } from '../../testing/prometheusServer.ts';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import { MINUTE, SHOP_T as T, shopLogs } from '../../testing/shopLogs.ts';

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
    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_evidence_collections_total\{source="prometheus",state="error"\} 1/);
    assert.match(metrics, /intelops_evidence_collections_total\{source="loki",state="ok"\} 3/);
    assert.match(metrics, /intelops_log_lines_mined_total [1-9]\d*/);
  });

  it('answers 404 for an unknown incident', async () => {
    const response = await engine.request('/api/v1/incidents/inc_0000000000000000/evidence', { method: 'POST' });
    assert.equal(response.status, 404);
    assert.match((await readError(response)).message, /No incident with id "inc_0000000000000000"/);
  });
});

describe('evidence from a real Prometheus, with golden signals from the settings', { skip: PROMETHEUS_MISSING }, () => {
  // Prometheus keeps backfilled samples only within its retention, so this incident happened two hours ago.
  const t = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;
  let prometheus: PrometheusServer;
  let engine: RunningEngine;

  before(async () => {
    // checkout's errors: about 0.2/s for an hour, then 5/s from ten minutes into the incident window.
    const samples: Array<[number, number]> = [];
    let total = 0;
    for (let at = t - 60 * MINUTE; at <= t + 30 * MINUTE; at += 15_000) {
      total += at >= t + 10 * MINUTE ? 70 + (at % 7) : 2 + ((at / 15_000) % 3);
      samples.push([at, total]);
    }
    prometheus = await startPrometheus([
      { name: 'app_errors_total', labels: { service: 'checkout' }, samples },
      { name: 'app_errors_total', labels: { service: 'payments' }, samples: samples.map(([at], i) => [at, i * 2]) },
    ]);
    engine = await startEngine({ engine: { clock: () => new Date(t + 30 * MINUTE) } });
    const goldenSignals = [
      {
        signal: 'errors',
        name: 'error rate',
        unit: 'requests_per_second',
        candidates: [{ template: 'sum(rate(app_errors_total{service="$service"}[$window]))', serviceLabel: 'service' }],
      },
    ];
    const saved = await engine.request('/api/v1/settings', { json: { prometheus: { url: prometheus.url }, goldenSignals } });
    assert.equal(saved.status, 200, await saved.clone().text());
    const alert = { status: 'firing', labels: { alertname: 'CheckoutErrors', service: 'checkout' }, annotations: {}, startsAt: new Date(t + 10 * MINUTE).toISOString() };
    await engine.request('/api/v1/alerts/alertmanager', {
      method: 'POST',
      json: { version: '4', groupKey: 'g', status: 'firing', receiver: 'intelops', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts: [alert] },
    });
  });
  after(async () => {
    await engine?.stop();
    await prometheus?.stop();
  });

  it('finds the rise in checkout’s error rate with its onset, and links the PromQL', async () => {
    const incidents = (await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0'))).incidents as Array<{ id: string }>;
    const response = await engine.request(`/api/v1/incidents/${incidents[0]?.id ?? ''}/evidence`, { method: 'POST' });
    const list = (await readJson(response)) as unknown as EvidenceList & {
      evidence: Array<{ details: { direction?: string; onset?: string; signal?: string } }>;
    };
    assert.equal(list.sources.prometheus?.state, 'ok', JSON.stringify(list.sources));
    const [anomaly] = list.evidence;
    assert.equal(anomaly?.kind, 'metric_anomaly', JSON.stringify(list.evidence));
    assert.equal(anomaly?.service, 'checkout');
    assert.equal(anomaly?.details.signal, 'errors');
    assert.equal(anomaly?.details.direction, 'up');
    const onset = Date.parse(anomaly?.details.onset ?? '');
    assert.ok(Math.abs(onset - (t + 10 * MINUTE)) <= 5 * MINUTE, `onset ${anomaly?.details.onset}`);
    assert.equal(anomaly?.link.query, 'sum(rate(app_errors_total{service="checkout"}[300s]))');
    assert.ok((anomaly?.score ?? 0) > 0.7);
  });

  it('refuses a golden-signal query without $service, naming the field', async () => {
    const bad = [{ signal: 'errors', name: 'x', unit: 'ratio', candidates: [{ template: 'up', serviceLabel: 'job' }] }];
    const response = await engine.request('/api/v1/settings', { json: { goldenSignals: bad } });
    assert.equal(response.status, 400);
    assert.match((await readError(response)).message, /body\/goldenSignals\/0\/candidates\/0\/template/);
  });
});
