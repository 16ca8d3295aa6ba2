// npm run bench:rca [-- --services N --runs R]
// Time of one root-cause ranking on a generated incident: N services with nine metrics each (60 baseline and 30
// incident points), a random call graph (each service calls up to three later ones) with each edge's latency seen by
// caller and callee, a CPU fault in one service whose callers' latency follows (both sides of the calls into it).
import { parseArgs } from 'node:util';
import { gaussian, seededRandom } from '../../engine/src/perception/metrics/testSeries.ts';
import { rankRootCauses } from '../../engine/src/reasoning/ranking/rankRootCauses.ts';
import type {
  EdgeLatencySeries,
  RankingInput,
  RankingSeries,
} from '../../engine/src/reasoning/ranking/rankRootCauses.ts';

const { values: args } = parseArgs({
  options: { services: { type: 'string', default: '300' }, runs: { type: 'string', default: '20' } },
});
const SERVICES = Number(args.services);
const RUNS = Number(args.runs);
if (!Number.isInteger(SERVICES) || SERVICES < 2 || !Number.isInteger(RUNS) || RUNS < 1) {
  console.error(
    `--services takes a whole number of at least 2 and --runs one of at least 1; got "${args.services}", "${args.runs}"`
  );
  process.exit(2);
}

const random = seededRandom(5);
const normal = gaussian(random);
const METRICS: Array<[string, number]> = [
  ['cpu_usage', 20],
  ['memory_usage', 400],
  ['latency_p90', 0.05],
  ['latency_p99', 0.2],
  ['client_latency_p90', 0.03],
  ['requests_per_second', 50],
  ['network_receive_bytes', 3e4],
  ['network_transmit_bytes', 2e5],
  ['error_rate', 0.01],
];

function generate(): { input: RankingInput; faulty: string } {
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i}`);
  const edges = names.flatMap((client, i) =>
    Array.from({ length: 3 }, () => i + 1 + Math.floor(random() * (SERVICES - i - 1)))
      .filter((j) => j < SERVICES)
      .map((j) => ({ client, server: names[j] ?? client }))
  );
  const faultyIndex = Math.floor(SERVICES / 2);
  const faulty = names[faultyIndex] ?? 'svc-0';
  const callers = new Set(edges.filter((edge) => edge.server === faulty).map((edge) => edge.client));
  const series: RankingSeries[] = [];
  for (const service of names) {
    for (const [name, level] of METRICS) {
      const shift =
        (service === faulty && name === 'cpu_usage') || (callers.has(service) && name.includes('latency')) ? 3 : 0;
      const point = (): number => level * (1 + 0.05 * normal());
      series.push({
        service,
        name,
        baseline: Array.from({ length: 60 }, point),
        anomalous: Array.from({ length: 30 }, (_, i) => point() + (i >= 5 ? shift * level : 0)),
      });
    }
  }
  const edgeLatency: EdgeLatencySeries[] = edges.flatMap(({ client, server }) => {
    const handling = (): number => 0.004 * (1 + 0.05 * normal());
    const baseline = Array.from({ length: 60 }, handling);
    const anomalous = Array.from({ length: 30 }, (_, i) => handling() + (server === faulty && i >= 5 ? 0.012 : 0));
    const wire = (value: number): number => value + 0.001 * (1 + 0.1 * normal());
    return [
      { client, server, side: 'server' as const, name: 'p50', baseline, anomalous },
      {
        client,
        server,
        side: 'client' as const,
        name: 'p50',
        baseline: baseline.map(wire),
        anomalous: anomalous.map(wire),
      },
    ];
  });
  return { input: { series, edges, edgeLatency }, faulty };
}

const { input, faulty } = generate();
let first = '';
const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  first = rankRootCauses(input)[0]?.service ?? '';
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
console.log(
  `${SERVICES} services, ${input.series.length} series, ${input.edges?.length ?? 0} edges (${input.edgeLatency?.length ?? 0} edge latency series): ${median.toFixed(1)} ms per ranking (median of ${RUNS}, slowest ${Math.max(...times).toFixed(1)} ms); faulty ${faulty} ranked ${first === faulty ? 'first' : `below ${first}`}`
);
