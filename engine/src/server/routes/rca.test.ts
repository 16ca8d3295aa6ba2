import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RcaResult } from '../../reasoning/rootCause.ts';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../../testing/prometheusServer.ts';
import type { PrometheusServer, RecordedSeries } from '../../testing/prometheusServer.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';
import { gaussian, seededRandom } from '../../testing/random.ts';

const MINUTE = 60_000;
const STEP = 15_000;

function alertmanager(alerts: Array<{ labels: Record<string, string>; startsAt: string }>) {
  return {
    version: '4',
    groupKey: 'g',
    status: 'firing',
    receiver: 'intelops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: alerts.map((alert) => ({ status: 'firing', annotations: {}, ...alert })),
  };
}

async function firstIncidentId(engine: RunningEngine): Promise<string> {
  const incidents = (await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0'))).incidents as Array<{
    id: string;
  }>;
  return incidents[0]?.id ?? '';
}

describe('POST /api/v1/incidents/{id}/analyze without sources', () => {
  let engine: RunningEngine;
  let id: string;
  const t = Date.parse('2026-11-20T10:00:00Z');

  before(async () => {
    engine = await startEngine({ engine: { clock: () => new Date(t + 30 * MINUTE) } });
    await engine.request('/api/v1/alerts/alertmanager', {
      method: 'POST',
      json: alertmanager([
        { labels: { alertname: 'CheckoutDown', service: 'checkout' }, startsAt: new Date(t).toISOString() },
      ]),
    });
    id = await firstIncidentId(engine);
  });
  after(() => engine.stop());

  it('answers 404 for an unknown incident, and for one not analysed yet says how to run it', async () => {
    const unknown = await engine.request('/api/v1/incidents/inc_nope/analyze', { method: 'POST' });
    assert.equal(unknown.status, 404);
    assert.match((await readError(unknown)).message, /No incident with id "inc_nope"/);
    const notYet = await engine.request(`/api/v1/incidents/${id}/rca`);
    assert.equal(notYet.status, 404);
    assert.match((await readError(notYet)).message, /has not been run: POST …\/analyze/);
  });

  it('still answers, from a change alone, and says the LLM was not used', async () => {
    const change = {
      id: 'deploy-42',
      kind: 'deploy',
      service: 'checkout',
      title: 'checkout v2.4.1',
      version: 'v2.4.1',
      startsAt: new Date(t - 5 * MINUTE).toISOString(),
    };
    assert.equal((await engine.request('/api/v1/changes', { method: 'POST', json: change })).status, 200);
    const response = await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' });
    assert.equal(response.status, 200, await response.clone().text());
    const result = (await readJson(response)) as unknown as RcaResult;
    assert.equal(result.method, 'graph');
    assert.match(result.fallbackReason ?? '', /^No LLM is configured: set its base URL and model in the settings/);
    assert.equal(result.causes[0]?.service, 'checkout');
    assert.equal(result.causes[0]?.indicator, 'change');
    assert.deepEqual(result.causes[0]?.evidence, ['deploy-42']);
    assert.match(
      result.causes[0]?.explanation ?? '',
      /A deploy "checkout v2.4.1" \(v2.4.1\) started 5 min before the incident/
    );
    assert.equal(result.causes[0]?.actions[0], 'Roll back: "checkout v2.4.1" (v2.4.1) on checkout');
    const stored = (await readJson(await engine.request(`/api/v1/incidents/${id}/rca`))) as unknown as RcaResult;
    assert.deepEqual(stored, result);
    const payload = await readJson(await engine.request(`/api/v1/incidents/${id}/payload`));
    assert.deepEqual(payload.changeWindow, {
      changeId: 'deploy-42',
      service: 'checkout',
      kind: 'deploy',
      title: 'checkout v2.4.1',
      startsAt: new Date(t - 5 * MINUTE).toISOString(),
    });
    assert.deepEqual(payload.evidence, ['deploy-42']);
    const { tags } = (await readJson(await engine.request(`/api/v1/incidents/${id}`))) as {
      tags: Record<string, string>;
    };
    // The default rules read the category from the alert title when no evidence shows a symptom.
    assert.equal(tags.category, 'availability', JSON.stringify(tags));
    assert.equal(tags.change, 'deploy-42');
  });

  it('runs in the background when asked to, and GET …/rca has the result', async () => {
    const response = await engine.request(`/api/v1/incidents/${id}/analyze?async=true`, { method: 'POST' });
    assert.equal(response.status, 202);
    assert.deepEqual(await readJson(response), { status: 'running', incidentId: id });
    for (let tries = 0; tries < 100 && (await engine.request(`/api/v1/incidents/${id}/rca`)).status !== 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await engine.request(`/api/v1/incidents/${id}/rca`)).status, 200);
  });

  it('records feedback, rejects a bad verdict with the field named, and feeds confirmed causes to the next analysis', async () => {
    const bad = await engine.request(`/api/v1/incidents/${id}/feedback`, {
      method: 'POST',
      json: { service: 'checkout', verdict: 'maybe' },
    });
    assert.equal(bad.status, 400);
    assert.match((await readError(bad)).message, /verdict/);
    const rejected = await engine.request(`/api/v1/incidents/${id}/feedback`, {
      method: 'POST',
      json: { service: 'cart', verdict: 'reject', by: 'alice' },
    });
    assert.equal(rejected.status, 200);
    const confirmed = await engine.request(`/api/v1/incidents/${id}/feedback`, {
      method: 'POST',
      json: { service: 'checkout', verdict: 'confirm', by: 'bob', remediation: 'Rolled back checkout to v2.4.0.' },
    });
    const list = (await readJson(confirmed)).feedback as Array<{ service: string; verdict: string; by: string }>;
    assert.deepEqual(
      list.map(({ service, verdict, by }) => [service, verdict, by]),
      [
        ['cart', 'reject', 'alice'],
        ['checkout', 'confirm', 'bob'],
      ]
    );
    const again = (await readJson(
      await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' })
    )) as unknown as RcaResult;
    assert.ok(
      again.documents.some((document) => document.id === `incident:${id}`),
      JSON.stringify(again.documents)
    );
    assert.ok(
      again.causes[0]?.actions.includes('As in CheckoutDown: Rolled back checkout to v2.4.0.'),
      JSON.stringify(again.causes[0]?.actions)
    );
    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_rca_feedback_total\{verdict="confirm",rank="1"\} 1/);
    assert.match(metrics, /intelops_rca_analyses_total\{method="graph",outcome="ok"\} [3-9]/);
  });
});

describe(
  'root causes through the real path: Prometheus, an alert, analyze over HTTP',
  { skip: PROMETHEUS_MISSING },
  () => {
    // Backfilled samples must lie within Prometheus' retention, so the incident happened two hours ago.
    const t = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;
    let prometheus: PrometheusServer;
    let engine: RunningEngine;

    /** A gauge around `before` that moves to `after` from `at` on, with seeded noise of `noise` relative size. */
    function gauge(
      name: string,
      service: string,
      before: number,
      afterValue: number,
      at: number,
      seed: number
    ): RecordedSeries {
      const noise = gaussian(seededRandom(seed));
      const samples: Array<[number, number]> = [];
      for (let when = t - 70 * MINUTE; when <= t + 30 * MINUTE; when += STEP) {
        const level = when >= at ? afterValue : before;
        samples.push([when, Math.max(0, level * (1 + 0.03 * noise()))]);
      }
      return { name, labels: { service }, samples };
    }

    before(async () => {
      // payment's CPU saturates ten minutes before the alert; its latency follows, and so do its callers'.
      const fault = t - 5 * MINUTE;
      prometheus = await startPrometheus([
        gauge('app_cpu_usage_cores', 'payment', 0.2, 0.97, fault, 1),
        gauge('app_cpu_usage_cores', 'checkout', 0.3, 0.3, fault, 2),
        gauge('app_cpu_usage_cores', 'frontend', 0.4, 0.42, fault, 3),
        gauge('app_latency_seconds', 'payment', 0.05, 0.6, fault + MINUTE, 4),
        gauge('app_latency_seconds', 'checkout', 0.1, 0.65, fault + 2 * MINUTE, 5),
        gauge('app_latency_seconds', 'frontend', 0.2, 0.8, fault + 3 * MINUTE, 6),
        gauge('app_error_ratio', 'frontend', 0.01, 0.04, fault + 3 * MINUTE, 7),
      ]);
      engine = await startEngine({ engine: { clock: () => new Date(t + 25 * MINUTE) } });
      const goldenSignals = [
        {
          signal: 'latency',
          name: 'latency',
          unit: 'seconds',
          candidates: [{ template: 'app_latency_seconds{service="$service"}', serviceLabel: 'service' }],
        },
        {
          signal: 'errors',
          name: 'error ratio',
          unit: 'ratio',
          candidates: [{ template: 'app_error_ratio{service="$service"}', serviceLabel: 'service' }],
        },
        {
          signal: 'saturation',
          name: 'CPU',
          unit: 'cores',
          candidates: [{ template: 'app_cpu_usage_cores{service="$service"}', serviceLabel: 'service' }],
        },
      ];
      const saved = await engine.request('/api/v1/settings', {
        json: { prometheus: { url: prometheus.url }, goldenSignals },
      });
      assert.equal(saved.status, 200, await saved.clone().text());
      const cmdb = await engine.request('/api/v1/cmdb', {
        method: 'PUT',
        json: {
          services: [
            { name: 'frontend', team: 'web', capability: 'storefront', customerFacing: true, dependsOn: ['checkout'] },
            { name: 'checkout', team: 'orders', dependsOn: ['payment'] },
            { name: 'payment', team: 'payments', capability: 'payments' },
          ],
        },
      });
      assert.equal(cmdb.status, 200, await cmdb.clone().text());
      // Only the customer-facing symptom alerts: the cause is two calls away.
      await engine.request('/api/v1/alerts/alertmanager', {
        method: 'POST',
        json: alertmanager([
          {
            labels: { alertname: 'FrontendSlow', service: 'frontend', severity: 'critical' },
            startsAt: new Date(t).toISOString(),
          },
        ]),
      });
    });
    after(async () => {
      await engine?.stop();
      await prometheus?.stop();
    });

    it('ranks payment first with its CPU, cites the evidence, and shows the graph around it', async () => {
      const id = await firstIncidentId(engine);
      const response = await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' });
      assert.equal(response.status, 200, await response.clone().text());
      const result = (await readJson(response)) as unknown as RcaResult;
      const [top] = result.causes;
      assert.equal(top?.service, 'payment', JSON.stringify(result.causes, null, 1));
      assert.equal(top?.indicator, 'cpu');
      assert.ok((top?.confidence ?? 0) > 0.5, String(top?.confidence));
      assert.match(top?.explanation ?? '', /^CPU of payment rose \d+\.\dσ above its baseline from \d\d:\d\d UTC\./);
      assert.ok(
        top?.actions.some((action) => /scale|replicas/i.test(action)),
        JSON.stringify(top?.actions)
      );
      assert.ok(
        result.documents.some((document) => document.id === 'runbook:cpu-saturation.md'),
        JSON.stringify(result.documents)
      );
      const evidence = (await readJson(await engine.request(`/api/v1/incidents/${id}/evidence`))).evidence as Array<{
        id: string;
        service: string;
        details: { signal: string };
      }>;
      const cited = (top?.evidence ?? []).map((cited) => evidence.find((item) => item.id === cited));
      assert.ok(cited.length > 0 && cited.every((item) => item?.service === 'payment'), JSON.stringify(cited));
      assert.equal(cited[0]?.details.signal, 'saturation', 'the CPU anomaly is cited first');
      assert.deepEqual(
        result.graph.nodes.map(({ service, inIncident }) => [service, inIncident]),
        [
          ['frontend', true],
          ['checkout', false],
          ['payment', false],
        ]
      );
      assert.equal(result.graph.nodes.find((node) => node.rank === 1)?.service, 'payment');
      assert.deepEqual(result.graph.edges, [
        { client: 'checkout', server: 'payment' },
        { client: 'frontend', server: 'checkout' },
      ]);
      const { tags } = (await readJson(await engine.request(`/api/v1/incidents/${id}`))) as {
        tags: Record<string, string>;
      };
      // Tags describe the incident as its services show it (frontend's errors), not its cause.
      assert.equal(tags.category, 'errors', JSON.stringify(tags));
      assert.equal(tags.impact, '1 service, storefront');
      assert.equal(tags.customerFacing, 'true');
    });
  }
);

describe('root causes refined by an LLM (a local OpenAI-compatible server)', () => {
  const t = Date.parse('2026-11-20T10:00:00Z');
  const apiKey = 'sk-test-f00dfacecafe';
  let llm: OpenAiServer;
  let engine: RunningEngine;
  let id: string;

  before(async () => {
    llm = await startOpenAiServer();
    engine = await startEngine({
      engine: { clock: () => new Date(t + 30 * MINUTE) },
      llm: testLlmConfig(llm.baseUrl, { model: 'test-model', apiKey }),
    });
    await engine.request('/api/v1/alerts/alertmanager', {
      method: 'POST',
      json: alertmanager([
        { labels: { alertname: 'CheckoutDown', service: 'checkout' }, startsAt: new Date(t).toISOString() },
      ]),
    });
    const change = {
      id: 'deploy-42',
      kind: 'deploy',
      service: 'checkout',
      title: 'checkout v2.4.1',
      startsAt: new Date(t - 5 * MINUTE).toISOString(),
    };
    await engine.request('/api/v1/changes', { method: 'POST', json: change });
    id = await firstIncidentId(engine);
  });
  after(async () => {
    await engine?.stop();
    await llm?.close();
  });

  it('takes the LLM’s answer, dropping a cause that cites evidence that does not exist', async () => {
    const cause = (service: string, evidence: string[]) => ({
      service,
      indicator: 'change',
      confidence: 0.8,
      evidence,
      explanation: `The deploy broke ${service}.`,
      actions: ['Roll back checkout to v2.4.0'],
    });
    llm.enqueue({
      content: JSON.stringify({ causes: [cause('checkout', ['deploy-42']), cause('checkout', ['ev_made_up_000'])] }),
    });
    const result = (await readJson(
      await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' })
    )) as unknown as RcaResult;
    assert.equal(result.method, 'llm', result.fallbackReason);
    assert.equal(result.model, 'test-model');
    assert.equal(result.hallucinationsDropped, 1);
    assert.deepEqual(
      result.causes.map((one) => [one.service, one.evidence]),
      [['checkout', ['deploy-42']]]
    );
    const [request] = llm.chatRequests();
    assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
    assert.match(request?.rawBody ?? '', /deploy-42/, 'the prompt holds the change');
  });

  it('reports the steps of an analysis in flight: the LLM step runs after the others finished', async () => {
    const answer = { causes: [{ service: 'checkout', indicator: 'change', confidence: 0.7, evidence: ['deploy-42'], explanation: 'The deploy.', actions: [] }] };
    llm.enqueue({ content: JSON.stringify(answer), delayMs: 1500 });
    const pending = engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' });
    let status = await readJson(await engine.request(`/api/v1/incidents/${id}/analysis`));
    for (let tries = 0; tries < 100 && JSON.stringify(status.steps).indexOf('"llm","state":"running"') < 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await readJson(await engine.request(`/api/v1/incidents/${id}/analysis`));
    }
    assert.equal(status.running, true);
    assert.deepEqual(
      (status.steps as Array<{ name: string; state: string }>).map(({ name, state }) => `${name} ${state}`),
      ['context done', 'perception done', 'reasoning done', 'llm running']
    );
    assert.equal((await pending).status, 200);
    assert.deepEqual(await readJson(await engine.request(`/api/v1/incidents/${id}/analysis`)), { running: false, startedAt: null, steps: [] });
  });

  it('falls back to the ranking and says why when the LLM answers something that is not JSON', async () => {
    llm.enqueue({ content: 'I think it is the database.' });
    const result = (await readJson(
      await engine.request(`/api/v1/incidents/${id}/analyze`, { method: 'POST' })
    )) as unknown as RcaResult;
    assert.equal(result.method, 'graph');
    assert.match(result.fallbackReason ?? '', /JSON/);
    assert.equal(result.causes[0]?.service, 'checkout');
    const metrics = await (await engine.request('/metrics')).text();
    assert.match(metrics, /intelops_rca_hallucinations_dropped_total 1/);
    assert.ok(!engine.logs.text().includes(apiKey), 'the API key is never logged');
    assert.ok(!JSON.stringify(result).includes(apiKey));
  });
});
