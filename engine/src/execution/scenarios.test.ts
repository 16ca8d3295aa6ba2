import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startEngine } from '../testing/engine.ts';
import type { RunningEngine } from '../testing/engine.ts';
import { serveTempoTraces } from '../testing/fakeTempo.ts';
import type { RecordedTrace } from '../testing/fakeTempo.ts';
import { readJson } from '../testing/http.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../testing/prometheusServer.ts';
import type { PrometheusServer, RecordedSeries } from '../testing/prometheusServer.ts';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { tempDir } from '../testing/temp.ts';
import type { TempDir } from '../testing/temp.ts';
import { builtInActions } from './actions/registry.ts';
import { loadPolicy } from './runs/policy.ts';
import { loadWorkflowFolder } from './workflows/loadWorkflowFolder.ts';

/** The workflows and the policy docker-compose.yaml mounts, tested as shipped. */
const DEPLOY = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const WORKFLOWS_DIR = path.join(DEPLOY, 'workflows');
const POLICY_FILE = path.join(DEPLOY, 'workflow-policy.yaml');

const SECRETS = {
  remediation_token: 'rem-token-8d1f3c7a',
  grafana_annotation_token: 'glsa_scenario_5b2e9f41',
};

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A loopback HTTP receiver that records every request and answers with `answer`'s JSON. */
async function startRecorder(answer: (request: Received, index: number) => unknown = () => ({ ok: true })) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: text === '' ? null : JSON.parse(text),
      };
      received.push(entry);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer(entry, received.length)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Recorder = Awaited<ReturnType<typeof startRecorder>>;

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await read();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not seen in ${ms / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const MINUTE = 60_000;
const STEP = 15_000;
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Tempo span metrics of one service, as docker-compose.yaml's Tempo writes them: calls by status code and a latency
 * histogram, at 20 requests/s from `from` to `to`, with the error ratio and latency `at` gives for each instant.
 */
function spanMetrics(
  service: string,
  from: number,
  to: number,
  at: (t: number) => { errorRatio: number; latency: number }
): RecordedSeries[] {
  const labels = { service, span_kind: 'SPAN_KIND_SERVER' };
  const ok: Array<[number, number]> = [];
  const errors: Array<[number, number]> = [];
  const buckets = [...BUCKETS, Number.POSITIVE_INFINITY].map((le) => ({ le, samples: [] as Array<[number, number]> }));
  let [okTotal, errorTotal] = [0, 0];
  for (let t = from; t <= to; t += STEP) {
    const { errorRatio, latency } = at(t);
    const calls = 20 * (STEP / 1000);
    okTotal += calls * (1 - errorRatio);
    errorTotal += calls * errorRatio;
    ok.push([t, okTotal]);
    errors.push([t, errorTotal]);
    for (const bucket of buckets) {
      // Every call of this instant takes `latency`: the buckets at or above it count them.
      bucket.samples.push([t, (bucket.samples.at(-1)?.[1] ?? 0) + (latency <= bucket.le ? calls : 0)]);
    }
  }
  return [
    { name: 'traces_spanmetrics_calls_total', labels: { ...labels, status_code: 'STATUS_CODE_OK' }, samples: ok },
    {
      name: 'traces_spanmetrics_calls_total',
      labels: { ...labels, status_code: 'STATUS_CODE_ERROR' },
      samples: errors,
    },
    ...buckets.map((bucket) => ({
      name: 'traces_spanmetrics_latency_bucket',
      labels: { ...labels, le: Number.isFinite(bucket.le) ? String(bucket.le) : '+Inf' },
      samples: bucket.samples,
    })),
  ];
}

function alertmanager(alertname: string, service: string, startsAt: number) {
  const alert = {
    status: 'firing',
    labels: { alertname, service, severity: 'critical' },
    annotations: {},
    startsAt: new Date(startsAt).toISOString(),
  };
  return {
    version: '4',
    groupKey: alertname,
    status: 'firing',
    receiver: 'intelops',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
    alerts: [alert],
  };
}

function textOf(received: Received): string {
  const body = received.body;
  return typeof body === 'object' && body !== null && 'text' in body && typeof body.text === 'string' ? body.text : '';
}

function tagsOf(received: Received): unknown[] {
  const body = received.body;
  return typeof body === 'object' && body !== null && 'tags' in body && Array.isArray(body.tags) ? body.tags : [];
}

/** The engine's actions, for loading and checking workflows (nothing here runs them). */
const notRunning = () => Promise.reject(new Error('only loading, not running'));
const engineActions = () => builtInActions({ llm: () => undefined, openIncident: notRunning, recordChange: notRunning, analyze: notRunning });

describe('the shipped workflows', () => {
  it('load against the built-in actions, with the policy docker-compose.yaml mounts', async () => {
    const folder = await loadWorkflowFolder(WORKFLOWS_DIR, engineActions());
    assert.deepEqual(folder.errors, []);
    assert.deepEqual(folder.workflows.map((entry) => entry.workflow.name).sort(), [
      'change-assessment',
      'demo-shop-faults',
      'incident-analysis',
      'incident-response',
      'routine-inspection',
    ]);
    const policy = await loadPolicy(POLICY_FILE);
    assert.deepEqual(policy.unattended, [{ actions: ['slack', 'grafana_annotation'] }, { actions: ['webhook'], workflows: ['demo-shop-faults'] }]);
    const routine = folder.workflows.find((entry) => entry.workflow.name === 'routine-inspection')?.workflow;
    assert.deepEqual(routine?.triggers, [{ on: 'schedule', cron: '0 8 * * *' }, { on: 'manual' }]);
  });

  it('name in their header comment every secret they use', async () => {
    const folder = await loadWorkflowFolder(WORKFLOWS_DIR, engineActions());
    for (const { workflow, text } of folder.workflows) {
      const header = text.slice(0, text.indexOf('\nname:'));
      const used = new Set(
        [...JSON.stringify(workflow.steps).matchAll(/"(?:webhookSecret|tokenSecret|urlSecret|secret)":"([^"]+)"/g)].map(
          (match) => match[1]
        )
      );
      if (used.size === 0) {
        assert.match(header, /No secrets/, `${workflow.name} uses no secret: its header says so`);
      }
      for (const secret of used) {
        assert.ok(
          header.includes(secret ?? ''),
          `${workflow.name}: secret ${secret} is not described in the header comment`
        );
      }
    }
  });
});

describe('the shipped scenarios, end to end', { skip: PROMETHEUS_MISSING }, () => {
  // Samples end now: the inspections read the last minutes as Prometheus has them.
  const now = Math.floor(Date.now() / STEP) * STEP;
  const from = now - 90 * MINUTE;
  let prometheus: PrometheusServer;
  let engine: RunningEngine;
  let secretsDir: TempDir;
  let chat: Recorder;
  let grafana: Recorder;
  let automation: Recorder;
  let tempo: ReplayServer;

  before(async () => {
    prometheus = await startPrometheus([
      // The incident: checkout errs at 10 % from 20 to 5 minutes ago, then recovers.
      ...spanMetrics('checkout', from, now, (t) => ({
        errorRatio: t >= now - 20 * MINUTE && t < now - 5 * MINUTE ? 0.1 : 0.005,
        latency: 0.2,
      })),
      // Changed 20 minutes ago: cart's errors go from 0.5 % to 8 %; orders stays as it was.
      ...spanMetrics('cart', from, now, (t) => ({ errorRatio: t >= now - 20 * MINUTE ? 0.08 : 0.005, latency: 0.1 })),
      ...spanMetrics('orders', from, now, () => ({ errorRatio: 0.005, latency: 0.1 })),
    ]);
    chat = await startRecorder();
    grafana = await startRecorder((request, index) =>
      request.method === 'GET' ? [] : { id: index, message: 'Annotation added' }
    );
    automation = await startRecorder(() => ({ job: 'restart-42', status: 'started' }));
    tempo = await startReplayServer();
    // Tempo's traces of the incident: checkout's failed requests, four a minute from 20 to 5 minutes ago (60 traces),
    // a few of cart's, and checkout traces that ended well.
    const traces: RecordedTrace[] = [
      ...Array.from({ length: 60 }, (_, i) => ({
        traceId: `c0ffee${String(i).padStart(26, '0')}`,
        rootService: 'checkout',
        rootName: 'POST /api/checkout',
        start: now - 20 * MINUTE + i * 15_000,
        durationMs: 180 + i,
        status: 'error' as const,
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        traceId: `0a${String(i).padStart(30, '0')}`,
        rootService: 'checkout',
        rootName: 'POST /api/checkout',
        start: now - 60 * MINUTE + i * MINUTE,
        durationMs: 150,
        status: 'ok' as const,
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        traceId: `ca${String(i).padStart(30, '0')}`,
        rootService: 'cart',
        rootName: 'GET /api/cart',
        start: now - 10 * MINUTE + i * MINUTE,
        durationMs: 90,
        status: 'error' as const,
      })),
    ];
    serveTempoTraces(tempo, traces);
    secretsDir = await tempDir('secrets');
    const secrets: Record<string, string> = {
      ...SECRETS,
      ops_slack_webhook: `${chat.url}/services/T000/B000/xoxhook`,
      remediation_url: `${automation.url}/api/job/run`,
    };
    for (const [name, value] of Object.entries(secrets)) {
      await writeFile(path.join(secretsDir.path, name), `${value}\n`);
    }
    engine = await startEngine({
      execution: {
        egressAllow: '127.0.0.1',
        workflowsDir: WORKFLOWS_DIR,
        workflowPolicy: POLICY_FILE,
        secretsDir: secretsDir.path,
      },
    });
    const saved = await engine.request('/api/v1/settings', {
      json: { prometheus: { url: prometheus.url }, grafana: { url: grafana.url } },
    });
    assert.equal(saved.status, 200, await saved.clone().text());
  });
  after(async () => {
    await engine?.stop();
    await prometheus?.stop();
    await Promise.all([chat?.close(), grafana?.close(), automation?.close(), tempo?.close()]);
    await secretsDir?.remove();
  });

  async function runsOf(workflow: string): Promise<Array<{ id: string; status: string; workflow: string }>> {
    const { runs } = await readJson(await engine.request('/api/v1/workflow-runs'));
    assert.ok(Array.isArray(runs));
    return runs.filter(
      (run): run is { id: string; status: string; workflow: string } =>
        typeof run === 'object' && run !== null && 'workflow' in run && run.workflow === workflow
    );
  }

  async function finished(id: string): Promise<Record<string, unknown>> {
    return waitFor(`run ${id} to finish`, async () => {
      const view = await readJson(await engine.request(`/api/v1/workflow-runs/${id}`));
      return ['succeeded', 'failed', 'rejected', 'expired'].includes(String(view.status)) ? view : undefined;
    });
  }

  it('incident response: analysis → message with the causes → runbook check → approved remediation → post-check → annotation', async () => {
    const changed = await engine.request('/api/v1/changes', {
      method: 'POST',
      json: {
        id: 'deploy-checkout-7',
        kind: 'deploy',
        service: 'checkout',
        title: 'checkout v7',
        startsAt: new Date(now - 22 * MINUTE).toISOString(),
      },
    });
    assert.equal(changed.status, 200, await changed.clone().text());
    await engine.request('/api/v1/alerts/alertmanager', {
      method: 'POST',
      json: alertmanager('CheckoutErrors', 'checkout', now - 18 * MINUTE),
    });
    const { incidents } = await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0'));
    assert.ok(Array.isArray(incidents));
    const incident: unknown = incidents[0];
    assert.ok(typeof incident === 'object' && incident !== null && 'id' in incident && typeof incident.id === 'string');
    const analysed = await engine.request(`/api/v1/incidents/${incident.id}/analyze`, { method: 'POST' });
    assert.equal(analysed.status, 200, await analysed.clone().text());
    const rca = await readJson(analysed);
    assert.ok(Array.isArray(rca.causes));
    const causes = rca.causes.filter(
      (cause): cause is { service: string; evidence: string[] } =>
        typeof cause === 'object' && cause !== null && 'service' in cause
    );
    assert.equal(causes[0]?.service, 'checkout', JSON.stringify(rca.causes));

    const approval = await waitFor('the remediation to ask for approval', async () => {
      const { approvals } = await readJson(await engine.request('/api/v1/approvals?state=pending'));
      return Array.isArray(approvals)
        ? approvals.find(
            (item): item is { id: string; what: string; stepId: string } =>
              typeof item === 'object' && item !== null && 'stepId' in item && item.stepId === 'remediate'
          )
        : undefined;
    });
    assert.equal(
      approval.what,
      'Run remediation: POST [secret remediation_url] with a JSON body with secret remediation_token in headers'
    );
    assert.equal(automation.received.length, 0, 'nothing is remediated before a person approves');

    const message = chat.received.map(textOf).find((text) => text.includes('Top suspected causes'));
    assert.ok(message !== undefined, JSON.stringify(chat.received.map(textOf)));
    assert.match(message, /\*CheckoutErrors\* \(critical\) on checkout/);
    assert.match(message, /^1\. \*checkout\* – /m);
    for (const cause of causes) {
      for (const evidence of cause.evidence) {
        assert.ok(message.includes(evidence), `the message cites ${evidence}`);
      }
    }
    assert.ok(
      message.includes(
        `<http://localhost:3000/a/intelops-aiops-app/investigation/${incident.id}|investigate ${incident.id}>`
      ),
      message
    );

    const approved = await engine.request(`/api/v1/approvals/${approval.id}/approve`, {
      method: 'POST',
      json: {},
      headers: { 'x-grafana-user': 'alice' },
    });
    assert.equal(approved.status, 200, await approved.clone().text());
    const [run] = await runsOf('incident-response');
    assert.ok(run !== undefined);
    const view = await finished(run.id);
    assert.equal(view.status, 'succeeded', JSON.stringify(view.steps));
    assert.ok(Array.isArray(view.steps));
    const steps = new Map(view.steps.map((step: { id: string; status: string; output: unknown }) => [step.id, step]));
    assert.deepEqual(
      [...steps.values()].map((step) => `${step.id}:${step.status}`),
      [
        'notify:succeeded',
        'runbook_check:succeeded',
        'remediate:succeeded',
        'post_check:succeeded',
        'annotate:succeeded',
      ]
    );
    assert.equal(
      JSON.stringify(steps.get('runbook_check')?.output).includes('"passed":false'),
      true,
      'the runbook check saw the errors'
    );

    assert.equal(automation.received.length, 1);
    const job = automation.received[0];
    assert.equal(job?.path, '/api/job/run');
    assert.equal(job?.headers.authorization, `Bearer ${SECRETS.remediation_token}`);
    assert.deepEqual(job?.body, {
      service: 'checkout',
      indicator: rca.causes[0].indicator,
      action: rca.causes[0].actions[0] ?? '',
      incident: incident.id,
      reason: 'CheckoutErrors',
    });

    const annotation = grafana.received.find(
      (request) => request.method === 'POST' && tagsOf(request).includes('incident-response')
    );
    assert.ok(annotation !== undefined);
    assert.equal(annotation.path, '/api/annotations');
    assert.equal(annotation.headers.authorization, `Bearer ${SECRETS.grafana_annotation_token}`);
    assert.deepEqual(tagsOf(annotation), ['intelops', 'incident-response', 'checkout']);
    assert.match(textOf(annotation), /top cause checkout .*Remediation ran; the post-check passed\.$/);
    assert.ok(JSON.stringify(view.audit).includes('alice'), 'the approver is in the audit trail');

    const shown = JSON.stringify(view) + engine.logs.text();
    for (const [name, value] of Object.entries(SECRETS)) {
      assert.ok(!shown.includes(value), `secret ${name} leaked into the run or the logs`);
    }
    assert.ok(!shown.includes('xoxhook'), 'the chat webhook URL leaked into the run or the logs');
  });

  it('change assessment: degraded when the service degrades after the change, healthy when it does not', async () => {
    const startsAt = new Date(now - 20 * MINUTE).toISOString();
    for (const service of ['cart', 'orders']) {
      const saved = await engine.request('/api/v1/changes', {
        method: 'POST',
        json: { id: `deploy-${service}-3`, kind: 'deploy', service, title: `${service} v3`, startsAt },
      });
      assert.equal(saved.status, 200, await saved.clone().text());
    }
    const runs = await waitFor('two change assessments', async () => {
      const found = (await runsOf('change-assessment')).filter((run) => !JSON.stringify(run).includes('checkout'));
      return found.length >= 2 ? found : undefined;
    });
    for (const run of runs) {
      const view = await finished(run.id);
      assert.equal(view.status, 'succeeded', JSON.stringify(view.steps));
    }
    const annotations = new Map(
      grafana.received
        .filter((request) => request.method === 'POST' && tagsOf(request).includes('change-assessment'))
        .map((request) => [String(tagsOf(request)[2]), request])
    );
    assert.deepEqual(tagsOf(annotations.get('cart') ?? { method: '', path: '', headers: {}, body: null }), [
      'intelops',
      'change-assessment',
      'cart',
      'degraded',
    ]);
    assert.deepEqual(tagsOf(annotations.get('orders') ?? { method: '', path: '', headers: {}, body: null }), [
      'intelops',
      'change-assessment',
      'orders',
      'healthy',
    ]);
    const body = annotations.get('cart')?.body;
    assert.ok(typeof body === 'object' && body !== null && 'time' in body);
    assert.equal(body.time, Date.parse(startsAt), 'the annotation marks the change');
    assert.match(
      textOf(annotations.get('cart') ?? { method: '', path: '', headers: {}, body: null }),
      /^Degraded after deploy "cart v3" on cart: error ratio after 0\.0[6-8]\d*/
    );

    const messages = chat.received.map(textOf);
    const cart = messages.find((text) => text.includes('"cart v3"'));
    const orders = messages.find((text) => text.includes('"orders v3"'));
    assert.match(cart ?? '', /^:warning: \*Degraded\* after deploy "cart v3" on \*cart\*/);
    assert.match(cart ?? '', /error ratio after: 0\.0\d+ vs 0\.005\d* before \(above the limit 0\.015\d*\)/);
    assert.match(orders ?? '', /^:white_check_mark: \*Healthy\* after deploy "orders v3" on \*orders\*/);

    // The degraded change opened an incident, whose analysis ranks the change as a candidate cause.
    const incidentId = /Incident opened in IntelOps: (\S+)\./.exec(cart ?? '')?.[1];
    assert.ok(incidentId !== undefined, `the message names the incident: ${cart ?? ''}`);
    assert.ok(!(orders ?? '').includes('Incident opened'));
    // Grouped like any alert: with the checkout change's incident of the same minutes, when that one degraded too.
    const incident = await readJson(await engine.request(`/api/v1/incidents/${incidentId}`));
    assert.ok(Array.isArray(incident.services) && incident.services.includes('cart'), JSON.stringify(incident.services));
    assert.ok(JSON.stringify(incident.alerts).includes('Degraded after deploy \\"cart v3\\" on cart'), JSON.stringify(incident.alerts));
    const analysis = await engine.request(`/api/v1/incidents/${incidentId}/analyze`, { method: 'POST', json: {} });
    assert.equal(analysis.status, 200, await analysis.clone().text());
    const { causes } = await readJson(analysis);
    assert.ok(Array.isArray(causes));
    assert.ok(
      causes.some((cause: unknown) => JSON.stringify(cause).includes('deploy-cart-3')),
      `a cause cites the change: ${JSON.stringify(causes)}`
    );
  });

  it('routine inspection: a manual run reports every service and names the failing ones', async () => {
    // Tempo joins only now, so the analyses above read the metrics they were written against.
    const saved = await engine.request('/api/v1/settings', {
      json: { prometheus: { url: prometheus.url }, grafana: { url: grafana.url }, tempo: { url: tempo.url } },
    });
    assert.equal(saved.status, 200, await saved.clone().text());
    const started = await engine.request('/api/v1/workflows/routine-inspection/runs', { method: 'POST', json: {} });
    assert.equal(started.status, 202, await started.clone().text());
    const { id } = await readJson(started);
    const view = await finished(String(id));
    assert.equal(view.status, 'succeeded', JSON.stringify(view.steps));
    const report = chat.received.map(textOf).find((text) => text.includes('*Daily inspection* (manual run)'));
    assert.ok(report !== undefined);
    assert.match(report, /^:warning: \*Daily inspection\* \(manual run\)/);
    assert.match(report, /error ratio by service \(max < 0\.05\): fail across 3 services/);
    assert.match(report, /✗ checkout: 0\.\d+/);
    assert.match(report, /✗ cart: 0\.0\d+/);
    assert.doesNotMatch(report, /✗ orders/);
    assert.match(report, /p95 latency by service \(max < 1\): pass across 3 services/);
    // The TraceQL check: checkout's 60 failed traces in the day, the newest three to open.
    assert.match(report, /checkout error traces \(traces < 50\): fail, 60 traces\n/);
    assert.match(report, /✗ trace c0ffee0{24}59 POST \/api\/checkout \(239 ms\)\n {4}✗ trace c0ffee0{24}58 /);
    assert.equal(report.match(/✗ trace /g)?.length, 3, report);
    const [search] = tempo.requests;
    assert.equal(search?.query.get('q'), '{ resource.service.name = "checkout" && status = error }');
    // The day in whole seconds, widened to cover its edges.
    const seconds = Number(search?.query.get('end')) - Number(search?.query.get('start'));
    assert.ok(seconds === 24 * 3600 || seconds === 24 * 3600 + 1, String(seconds));
  });

  it('demo shop faults: a bad deploy is recorded as a change, then the service is asked for errors, with no approval', async () => {
    async function dryRun(inputs: Record<string, string>) {
      const started = await engine.request('/api/v1/workflows/demo-shop-faults/runs', { method: 'POST', json: { inputs, dryRun: true } });
      assert.equal(started.status, 202, await started.clone().text());
      const view = await finished(String((await readJson(started)).id));
      assert.equal(view.status, 'succeeded', JSON.stringify(view.steps));
      return view.steps as Array<{ id: string; status: string; input: unknown; output: { description?: string; approval?: boolean } | null }>;
    }
    const [deploy, inject, clear] = await dryRun({ service: 'payment', kind: 'bad_deploy' });
    assert.deepEqual(deploy?.output, { dryRun: true, description: 'record the deploy "payment 0.1.1 rolled out" on payment', approval: false });
    assert.deepEqual(inject?.output, { dryRun: true, description: 'Send POST http://payment:8082/-/faults with a JSON body', approval: false });
    assert.deepEqual(inject?.input, { url: 'http://payment:8082/-/faults', body: { kind: 'errors' } });
    assert.equal(clear?.status, 'skipped');
    const cleared = await dryRun({ service: 'productcatalog', kind: 'clear' });
    assert.deepEqual(cleared.map((step) => step.status), ['skipped', 'skipped', 'succeeded']);
    assert.equal(cleared[2]?.output?.description, 'Send DELETE http://productcatalog:8084/-/faults');
    const refused = await engine.request('/api/v1/workflows/demo-shop-faults/runs', { method: 'POST', json: { inputs: { service: 'payments', kind: 'errors' } } });
    assert.equal(refused.status, 400);
    assert.match(String((await readJson(refused)).message), /inputs\/service must be equal to one of the allowed values/);
  });

  it('incident analysis: analyze_incident ranks an incident as the Analyze button does', async () => {
    const workflow = [
      'name: analyze-now',
      'triggers:',
      '  - on: manual',
      '    inputs: { type: object, required: [incident], properties: { incident: { type: string } } }',
      'steps:',
      '  - id: analyze',
      '    action: analyze_incident',
      '    with: { incidentId: "{{ inputs.incident }}" }',
    ].join('\n');
    const saved = await engine.request('/api/v1/workflows/analyze-now', { method: 'PUT', body: workflow, headers: { 'content-type': 'application/yaml' } });
    assert.equal(saved.status, 201, await saved.clone().text());
    const { incidents } = await readJson(await engine.request('/api/v1/incidents?alerts=none&from=0&service=checkout'));
    assert.ok(Array.isArray(incidents) && incidents.length > 0);
    const incidentId = String(Object(incidents[0]).id);
    const run = async (incident: string) => {
      const started = await engine.request('/api/v1/workflows/analyze-now/runs', { method: 'POST', json: { inputs: { incident } } });
      assert.equal(started.status, 202, await started.clone().text());
      return finished(String((await readJson(started)).id));
    };
    const view = await run(incidentId);
    assert.equal(view.status, 'succeeded', JSON.stringify(view.steps));
    const [step] = view.steps as Array<{ output: { incidentId: string; causes: Array<{ service: string; confidence: number }>; traceId: string | null } }>;
    const rca = await readJson(await engine.request(`/api/v1/incidents/${incidentId}/rca`));
    assert.equal(step?.output.incidentId, incidentId);
    assert.equal(step?.output.causes[0]?.service, 'checkout');
    assert.deepEqual(
      step?.output.causes.map((cause) => [cause.service, cause.confidence]),
      (rca.causes as Array<{ service: string; confidence: number }>).map((cause) => [cause.service, cause.confidence]),
      'the stored analysis is the one the step ran'
    );
    assert.equal(step?.output.traceId, rca.traceId ?? null);
    const missing = await run('inc_missing');
    assert.equal(missing.status, 'failed');
    assert.match(JSON.stringify(missing.steps), /analyze_incident: no incident with id \\"inc_missing\\"/);
  });
});
