import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../engine/src/config.ts';
import { openEngine } from '../../engine/src/engine.ts';
import type { Engine } from '../../engine/src/engine.ts';
import { PROMETHEUS_MISSING, startLocalPrometheus } from '../../engine/src/local/prometheus.ts';
import { createLogger } from '../../engine/src/observability/logger.ts';
import type { ApiServer } from './apiServer.ts';
import { EngineClient } from './engineClient.ts';
import type { IncidentView, RcaView, RunView } from './engineClient.ts';
import { startLogsApi } from './logsApi.ts';
import { startMetricsApi } from './metricsApi.ts';
import { findScenario, loadRecording } from './recording.ts';
import type { Scenario } from './recording.ts';
import { formatReport } from './report.ts';
import { placeOnClock } from './timeline.ts';
import { startTracesApi } from './tracesApi.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RECORDINGS_DIR = path.join(HERE, '..', 'recordings');
export const DEMO_WORKFLOWS_DIR = path.join(HERE, 'workflows');
const RUNS_APPEAR_MS = 10_000;

/** Only these pass from the user's environment to the demo engine: the LLM, so the analysis may use one. */
const PASSED_ENV = [
  'INTELOPS_LLM_BASE_URL',
  'INTELOPS_LLM_MODEL',
  'INTELOPS_LLM_API_KEY',
  'INTELOPS_LLM_API_KEY_FILE',
  'INTELOPS_LLM_TIMEOUT_MS',
  'INTELOPS_LLM_MAX_RETRIES',
  'INTELOPS_LLM_TOKEN_BUDGET',
  'INTELOPS_LLM_API_VERSION',
];

export type MetricsMode = 'auto' | 'prometheus' | 'recording';

export interface DemoOptions {
  recordingsDir?: string;
  scenario?: string;
  /** 0: a free port. */
  port?: number;
  /** auto: a real Prometheus when installed, else served from the recording. */
  metrics?: MetricsMode;
  /** Where the engine keeps its PGlite database; default a temporary folder removed on close. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines (the report is returned, not written here). */
  progress?: (line: string) => void;
  /** How long to wait for the incident and for workflow runs. */
  timeoutMs?: number;
}

export interface DemoRun {
  report: string;
  url: string;
  token: string;
  scenario: Scenario;
  incident: IncidentView;
  rca: RcaView;
  runs: RunView[];
  metricsFrom: string;
  close(): Promise<void>;
}

/** Replays a recorded scenario into a fresh engine, analyses the incident it raises and reports what was found. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
  const progress = options.progress ?? (() => undefined);
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = await findScenario(options.recordingsDir ?? RECORDINGS_DIR, options.scenario);
  const recording = await loadRecording(dir);
  const { scenario } = recording;
  progress(`Loaded ${dir}: ${recording.metrics.length} series, ${recording.logs.length} log streams, ${recording.traces.length} traces`);
  const timeline = placeOnClock(recording, Date.now());

  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => progress(`while stopping: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  try {
    const work = await mkdtemp(path.join(os.tmpdir(), 'intelops-demo-'));
    cleanups.push(() => rm(work, { recursive: true, force: true }));

    const mode = options.metrics ?? 'auto';
    if (mode === 'prometheus' && PROMETHEUS_MISSING !== undefined) {
      throw new Error(`--metrics prometheus: ${PROMETHEUS_MISSING}`);
    }
    let metricsUrl: string;
    let metricsFrom: string;
    if (mode !== 'recording' && PROMETHEUS_MISSING === undefined) {
      progress('Backfilling the recorded series into a local Prometheus (promtool) ...');
      const promDir = path.join(work, 'prometheus');
      await mkdir(promDir);
      const prometheus = await startLocalPrometheus(timeline.series, promDir);
      cleanups.push(() => prometheus.stop());
      metricsUrl = prometheus.url;
      metricsFrom = `a local Prometheus (backfilled with promtool) at ${prometheus.url}`;
    } else {
      const metrics = await startMetricsApi(timeline.series);
      cleanups.push(() => metrics.close());
      metricsUrl = metrics.url;
      metricsFrom = `the recording, in Prometheus' query API at ${metrics.url}${mode === 'auto' ? ' (prometheus is not installed)' : ''}`;
    }
    const logs: ApiServer = await startLogsApi(timeline.logs);
    cleanups.push(() => logs.close());
    const traces: ApiServer = await startTracesApi(timeline.spans);
    cleanups.push(() => traces.close());

    const token = randomBytes(18).toString('base64url');
    const passed = Object.fromEntries(PASSED_ENV.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]]])));
    const config = loadConfig({
      ...passed,
      INTELOPS_TOKEN: token,
      INTELOPS_HOST: '127.0.0.1',
      INTELOPS_PORT: String(options.port ?? 8686),
      INTELOPS_DATA_DIR: options.dataDir ?? path.join(work, 'data'),
      INTELOPS_LOG_LEVEL: 'warn',
      INTELOPS_WORKFLOWS_DIR: DEMO_WORKFLOWS_DIR,
    });
    // The engine logs warnings and errors to stderr; the report goes to stdout.
    const engine: Engine = await openEngine(config, createLogger(config.logLevel, process.stderr));
    const url = await engine.listen();
    cleanups.push(() => engine.close());
    const client = new EngineClient(url.replace('localhost', '127.0.0.1'), token);
    progress(`Engine on ${url} (PGlite in ${config.store.kind === 'pglite' ? config.store.dataDir : 'postgres'})`);

    await client.send('PUT', '/settings', { prometheus: { url: metricsUrl }, loki: { url: logs.url }, tempo: { url: traces.url } });
    if (scenario.cmdb.length > 0) {
      await client.send('PUT', '/cmdb', { services: scenario.cmdb });
    }
    if (timeline.changes.length > 0) {
      await client.send('POST', '/changes', timeline.changes);
    }
    for (const alert of timeline.alerts) {
      await client.send('POST', '/alerts/alertmanager', alert.body);
    }
    progress(`Posted ${timeline.changes.length} change(s) and ${timeline.alerts.length} alert notification(s)`);

    const incident = await waitFor('the incident', timeoutMs, async () => (await client.incidents()).incidents.find((one) => one.alertCount > 0));
    progress(`Incident ${incident.id} opened; analysing ...`);
    const rca = await client.analyze(incident.id);
    const [{ evidence }, analysed] = await Promise.all([client.evidence(incident.id), client.incidents()]);
    const current = analysed.incidents.find((one) => one.id === incident.id) ?? incident;
    const runs = await finishedRuns(client, timeoutMs);
    const report = formatReport({
      scenario,
      metricsFrom,
      faultAt: timeline.faultAt,
      now: Date.now(),
      incident: current,
      rca,
      evidence,
      changes: timeline.changes,
      runs,
    });
    return { report, url, token, scenario, incident: current, rca, runs, metricsFrom, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The workflow runs the analysis triggered, once none is queued or running (or at the deadline, as they are). */
async function finishedRuns(client: EngineClient, timeoutMs: number): Promise<RunView[]> {
  const started = Date.now();
  const settled = new Set(['succeeded', 'failed', 'rejected', 'expired', 'cancelled', 'waiting_approval']);
  for (;;) {
    const { runs } = await client.runs();
    const waited = Date.now() - started;
    // The rca.ready event reaches the dispatcher just after the analysis returns: give runs a few seconds to appear.
    const over = runs.length === 0 ? waited > Math.min(timeoutMs, RUNS_APPEAR_MS) : waited > timeoutMs;
    if ((runs.length > 0 && runs.every((run) => settled.has(run.status))) || over) {
      return Promise.all(runs.map((run) => client.run(run.id)));
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not appear within ${timeoutMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
