// `npm run demo:record -- <scenario> [--fault service:kind] [--before 600] [--after 600] [--rate 5] [--out <dir>]`:
// runs the shop locally under load with a real Prometheus (evaluating deploy/prometheus/rules.yml) and in-process
// OTLP and Loki sinks, injects the fault at t=0 and writes demo/recordings/<scenario>/ (see the replay's contract).
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { injectFault } from '../shop/inject.ts';
import { runLoad } from '../shop/load.ts';
import { startLocalShop } from '../shop/localShop.ts';
import { isShopService, SHOP_SERVICES } from '../shop/topology.ts';
import type { ShopService } from '../shop/topology.ts';
import { SHOP_VERSION } from '../shop/version.ts';
import { activeAlerts, queryRange, startScrapingPrometheus } from './prometheus.ts';
import { AlertWatcher, toAlertDeliveries, toLogs, toMetrics, toTraces } from './recording.ts';
import { startTelemetrySink } from './sinks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STEP_SECONDS = 15;
const MAX_TRACES = 150;
const MAX_LOG_LINES = 1500;
const ALERT_POLL_MS = 5000;
// The series kept: the shop's HTTP and process metrics, and the span metrics Tempo would make from its traces.
const RECORDED_SERIES =
  '{__name__=~"http_server_request_duration_seconds_(bucket|count|sum)|http_client_request_duration_seconds_count|' +
  'process_cpu_seconds_total|process_resident_memory_bytes|nodejs_heap_size_used_bytes|up|' +
  'traces_spanmetrics_(calls_total|latency_bucket|latency_count|latency_sum)|' +
  'traces_service_graph_request_(total|failed_total|server_seconds_bucket|client_seconds_bucket)"}';

const RECORDED_KINDS = ['latency', 'errors', 'cpu', 'memory', 'bad_deploy'] as const;
type RecordedKind = (typeof RECORDED_KINDS)[number];

function isRecordedKind(kind: string): kind is RecordedKind {
  return (RECORDED_KINDS as readonly string[]).includes(kind);
}

/** The fault each named scenario injects when --fault is not given. */
const SCENARIO_FAULTS: Record<string, { service: ShopService; kind: RecordedKind }> = {
  'checkout-latency': { service: 'checkout', kind: 'latency' },
  'payment-errors': { service: 'payment', kind: 'errors' },
  'cart-cpu': { service: 'cart', kind: 'cpu' },
  'productcatalog-memory': { service: 'productcatalog', kind: 'memory' },
  'payment-bad-deploy': { service: 'payment', kind: 'bad_deploy' },
};

const DETAILS: Record<string, string> = {
  latency: '1500 ms added to every request',
  errors: 'half of the requests fail with 500',
  cpu: 'a busy loop takes 80% of each 100 ms',
  memory: 'memory leaks at 60 MB a minute',
  bad_deploy: 'a deploy (a change event) after which half of the requests fail with 500',
};

interface Args {
  scenario: string;
  service: ShopService;
  kind: RecordedKind;
  before: number;
  after: number;
  rate: number;
  out: string;
}

const USAGE = `usage: npm run demo:record -- <scenario> [--fault <service>:<kind>] [--before <s>] [--after <s>] [--rate <visits/s>] [--out <dir>]
  known scenarios (their fault is the default): ${Object.keys(SCENARIO_FAULTS).join(', ')}`;

function parseArgs(argv: readonly string[]): Args {
  const [scenario, ...rest] = argv;
  if (scenario === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(scenario)) {
    throw new Error(`name the scenario (lower-case letters, digits and dashes)\n${USAGE}`);
  }
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i] ?? '', rest[i + 1]];
    if (!['--fault', '--before', '--after', '--rate', '--out'].includes(flag) || value === undefined) {
      throw new Error(`${flag} is not an option or has no value\n${USAGE}`);
    }
    flags.set(flag, value);
  }
  const fault = flags.get('--fault');
  let chosen = SCENARIO_FAULTS[scenario];
  if (fault !== undefined) {
    const [service = '', kind = ''] = fault.split(':');
    if (!isShopService(service) || !isRecordedKind(kind)) {
      throw new Error(
        `--fault must be <service>:<kind> with a service of ${SHOP_SERVICES.join(', ')} and a kind of ${RECORDED_KINDS.join(', ')}\n${USAGE}`
      );
    }
    chosen = { service, kind };
  }
  if (chosen === undefined) {
    throw new Error(`scenario ${scenario} has no default fault: give --fault\n${USAGE}`);
  }
  const seconds = (flag: string, fallback: number) => {
    const value = Number(flags.get(flag) ?? fallback);
    if (!Number.isFinite(value) || value < STEP_SECONDS * 4) {
      throw new Error(`${flag} must be at least ${STEP_SECONDS * 4} seconds`);
    }
    return value;
  };
  const rate = Number(flags.get('--rate') ?? 5);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 100) {
    throw new Error('--rate must be a number of visits per second from 0 to 100');
  }
  return {
    scenario,
    service: chosen.service,
    kind: chosen.kind,
    before: seconds('--before', 600),
    after: seconds('--after', 600),
    rate,
    out: path.resolve(flags.get('--out') ?? path.join(ROOT, 'demo/recordings', scenario)),
  };
}

async function readCmdb(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(ROOT, 'deploy/cmdb');
  const files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort();
  const services: Array<Record<string, unknown>> = [];
  for (const file of files) {
    const parsed = parse(await readFile(path.join(dir, file), 'utf8')) as { services?: Array<Record<string, unknown>> };
    services.push(...(parsed.services ?? []));
  }
  return services;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const note = (text: string) => process.stderr.write(`[record] ${text}\n`);

async function record(args: Args): Promise<void> {
  const sink = await startTelemetrySink();
  const shop = await startLocalShop({ otlpUrl: sink.url, lokiUrl: sink.url });
  const stops: Array<() => Promise<void>> = [() => sink.close(), () => shop.stop()];
  const load = new AbortController();
  try {
    const targets: Record<string, string> = { tempo: new URL(sink.url).host };
    for (const service of SHOP_SERVICES) {
      targets[service] = new URL(shop.urls[service]).host;
    }
    const prometheus = await startScrapingPrometheus({
      targets,
      ruleFiles: [path.join(ROOT, 'deploy/prometheus/rules.yml')],
    });
    stops.unshift(() => prometheus.stop());
    note(
      `shop, sinks and Prometheus (${prometheus.url}) are up; ${args.before} s of normal traffic at ${args.rate} visits/s`
    );
    const loading = runLoad({ frontendUrl: shop.urls.frontend, rate: args.rate, signal: load.signal });
    const watcher = new AlertWatcher();
    const polling = (async () => {
      while (!load.signal.aborted) {
        watcher.see(await activeAlerts(prometheus.url).catch(() => []), Date.now());
        await sleep(ALERT_POLL_MS);
      }
    })();
    const started = Date.now();
    await sleep(args.before * 1000);

    const t0 = Date.now();
    const faultKind = args.kind === 'bad_deploy' ? 'errors' : args.kind;
    // No engine while recording: the bad deploy's change event goes into the scenario, and the fault is turned on here.
    await injectFault({
      service: args.service,
      kind: faultKind,
      durationSeconds: Math.min(3600, args.after + 60),
      shopUrl: shop.urls[args.service],
    });
    const changes =
      args.kind === 'bad_deploy'
        ? [
            {
              id: `demo-${args.service}-deploy`,
              kind: 'deploy',
              service: args.service,
              title: `${args.service} 0.1.1 rolled out`,
              at: 0,
            },
          ]
        : [];
    note(`t=0: ${args.kind} injected into ${args.service}; recording ${args.after} s more`);
    await sleep(args.after * 1000);
    load.abort();
    await loading;
    await polling;

    // The last scrape lands within a step; wait for it so the final samples are there.
    await sleep(STEP_SECONDS * 1000);
    // Steps fall on whole multiples of 15 s from t=0, as a replay lays them out.
    const from = t0 / 1000 - Math.floor((t0 - started) / 1000 / STEP_SECONDS) * STEP_SECONDS;
    const to = t0 / 1000 + Math.floor(args.after / STEP_SECONDS) * STEP_SECONDS;
    const metrics = toMetrics(await queryRange(prometheus.url, RECORDED_SERIES, from, to, STEP_SECONDS), t0);
    const inWindow = (ms: number) => ms >= started && ms <= t0 + args.after * 1000;
    const traces = toTraces(
      sink.spans.filter((span) => inWindow(span.startMs)),
      t0,
      MAX_TRACES
    );
    const logs = toLogs(
      sink.logs.filter((log) => inWindow(log.t)),
      t0,
      MAX_LOG_LINES
    );
    const sightings = watcher.all().filter((sighting) => inWindow(sighting.firstFiringMs));
    const alerts = toAlertDeliveries(sightings, t0);
    const scenario = {
      name: args.scenario,
      title: `${args.service}: ${args.kind.replace('_', ' ')}`,
      description: `The demo shop under ${args.rate} visits/s; at t=0 ${args.service} suffers ${DETAILS[args.kind] ?? args.kind}. Recorded with npm run demo:record; alerts are those Prometheus raised from deploy/prometheus/rules.yml while recording.`,
      recordedWith: `demo shop ${SHOP_VERSION}`,
      durationSeconds: args.before + args.after,
      before: args.before,
      fault: { service: args.service, kind: args.kind, detail: DETAILS[args.kind] ?? '' },
      services: [...SHOP_SERVICES],
      cmdb: await readCmdb(),
      changes,
      alerts,
    };
    await mkdir(args.out, { recursive: true });
    const write = (name: string, value: unknown) => writeFile(path.join(args.out, name), `${JSON.stringify(value)}\n`);
    await writeFile(path.join(args.out, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
    await write('metrics.json', metrics);
    await write('logs.json', logs);
    await write('traces.json', traces);
    const fired = sightings.map(
      ({ alert, firstFiringMs }) =>
        `${alert.labels.alertname ?? '?'} ${alert.labels.service ?? ''} at ${Math.round((firstFiringMs - t0) / 1000)} s`
    );
    note(
      `wrote ${args.out}: ${metrics.length} series, ${logs.reduce((n, s) => n + s.entries.length, 0)} log lines, ${traces.length} traces; alerts: ${fired.join(', ') || 'none'}`
    );
  } finally {
    load.abort();
    for (const stop of stops) {
      await stop();
    }
  }
}

try {
  await record(parseArgs(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
