// npm run bench:templates [-- --data DIR] [--lines N] [--json FILE]
// Throughput of the log template miner on one core, with masking on and the default configuration: the Loghub
// systems in DIR concatenated and repeated to N lines (default 1,000,000), for the Content column and for raw
// lines; then a stream in which every line is a new template, to show that memory stays bounded.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TemplateMiner } from '../../engine/src/perception/logs/miner.ts';
import { LOGHUB_2K } from '../../evals/defaults.ts';
import { listSystems, loadSystem } from '../../evals/templates/loghub.ts';

const { values: args } = parseArgs({
  options: { data: { type: 'string', default: LOGHUB_2K }, lines: { type: 'string', default: '1000000' }, json: { type: 'string' } },
});
const LINES = Number(args.lines);
if (!Number.isInteger(LINES) || LINES < 1) {
  console.error(`--lines takes a whole number of at least 1; got "${args.lines}"`);
  process.exit(2);
}
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

interface Run {
  name: string;
  lines: number;
  linesPerSecond: number;
  templates: number;
  minerHeapMiB: number;
}

function heapMiB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Mines `count` lines taken round-robin from `lines`, timed by the CPU time of this (single-threaded) process. */
function mine(name: string, next: (i: number) => string, count: number): Run {
  const before = heapMiB();
  const miner = new TemplateMiner();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    miner.add(next(i), i);
  }
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  const run = { name, lines: count, linesPerSecond: Math.round(count / seconds), templates: miner.size, minerHeapMiB: round(heapMiB() - before) };
  // Keeps the miner alive until its heap was measured.
  if (miner.size < 0) {
    console.log(miner);
  }
  return run;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

let systems: string[];
try {
  systems = listSystems(args.data);
} catch (error) {
  console.error(`bench:templates needs Loghub-layout data: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const content: string[] = [];
const raw: string[] = [];
for (const name of systems) {
  const system = loadSystem(args.data, name);
  content.push(...system.content);
  raw.push(...system.raw);
}
console.log(`${systems.length} systems (${systems.join(', ')}), ${content.length} distinct lines repeated to ${LINES.toLocaleString('en')}; Node ${process.version}${gc === undefined ? ' (run with --expose-gc for heap figures)' : ''}`);

// One short pass first so that V8 has compiled the miner before the timed runs.
mine('warm-up', (i) => content[i % content.length] ?? '', 50_000);
const runs = [
  mine('content', (i) => content[i % content.length] ?? '', LINES),
  mine('raw', (i) => raw[i % raw.length] ?? '', LINES),
  mine('every line a new template', (i) => `event${i} k${i}x v${i}y happened at ${i}`, Math.min(LINES, 500_000)),
];
const peakRssMiB = round(process.resourceUsage().maxRSS / 1024);

console.log(`${'stream'.padEnd(26)} ${'lines'.padStart(10)} ${'lines/s'.padStart(10)} ${'templates'.padStart(10)} ${'miner heap'.padStart(11)}`);
for (const run of runs) {
  console.log(
    `${run.name.padEnd(26)} ${run.lines.toLocaleString('en').padStart(10)} ${run.linesPerSecond.toLocaleString('en').padStart(10)} ${String(run.templates).padStart(10)} ${`${run.minerHeapMiB} MiB`.padStart(11)}`
  );
}
console.log(`peak resident memory of the whole process (data included): ${peakRssMiB} MiB`);
if (args.json !== undefined) {
  writeFileSync(args.json, `${JSON.stringify({ runs, peakRssMiB }, null, 2)}\n`);
}
