// npm run bench:tracing [-- --runs N] [--warmup N] [--json FILE]
// What tracing costs an analysis: the same incident analysed again and again through the real RcaService (evidence
// from a real Prometheus holding generated series for its four services, the deterministic ranker, runbook
// retrieval; in the llm scenario also the LLM step against the local OpenAI-compatible test server: a tool call,
// then the answer), with tracing on (the agent run recorder writing runs and spans to PGlite, and the OTLP/HTTP
// exporter sending to a loopback sink) and off, interleaved so drift hits both alike. Prints p50/p95/mean per mode
// and the added latency (target under 5 %), and checks that every traced analysis was stored and exported.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openTracing } from '../../engine/src/observability/tracing/openTracing.ts';
import { analysisFixture, INCIDENT_START } from '../../engine/src/observability/tracing/testing/analysisFixture.ts';
import { compileBodyValidator } from '../../engine/src/server/validation.ts';
import { SettingsSchema } from '../../engine/src/settings/settings.ts';
import type { Settings } from '../../engine/src/settings/settings.ts';
import { saveSettings } from '../../engine/src/store/settings.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../../engine/src/testing/prometheusServer.ts';
import type { PrometheusServer, RecordedSeries } from '../../engine/src/testing/prometheusServer.ts';
import { gaussian, seededRandom } from '../../engine/src/testing/random.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});

/** A whole number from a flag (at least `min`), or exit with a message naming the flag. */
function count(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${flag} takes a whole number of at least ${min}; got "${value}"`);
    process.exit(2);
  }
  return n;
}
const RUNS = count('runs', args.runs, 1);
const WARMUP = count('warmup', args.warmup, 0);
const SERVICES = ['checkout', 'payments', 'cart', 'catalogue'];
const MINUTE = 60_000;
const STEP_MS = 15_000;

/** Latency, error ratio and CPU of each service over the 70 minutes before the incident and the 30 after: checkout's CPU and latency rise five minutes before it. */
function series(): RecordedSeries[] {
  const noise = gaussian(seededRandom(7));
  const fault = INCIDENT_START - 5 * MINUTE;
  const gauge = (name: string, service: string, level: number, faulty: number): RecordedSeries => {
    const samples: Array<[number, number]> = [];
    for (let when = INCIDENT_START - 70 * MINUTE; when <= INCIDENT_START + 30 * MINUTE; when += STEP_MS) {
      samples.push([when, Math.max(0, (when >= fault ? faulty : level) * (1 + 0.03 * noise()))]);
    }
    return { name, labels: { service }, samples };
  };
  return SERVICES.flatMap((service) => {
    const broken = service === 'checkout';
    return [
      gauge('app_cpu_usage_cores', service, 0.3, broken ? 0.95 : 0.3),
      gauge('app_latency_seconds', service, 0.1, broken ? 0.7 : 0.1),
      gauge('app_error_ratio', service, 0.01, broken ? 0.05 : 0.01),
    ];
  });
}

const signal = (kind: 'latency' | 'errors' | 'saturation', name: string, unit: string, metric: string) => ({
  signal: kind,
  name,
  unit,
  candidates: [{ template: `${metric}{service="$service"}`, serviceLabel: 'service' }],
});
const GOLDEN_SIGNALS = [
  signal('latency', 'latency', 'seconds', 'app_latency_seconds'),
  signal('errors', 'error ratio', 'ratio', 'app_error_ratio'),
  signal('saturation', 'CPU', 'cores', 'app_cpu_usage_cores'),
];

/** A loopback OTLP/HTTP sink: counts the export requests and spans it is sent. */
async function startSink() {
  let requests = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      requests += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    bytes: () => bytes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export interface ModeResult {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

export interface ScenarioResult {
  /** graph: the deterministic ranking answers; llm: the LLM step too, against the local test server. */
  scenario: 'graph' | 'llm';
  runs: number;
  services: number;
  spansPerRun: number;
  off: ModeResult;
  on: ModeResult;
  /** (on − off) / off of the median, the 95th percentile and the mean. */
  addedP50: number;
  addedP95: number;
  addedMean: number;
  /** The median over pairs (each traced analysis and the untraced one next to it) of (on − off) / off. */
  addedPaired: number;
  recordedRuns: number;
  exportRequests: number;
  exportedBytes: number;
}

function summary(times: readonly number[]): ModeResult {
  return {
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    meanMs: times.reduce((sum, time) => sum + time, 0) / times.length,
  };
}

const pct = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} %`;

function report(result: ScenarioResult): void {
  const { scenario, off, on } = result;
  console.log(
    `${scenario}: ${result.runs} analyses per mode (interleaved, after ${WARMUP} warm-up), incident of ${result.services} services, ${result.spansPerRun.toFixed(1)} spans per traced run`
  );
  console.log(
    `${scenario}: tracing off: p50 ${off.p50Ms.toFixed(2)} ms, p95 ${off.p95Ms.toFixed(2)} ms, mean ${off.meanMs.toFixed(2)} ms`
  );
  console.log(
    `${scenario}: tracing on:  p50 ${on.p50Ms.toFixed(2)} ms, p95 ${on.p95Ms.toFixed(2)} ms, mean ${on.meanMs.toFixed(2)} ms`
  );
  console.log(
    `${scenario}: added latency: p50 ${pct(result.addedP50)}, p95 ${pct(result.addedP95)}, mean ${pct(result.addedMean)}, median of pairs ${pct(result.addedPaired)} (target under +5.0 % at p50: ${result.addedP50 < 0.05 ? 'met' : 'NOT MET'})`
  );
  console.log(
    `${scenario}: recorded ${result.recordedRuns} of ${result.runs} traced runs; OTLP sink got ${result.exportRequests} requests, ${(result.exportedBytes / 1024).toFixed(0)} KiB`
  );
}

const sink = await startSink();
// The standard variable the engine's exporter reads.
process.env.OTEL_EXPORTER_OTLP_ENDPOINT = sink.url;
const fixture = await analysisFixture({ services: SERVICES.slice(1) });
let prometheus: PrometheusServer | undefined;
const tracing = openTracing({ store: fixture.store, logger: fixture.logger, version: 'bench' });
const results: ScenarioResult[] = [];
let failed = false;
try {
  if (PROMETHEUS_MISSING === undefined) {
    prometheus = await startPrometheus(series());
    // Checked as PUT /api/v1/settings would check it.
    const settings: unknown = { prometheus: { url: prometheus.url }, goldenSignals: GOLDEN_SIGNALS };
    const valid = compileBodyValidator<Settings>(SettingsSchema);
    if (!valid(settings)) {
      throw new Error(`bench settings are invalid: ${JSON.stringify(valid.errors)}`);
    }
    await saveSettings(fixture.store, settings);
  } else {
    console.log(`analyses without metrics: ${PROMETHEUS_MISSING}`);
  }
  for (const scenario of ['graph', 'llm'] as const) {
    const withLlm = scenario === 'llm';
    const traced = fixture.service(tracing, { withLlm });
    const untraced = fixture.service(undefined, { withLlm });
    const analyse = async (traceOn: boolean): Promise<number> => {
      if (withLlm) {
        fixture.scriptAnalysis();
      }
      const started = performance.now();
      const result = await (traceOn ? traced : untraced).analyze(fixture.incident);
      const ms = performance.now() - started;
      if (result.method !== scenario) {
        throw new Error(
          `the ${scenario} analysis answered with ${result.method}: ${result.fallbackReason ?? 'no reason'}`
        );
      }
      return ms;
    };
    for (let index = 0; index < WARMUP; index++) {
      await analyse(index % 2 === 0);
    }
    await tracing.flush();
    const storedSoFar = async () =>
      (
        await fixture.store.query<{ n: number; spans: number }>(
          'select count(*)::int as n, (select count(*)::int from agent_spans) as spans from agent_runs'
        )
      ).rows[0] ?? { n: 0, spans: 0 };
    const before = await storedSoFar();
    const requestsBefore = sink.requests();
    const bytesBefore = sink.bytes();
    const times = { on: [] as number[], off: [] as number[] };
    const paired: number[] = [];
    for (let index = 0; index < RUNS; index++) {
      // Alternate which mode goes first, so a slow patch of the machine lands on both.
      for (const traceOn of index % 2 === 0 ? [true, false] : [false, true]) {
        times[traceOn ? 'on' : 'off'].push(await analyse(traceOn));
      }
      const on = times.on[index] ?? Number.NaN;
      const off = times.off[index] ?? Number.NaN;
      paired.push((on - off) / off);
    }
    await tracing.flush();
    const after = await storedSoFar();
    const recordedRuns = after.n - before.n;
    const off = summary(times.off);
    const on = summary(times.on);
    const result: ScenarioResult = {
      scenario,
      runs: RUNS,
      services: fixture.incident.services.length,
      spansPerRun: (after.spans - before.spans) / Math.max(1, recordedRuns),
      off,
      on,
      addedP50: (on.p50Ms - off.p50Ms) / off.p50Ms,
      addedP95: (on.p95Ms - off.p95Ms) / off.p95Ms,
      addedMean: (on.meanMs - off.meanMs) / off.meanMs,
      addedPaired: percentile(paired, 50),
      recordedRuns,
      exportRequests: sink.requests() - requestsBefore,
      exportedBytes: sink.bytes() - bytesBefore,
    };
    report(result);
    results.push(result);
    if (recordedRuns !== RUNS || result.exportRequests === 0) {
      failed = true;
      console.error(`${scenario}: tracing lost runs: not every traced analysis was stored and exported`);
    }
  }
  if (args.json !== undefined) {
    writeFileSync(args.json, JSON.stringify({ results }, null, 2));
  }
} finally {
  await tracing.close();
  await fixture.close();
  await sink.close();
  await prometheus?.stop();
}
process.exitCode = failed ? 1 : 0;
