// npm run bench:workflows [-- --runs N] [--concurrency N] [--store pglite|postgres|both] [--json FILE]
// The durable workflow runner under load: N runs of a three-step workflow (a webhook to a loopback receiver, a
// second webhook templated from the first one's answer, a Slack message to a webhook URL held as a secret), all
// unattended by policy, queued at once and worked through by one runner with the engine's real actions, egress
// guard, secrets, templates and store. Reports runs/s and step latency, and checks that nothing was lost: every
// run succeeded and the receiver saw every step's side effect exactly once per idempotency key.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { StoreConfig } from '../../engine/src/config.ts';
import { parseEgressAllowlist } from '../../engine/src/execution/actions/egressRules.ts';
import { GuardedHttpClient } from '../../engine/src/execution/actions/guardedHttp.ts';
import { builtInActions } from '../../engine/src/execution/actions/registry.ts';
import { SecretStore } from '../../engine/src/execution/actions/secrets.ts';
import { WorkflowRunner, idempotencyKey } from '../../engine/src/execution/runs/runner.ts';
import { checkActionInput } from '../../engine/src/execution/workflows/actionInput.ts';
import { compileCondition, conditionHolds } from '../../engine/src/execution/workflows/conditions.ts';
import { parseWorkflow } from '../../engine/src/execution/workflows/parseWorkflow.ts';
import { renderTemplates } from '../../engine/src/execution/workflows/templates.ts';
import { createLogger } from '../../engine/src/observability/logger.ts';
import { migrate } from '../../engine/src/store/migrations.ts';
import { openStore } from '../../engine/src/store/open.ts';
import type { Store } from '../../engine/src/store/store.ts';
import { freshPgliteStore } from '../../engine/src/testing/stores.ts';
import { findPostgresBin, startPostgres } from '../../engine/src/testing/postgres.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
    store: { type: 'string', default: 'both' },
    json: { type: 'string' },
  },
});

/** A whole number ≥ 1 from a flag, or exit with a message naming the flag. */
function count(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${flag} takes a whole number of at least 1; got "${value}"`);
    process.exit(2);
  }
  return n;
}
const RUNS = count('runs', args.runs);
const CONCURRENCY = count('concurrency', args.concurrency);
if (!['pglite', 'postgres', 'both'].includes(args.store)) {
  console.error(`--store takes pglite, postgres or both; got "${args.store}"`);
  process.exit(2);
}
const STEPS = ['open', 'comment', 'chat'] as const;
/** Bounds the wait for a store that stops making progress, so the bench ends with a verdict. */
const STALL_MS = 60_000;

/** A loopback receiver that acts once per Idempotency-Key, as a ticketing tool or chat would, and counts repeats. */
async function startReceiver() {
  const effects = new Map<string, number>();
  let requests = 0;
  let tickets = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests += 1;
      const key = String(request.headers['idempotency-key'] ?? '');
      const seen = effects.get(key) ?? 0;
      effects.set(key, seen + 1);
      if (seen === 0 && request.url === '/tickets') {
        tickets += 1;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket: `T-${tickets}` }));
    });
  });
  // Keep-alive connections are reused by many runs at once: no per-connection request cap.
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    effects,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function workflowText(url: string): string {
  return `name: bench
triggers:
  - on: manual
steps:
  - id: open
    action: webhook
    with:
      url: ${url}/tickets
      body: { summary: "bench run {{ run.id }}" }
  - id: comment
    action: webhook
    with:
      url: ${url}/comments
      body: { ticket: "{{ steps.open.output.body.ticket }}", text: "seen by the bench" }
  - id: chat
    action: slack
    with:
      webhookSecret: bench_chat
      text: "ticket {{ steps.open.output.body.ticket }} opened for {{ run.id }}"
`;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export interface BenchResult {
  store: StoreConfig['kind'];
  runs: number;
  concurrency: number;
  enqueueSeconds: number;
  seconds: number;
  runsPerSecond: number;
  stepLatencyMs: { p50: number; p99: number };
  runLatencyMs: { p50: number; p99: number };
  succeeded: number;
  notSucceeded: number;
  /** Side effects missing (a step's key never reached the receiver) or repeated (one key acted on twice). */
  missingEffects: number;
  repeatedEffects: number;
  requests: number;
}

async function bench(store: Store, kind: StoreConfig['kind']): Promise<BenchResult> {
  const receiver = await startReceiver();
  const actions = builtInActions();
  const workflow = parseWorkflow(workflowText(receiver.url), 'bench.yaml', actions);
  const conditions = new Map<string, ReturnType<typeof compileCondition>>();
  const runner = new WorkflowRunner({
    store,
    actions: (name) => actions.get(name),
    evaluate: (expression, context) => {
      const condition = conditions.get(expression) ?? compileCondition(expression);
      conditions.set(expression, condition);
      return conditionHolds(condition, context);
    },
    render: (value, context) => renderTemplates(value, context),
    checkInput: (action, input) => checkActionInput(action, input),
    policy: { unattended: [{ actions: ['webhook', 'slack'] }], approvalExpiryMs: 3_600_000 },
    secrets: new SecretStore({ env: { INTELOPS_SECRET_BENCH_CHAT: `${receiver.url}/chat/T000/B000/bench-hook` } }),
    http: new GuardedHttpClient({ rules: parseEgressAllowlist('127.0.0.1', 'bench'), allowPrivate: false }),
    sources: { prometheus: undefined, loki: undefined, tempo: undefined },
    logger: createLogger('warn'),
    concurrency: CONCURRENCY,
    pollMs: 200,
  });
  try {
    const queued = performance.now();
    const ids = await Promise.all(
      Array.from({ length: RUNS }, () => runner.start(workflow, 'manual', { inputs: {} }, { actor: 'bench' }))
    );
    const started = performance.now();
    await runner.resume();
    let open = RUNS;
    let progressAt = performance.now();
    while (open > 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { rows } = await store.query<{ open: number }>(
        "select count(*)::int as open from workflow_runs where status in ('queued', 'running', 'waiting_approval')"
      );
      const now = rows[0]?.open ?? 0;
      if (now < open) {
        progressAt = performance.now();
      }
      open = now;
      if (performance.now() - progressAt > STALL_MS) {
        console.error(`no run finished for ${STALL_MS / 1000} s with ${open} still open: stopping`);
        break;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows: runs } = await store.query<{ status: string; ms: number }>(
      'select status, extract(epoch from (finished_at - created_at)) * 1000 as ms from workflow_runs'
    );
    const { rows: steps } = await store.query<{ ms: number }>(
      'select extract(epoch from (finished_at - started_at)) * 1000 as ms from workflow_steps where finished_at is not null'
    );
    let missingEffects = 0;
    let repeatedEffects = 0;
    for (const id of ids) {
      for (const step of STEPS) {
        const times = receiver.effects.get(idempotencyKey(id, step)) ?? 0;
        missingEffects += times === 0 ? 1 : 0;
        repeatedEffects += times > 1 ? 1 : 0;
      }
    }
    const succeeded = runs.filter((run) => run.status === 'succeeded').length;
    const stepMs = steps.map((row) => Number(row.ms));
    const runMs = runs.filter((run) => run.status === 'succeeded').map((run) => Number(run.ms));
    return {
      store: kind,
      runs: RUNS,
      concurrency: CONCURRENCY,
      enqueueSeconds: (started - queued) / 1000,
      seconds,
      runsPerSecond: succeeded / seconds,
      stepLatencyMs: { p50: percentile(stepMs, 50), p99: percentile(stepMs, 99) },
      runLatencyMs: { p50: percentile(runMs, 50), p99: percentile(runMs, 99) },
      succeeded,
      notSucceeded: runs.length - succeeded,
      missingEffects,
      repeatedEffects,
      requests: receiver.requests(),
    };
  } finally {
    await runner.close();
    await receiver.close();
  }
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function report(result: BenchResult): void {
  const lost = result.notSucceeded + result.missingEffects + result.repeatedEffects;
  console.log(
    `${result.store}: ${result.runs} runs × ${STEPS.length} steps, runner concurrency ${result.concurrency}: ` +
      `${fmt(result.runsPerSecond)} runs/s (${fmt(result.seconds, 2)} s; queued in ${fmt(result.enqueueSeconds, 2)} s); ` +
      `step latency p50 ${fmt(result.stepLatencyMs.p50)} ms, p99 ${fmt(result.stepLatencyMs.p99)} ms; ` +
      `run latency p50 ${fmt(result.runLatencyMs.p50, 0)} ms, p99 ${fmt(result.runLatencyMs.p99, 0)} ms`
  );
  console.log(
    `${result.store}: ${result.succeeded} succeeded, ${result.notSucceeded} not; ${result.requests} requests, ` +
      `${result.missingEffects} side effects missing, ${result.repeatedEffects} repeated: ${lost === 0 ? 'nothing lost' : 'LOST OR REPEATED WORK'}`
  );
}

/** Runs the bench on a fresh, migrated store and reports it. */
async function benchOn(config: StoreConfig, cleanUp: () => Promise<void>): Promise<BenchResult> {
  const store = await openStore(config);
  try {
    await migrate(store);
    const result = await bench(store, config.kind);
    report(result);
    return result;
  } finally {
    await store.close();
    await cleanUp();
  }
}

const results: BenchResult[] = [];
if (args.store !== 'postgres') {
  const fresh = await freshPgliteStore();
  results.push(await benchOn(fresh.config, fresh.remove));
}
if (args.store !== 'pglite') {
  const found = findPostgresBin();
  if ('missing' in found) {
    console.log(`postgres: skipped, ${found.missing}`);
  } else {
    const server = await startPostgres();
    try {
      results.push(await benchOn({ kind: 'postgres', databaseUrl: await server.createDatabase() }, async () => {}));
    } finally {
      await server.stop();
    }
  }
}
if (args.json !== undefined) {
  writeFileSync(args.json, JSON.stringify({ results }, null, 2));
}
const lost = results.some((result) => result.notSucceeded + result.missingEffects + result.repeatedEffects > 0);
process.exitCode = lost ? 1 : 0;
