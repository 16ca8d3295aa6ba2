// npm run bench:alerts [-- --url URL --token TOKEN] [--seeds N] [--concurrency N] [--storms N] [--json FILE]
// Posts generated alert storms to an engine over HTTP, as Alertmanager would, and measures grouping quality,
// compression, ingest throughput, webhook latency and loss. Without --url it starts an engine on PGlite.
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { alertKey } from '../../engine/src/perception/alerts/types.ts';
import { qualityTable, stormQuality } from '../../evals/grouping/score.ts';
import type { StormQuality } from '../../evals/grouping/score.ts';
import { generateStorm, STORM_PRESET, STORM_PRESETS } from '../../evals/grouping/storm.ts';
import type { Delivery } from '../../evals/grouping/storm.ts';
import { startEngineProcess } from './engineProcess.ts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    seeds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '50' },
    storms: { type: 'string', default: '30' },
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
const SEEDS = count('seeds', args.seeds);
const CONCURRENCY = count('concurrency', args.concurrency);
const STORMS = count('storms', args.storms);

const DAY = 86_400_000;
const ORIGIN = Date.parse('2026-01-05T00:00:00Z');

interface Client {
  url: string;
  token: string;
  agent: Agent;
}

interface Reply {
  status: number;
  ok: boolean;
  retryAfter: number;
  text: string;
}

// node:http with keep-alive, not fetch: fetch costs the client about three times the CPU per request,
// and on a 2-core machine the client would then measure itself rather than the engine.
function call(client: Client, method: string, path: string, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${client.url}${path}`,
      {
        method,
        agent: client.agent,
        headers: {
          authorization: `Bearer ${client.token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': payload.length }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, retryAfter: Number(res.headers['retry-after'] ?? '1'), text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      }
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface PostStats {
  requests: number;
  latenciesMs: number[];
  retries: number;
  failures: string[];
  wallMs: number;
}

/** Posts deliveries in order with `concurrency` senders; a 503 or 429 is retried after its Retry-After, as Alertmanager does. */
async function post(client: Client, deliveries: Delivery[], concurrency: number): Promise<PostStats> {
  const stats: PostStats = { requests: 0, latenciesMs: [], retries: 0, failures: [], wallMs: 0 };
  let next = 0;
  const started = performance.now();
  const sender = async () => {
    for (let i = next++; i < deliveries.length; i = next++) {
      const delivery = deliveries[i];
      for (let attempt = 0; ; attempt++) {
        const t0 = performance.now();
        const response = await call(client, 'POST', '/api/v1/alerts/alertmanager', delivery?.payload);
        stats.latenciesMs.push(performance.now() - t0);
        stats.requests++;
        if (response.ok) {
          break;
        }
        if ((response.status === 503 || response.status === 429) && attempt < 20) {
          stats.retries++;
          await new Promise((resolve) => setTimeout(resolve, 1000 * response.retryAfter));
          continue;
        }
        stats.failures.push(`${response.status} ${response.text.slice(0, 200)}`);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  stats.wallMs = performance.now() - started;
  return stats;
}

interface IncidentsResponse {
  incidents: Array<{ id: string; alerts: Array<{ fingerprint: string; startsAt: string }> }>;
}

/** Which incident the engine put each alert in, for alerts starting between from and to. */
async function grouping(client: Client, from: number, to: number): Promise<Map<string, string>> {
  const response = await call(client, 'GET', `/api/v1/incidents?from=${from}&to=${to}&limit=5000`);
  if (!response.ok) {
    throw new Error(`GET /api/v1/incidents answered ${response.status}: ${response.text}`);
  }
  const body = JSON.parse(response.text) as IncidentsResponse;
  const placed = new Map<string, string>();
  for (const incident of body.incidents) {
    for (const alert of incident.alerts) {
      placed.set(alertKey({ fingerprint: alert.fingerprint, startsAt: new Date(alert.startsAt) }), incident.id);
    }
  }
  return placed;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const fmt = (n: number, digits = 3) => n.toFixed(digits);

async function main(): Promise<void> {
  const owned = args.url === undefined ? await startEngineProcess() : undefined;
  const client: Client = {
    url: args.url ?? owned?.url ?? '',
    token: args.token ?? owned?.token ?? process.env.INTELOPS_TOKEN ?? '',
    agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
  };
  try {
    // 1. Accuracy: each storm alone, on its own day, with its own CMDB.
    const rows: StormQuality[] = [];
    let day = 0;
    for (const preset of STORM_PRESETS) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const start = ORIGIN + day++ * DAY;
        const storm = generateStorm({ ...preset, seed, start: new Date(start) });
        expectOk(await call(client, 'PUT', '/api/v1/cmdb', { services: storm.services }), 'PUT /api/v1/cmdb');
        const stats = await post(client, storm.deliveries, CONCURRENCY);
        if (stats.failures.length > 0) {
          throw new Error(`${stats.failures.length} deliveries failed, first: ${stats.failures[0]}`);
        }
        rows.push(stormQuality(`${preset.name}#${seed}`, [storm], await grouping(client, start - DAY / 4, start + DAY / 2)));
      }
    }
    console.log(`\nGrouping quality, one storm at a time (${client.url}, ${CONCURRENCY} concurrent senders)\n`);
    console.log(qualityTable(rows));
    const big = rows.filter((r) => r.rawAlerts >= 1000);
    const worst = (pick: (r: StormQuality) => number) => Math.min(...big.map(pick));
    if (big.length > 0) {
      console.log(`\nstorms of >= 1,000 alerts: ${big.length}; worst compression ${fmt(worst((r) => r.compression))}, pairwise precision ${fmt(worst((r) => r.score.pairwisePrecision))}, recall ${fmt(worst((r) => r.score.pairwiseRecall))}`);
    }

    // 2. Throughput: many storms at once, interleaved, with one CMDB holding all their services.
    const storms = Array.from({ length: STORMS }, (_, i) =>
      generateStorm({ ...STORM_PRESET, seed: 100 + i, start: new Date(ORIGIN + (day + i) * DAY), namePrefix: `s${i}-` })
    );
    expectOk(await call(client, 'PUT', '/api/v1/cmdb', { services: storms.flatMap((s) => s.services) }), 'PUT /api/v1/cmdb');
    const deliveries = storms.flatMap((s) => s.deliveries).sort((a, b) => a.at - b.at);
    const stats = await post(client, deliveries, CONCURRENCY);
    const combined = stormQuality(`${storms.length} storms at once`, storms, await grouping(client, ORIGIN + day * DAY - DAY / 4, ORIGIN + (day + storms.length) * DAY));
    const rawAlerts = combined.rawAlerts;
    console.log(`\nIngest: ${storms.length} storms interleaved, ${deliveries.length} webhooks, ${rawAlerts} alerts, ${CONCURRENCY} concurrent senders\n`);
    console.log(qualityTable([combined]));
    const throughput = rawAlerts / (stats.wallMs / 1000);
    console.log(
      `\nthroughput ${Math.round(throughput)} alerts/s (${Math.round(deliveries.length / (stats.wallMs / 1000))} webhooks/s) over ${fmt(stats.wallMs / 1000, 1)} s; ` +
        `webhook latency p50 ${fmt(percentile(stats.latenciesMs, 50), 1)} ms, p99 ${fmt(percentile(stats.latenciesMs, 99), 1)} ms; ` +
        `503 retries ${stats.retries}; failed ${stats.failures.length}; alerts lost ${combined.lost}`
    );
    if (args.json !== undefined) {
      writeFileSync(args.json, JSON.stringify({ storms: rows, ingest: { ...combined, throughput, webhooks: deliveries.length, p50Ms: percentile(stats.latenciesMs, 50), p99Ms: percentile(stats.latenciesMs, 99), retries: stats.retries, failures: stats.failures.length } }, null, 2));
    }
    if (combined.lost > 0 || stats.failures.length > 0 || rows.some((r) => r.lost > 0)) {
      process.exitCode = 1;
      console.error('alerts were lost or deliveries failed');
    }
  } finally {
    client.agent.destroy();
    await owned?.stop();
  }
}

function expectOk(response: Reply, what: string): void {
  if (!response.ok) {
    throw new Error(`${what} answered ${response.status}: ${response.text}`);
  }
}

await main();
