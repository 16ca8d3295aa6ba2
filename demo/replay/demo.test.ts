import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PrometheusClient } from '../../engine/src/sources/prometheus.ts';
import { DEFAULT_GOLDEN_SIGNALS, expandTemplate } from '../../engine/src/perception/metrics/goldenSignals.ts';
import { PROMETHEUS_MISSING, startLocalPrometheus } from '../../engine/src/local/prometheus.ts';
import { RECORDINGS_DIR, runDemo } from './demo.ts';
import { startMetricsApi } from './metricsApi.ts';
import { placeOnClock } from './timeline.ts';
import { DEFAULT_SCENARIO, findScenario, loadRecording, RecordingError } from './recording.ts';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
const STEP = 15;
const BEFORE = 30 * 60;
const AFTER = 6 * 60;
const BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Request latency (s) of each service at offset t: payments slows down from t=0, and its callers wait for it. */
function latency(service: string, t: number): number {
  const payments = t >= 0 ? 0.9 : 0.04;
  return service === 'payments' ? payments : service === 'checkout' ? 0.02 + payments : 0.03 + payments;
}

/** A tiny recording: frontend → checkout → payments, a latency fault on payments at t=0, one alert on frontend. */
function tinyRecording() {
  const services = ['frontend', 'checkout', 'payments'];
  const metrics: Array<{ labels: Record<string, string>; samples: Array<[number, number]> }> = [];
  for (const service of services) {
    const labels = { service, span_kind: 'SPAN_KIND_SERVER', span_name: `GET /${service}` };
    const calls: Array<[number, number]> = [];
    const buckets = BUCKETS.map(() => [] as Array<[number, number]>);
    const inf: Array<[number, number]> = [];
    let total = 0;
    const cumulative = BUCKETS.map(() => 0);
    for (let t = -BEFORE; t <= AFTER; t += STEP) {
      // 10 requests a second, spread ±20 % around the latency.
      const requests = 150;
      const mean = latency(service, t);
      total += requests;
      BUCKETS.forEach((le, index) => {
        const share = Math.min(1, Math.max(0, (le - 0.8 * mean) / (0.4 * mean)));
        cumulative[index] = (cumulative[index] ?? 0) + requests * share;
        buckets[index]?.push([t, Math.round(cumulative[index] ?? 0)]);
      });
      inf.push([t, total]);
      calls.push([t, total]);
    }
    metrics.push({ labels: { __name__: 'traces_spanmetrics_calls_total', ...labels, status_code: 'STATUS_CODE_UNSET' }, samples: calls });
    BUCKETS.forEach((le, index) =>
      metrics.push({ labels: { __name__: 'traces_spanmetrics_latency_bucket', ...labels, le: String(le) }, samples: buckets[index] ?? [] })
    );
    metrics.push({ labels: { __name__: 'traces_spanmetrics_latency_bucket', ...labels, le: '+Inf' }, samples: inf });
  }
  const logs = services.map((service) => ({
    stream: { service_name: service, level: 'info' },
    entries: Array.from({ length: (BEFORE + AFTER) / 20 }, (_, i): [number, string] => {
      const t = -BEFORE + i * 20 + 0.5;
      const slow = service === 'payments' && t >= 0;
      return [t, slow ? `WARN charge card took ${Math.round(latency(service, t) * 1000)} ms waiting for the card gateway` : `request handled in ${Math.round(latency(service, t) * 1000)} ms`];
    }),
  }));
  const traces = Array.from({ length: (BEFORE + AFTER) / 30 }, (_, i) => {
    const start = -BEFORE + i * 30 + 1;
    const id = (i + 1).toString(16).padStart(32, '0');
    const span = (n: number, service: string, parent?: string) => ({
      spanId: `${n}`.padStart(16, '0'),
      ...(parent === undefined ? {} : { parentSpanId: parent }),
      service,
      name: `GET /${service}`,
      kind: 'server',
      start: start + n * 0.001,
      durationMs: latency(service, start) * 1000,
      status: 'ok',
      attributes: { 'http.route': `/${service}` },
    });
    return { traceId: id, spans: [span(1, 'frontend'), span(2, 'checkout', '1'.padStart(16, '0')), span(3, 'payments', '2'.padStart(16, '0'))] };
  });
  const scenario = {
    name: 'tiny-latency',
    title: 'Payments slows down',
    description: 'A latency fault on payments, felt by checkout and frontend',
    recordedWith: 'demo shop test',
    durationSeconds: BEFORE + AFTER,
    before: BEFORE,
    fault: { service: 'payments', kind: 'latency', detail: '+850 ms on every charge' },
    services,
    cmdb: [
      { name: 'frontend', team: 'web', dependsOn: ['checkout'] },
      { name: 'checkout', team: 'orders', dependsOn: ['payments'] },
      { name: 'payments', team: 'payments' },
    ],
    changes: [],
    alerts: [
      {
        at: 120,
        body: {
          version: '4',
          groupKey: 'FrontendSlow',
          status: 'firing',
          receiver: 'intelops',
          groupLabels: {},
          commonLabels: {},
          commonAnnotations: {},
          externalURL: '',
          alerts: [
            {
              status: 'firing',
              labels: { alertname: 'FrontendSlow', service: 'frontend', severity: 'critical' },
              annotations: { summary: 'frontend p95 latency over 500 ms' },
              startsAt: 60,
            },
          ],
        },
      },
    ],
  };
  return { scenario, metrics, logs, traces };
}

async function writeRecording(root: string, files: Record<string, unknown>, name = 'tiny-latency'): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await writeFile(path.join(dir, `${file}.json`), JSON.stringify(content));
  }
  return dir;
}

describe('npm run demo', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'intelops-demo-test-'));
    await writeRecording(path.join(root, 'good'), tinyRecording());
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('--exit replays the recording without Prometheus and reports the faulty service first', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [MAIN, '--exit', '--port', '0', '--recordings', path.join(root, 'good')],
      { env: { ...process.env, INTELOPS_DEMO_METRICS: 'recording', INTELOPS_LLM_BASE_URL: '', INTELOPS_LLM_MODEL: '' }, timeout: 120_000 }
    );
    process.stdout.write(`${stdout}\n`);
    assert.match(stderr, /^demo: Incident inc_\S+ opened; analysing/m);
    assert.match(stdout, /^INCIDENT inc_\S+ {2}\[critical\]/m);
    assert.match(stdout, /alerts: {3}FrontendSlow: frontend p95 latency over 500 ms \(critical, frontend\)/);
    assert.match(stdout, /TOP CAUSES {2}\(graph ranking/);
    assert.match(stdout, /^ {2}1\. payments\s+latency\s+[█░]{20} \d+%$/m);
    assert.match(stdout, /Metrics from the recording/);
    assert.match(stdout, /agent run: [0-9a-f]{32}/);
    assert.match(stdout, /demo-runbook-check \S+: succeeded/);
    assert.match(stdout, /p95 latency of payments = \d+(\.\d+)?: fail/);
  });

  it('backfills a real Prometheus when one is installed, with the same top cause', { skip: PROMETHEUS_MISSING }, async () => {
    const run = await runDemo({ recordingsDir: path.join(root, 'good'), port: 0, metrics: 'prometheus', env: {} });
    try {
      assert.match(run.metricsFrom, /a local Prometheus/);
      assert.equal(run.rca.causes[0]?.service, 'payments', run.report);
      assert.equal(run.rca.method, 'graph');
      assert.deepEqual(run.runs.map((one) => `${one.workflow}:${one.status}`), ['demo-runbook-check:succeeded']);
    } finally {
      await run.close();
    }
  });

  it('answers the engine\'s PromQL from the recording as a real Prometheus does', { skip: PROMETHEUS_MISSING }, async () => {
    const recording = await loadRecording(path.join(root, 'good', 'tiny-latency'));
    const { series, endsAt } = placeOnClock(recording, Date.now());
    const promDir = await mkdtemp(path.join(os.tmpdir(), 'intelops-demo-prom-'));
    const real = await startLocalPrometheus(series, promDir);
    const served = await startMetricsApi(series);
    try {
      const queries = [
        ...DEFAULT_GOLDEN_SIGNALS.flatMap((signal) => signal.candidates.filter((candidate) => candidate.template.includes('traces_spanmetrics')).map((candidate) => expandTemplate(candidate, 'payments', 15))),
        'sum by (service) (rate(traces_spanmetrics_calls_total[5m])) > 9',
        'histogram_quantile(0.5, sum by (service, le) (rate(traces_spanmetrics_latency_bucket{service=~"pay.*|checkout"}[2m]))) * 1000',
        'max_over_time(traces_spanmetrics_calls_total{service="frontend"}[1m]) - 1',
      ];
      const range = { from: endsAt - 40 * 60_000, to: endsAt };
      for (const query of queries) {
        const [expected, actual] = await Promise.all(
          [real.url, served.url].map((url) => new PrometheusClient({ baseUrl: url }).queryRange(query, range, 15))
        );
        const key = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
        const byLabels = new Map((actual ?? []).map((one) => [key(one.labels), one.samples]));
        assert.equal(actual?.length, expected?.length, query);
        assert.ok((expected?.length ?? 0) > 0, query);
        for (const one of expected ?? []) {
          const samples = byLabels.get(key(one.labels));
          assert.ok(samples !== undefined, `${query}: ${key(one.labels)}`);
          assert.equal(samples.length, one.samples.length, query);
          one.samples.forEach((sample, index) => {
            const other = samples[index];
            assert.equal(other?.t, sample.t, query);
            assert.ok(Math.abs((other?.v ?? NaN) - sample.v) <= 1e-9 * Math.max(1, Math.abs(sample.v)) || (Number.isNaN(sample.v) && Number.isNaN(other?.v)), `${query} at ${(sample.t - endsAt) / 1000} s: ${other?.v} vs ${sample.v}`);
          });
        }
      }
    } finally {
      await served.close();
      await real.stop();
      await rm(promDir, { recursive: true, force: true });
    }
  });

  it('replays every shipped recording to a report whose top cause is the service the fault was injected into', async () => {
    for (const scenario of await readdir(RECORDINGS_DIR)) {
      const run = await runDemo({ scenario, port: 0, env: {} });
      try {
        assert.equal(run.rca.causes[0]?.service, run.scenario.fault.service, run.report);
        assert.ok(run.runs.length > 0, 'the analysis started a workflow run');
      } finally {
        await run.close();
      }
    }
  });

  it('names the folder when there is no recording, and the scenario when it is not there', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await assert.rejects(findScenario(empty), (error: unknown) => error instanceof RecordingError && error.message.startsWith(`No recorded scenario in ${empty}`));
    await assert.rejects(findScenario(path.join(root, 'good'), 'nope'), /No recorded scenario "nope" in .*good \(there are: tiny-latency\)/);
  });

  it('replays the default scenario when none is named, else the first by name', async () => {
    assert.equal(await findScenario(RECORDINGS_DIR), path.join(RECORDINGS_DIR, DEFAULT_SCENARIO));
    assert.equal(await findScenario(path.join(root, 'good')), path.join(root, 'good', 'tiny-latency'));
  });

  it('names the file and the field a broken recording gets wrong', async () => {
    const good = tinyRecording();
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['missing-file', { scenario: good.scenario, metrics: good.metrics, logs: good.logs }, /traces\.json: missing/],
      ['bad-offset', { ...good, scenario: { ...good.scenario, alerts: [{ at: 'soon', body: {} }] } }, /scenario\.json: alerts\[0\]\.at must be a number \(seconds\), not "soon"/],
      ['no-name', { ...good, metrics: [{ labels: { service: 'x' }, samples: [] }] }, /metrics\.json: \[0\]\.labels\.__name__ is missing/],
      ['bad-kind', { ...good, traces: [{ traceId: '1'.padStart(32, '0'), spans: [{ ...good.traces[0]?.spans[0], kind: 'rpc' }] }] }, /traces\.json: \[0\]\.spans\[0\]\.kind must be one of server, client, internal, producer, consumer, not "rpc"/],
      ['bad-fault', { ...good, scenario: { ...good.scenario, fault: { ...good.scenario.fault, service: 'db' } } }, /scenario\.json: fault\.service names "db", which is not in services/],
      ['bad-line', { ...good, logs: [{ stream: { service_name: 'a' }, entries: [[1, 2]] }] }, /logs\.json: \[0\]\.entries\[0\]\[1\] must be a non-empty string, not 2/],
    ];
    for (const [name, files, expected] of cases) {
      const dir = await writeRecording(path.join(root, 'broken'), files, name);
      await assert.rejects(loadRecording(dir), (error: unknown) => error instanceof RecordingError && expected.test(error.message) && error.message.includes(dir), name);
    }
    await writeFile(path.join(root, 'broken', 'bad-offset', 'logs.json'), '[{');
    await assert.rejects(loadRecording(path.join(root, 'broken', 'bad-offset')), /logs\.json: not valid JSON/);
  });

  it('exits 2 with the message when the recording is broken', async () => {
    const result = await promisify(execFile)(process.execPath, [MAIN, '--exit', '--recordings', path.join(root, 'broken'), '--scenario', 'no-name']).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' })
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^demo: .*no-name\/metrics\.json: \[0\]\.labels\.__name__ is missing$/m);
  });
});
