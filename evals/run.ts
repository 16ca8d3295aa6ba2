// npm run eval -- templates [--data DIR] [--field raw|content] [--json FILE] [--min-average GA] [--min-system GA]
// npm run eval -- rca --format rcd|nezha [--data DIR] [--json FILE] [--min-ac1 X] [--min-avg5 X] (see rca/cli.ts)
// npm run eval -- retrieval [--data DIR] [--k K] [--json FILE] [--min-hit-rate X] (see retrieval/cli.ts)
// Offline evaluations on labelled data. `templates` mines Loghub-layout folders with the default configuration and
// prints Grouping Accuracy per system; the --min-* floors make it a regression gate (exit 1 below them).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hasDataset, LOGHUB_2K } from './defaults.ts';
import { runRcaEval } from './rca/cli.ts';
import { runRetrievalEval } from './retrieval/cli.ts';
import { evalTemplates } from './templates/evalTemplates.ts';
import type { Field, TemplatesReport } from './templates/evalTemplates.ts';

const EVALS = ['templates', 'rca', 'retrieval'] as const;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function fraction(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    fail(`--${flag} takes a number between 0 and 1; got "${value}"`);
  }
  return n;
}

// Each eval parses its own flags; rca's live in rca/cli.ts.
if (process.argv[2] === 'rca') {
  process.exit(runRcaEval(process.argv.slice(3)));
}
if (process.argv[2] === 'retrieval') {
  process.exit(await runRetrievalEval(process.argv.slice(3)));
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    field: { type: 'string', default: 'content' },
    json: { type: 'string' },
    'min-average': { type: 'string' },
    'min-system': { type: 'string' },
  },
});

const which = positionals[0] ?? 'templates';
if (!EVALS.some((name) => name === which)) {
  fail(`Unknown eval "${which}"; the evals are: ${EVALS.join(', ')}`);
}
if (args.field !== 'raw' && args.field !== 'content') {
  fail(`--field takes raw (whole log lines) or content (the Content column); got "${args.field}"`);
}
const field: Field = args.field;
const data = args.data ?? LOGHUB_2K;
if (args.data === undefined && !hasDataset(data)) {
  console.log(`templates: skipped, no --data given and ${data} does not exist`);
  process.exit(0);
}
const minAverage = fraction('min-average', args['min-average']);
const minSystem = fraction('min-system', args['min-system']);

let report: TemplatesReport;
try {
  report = evalTemplates(data, field);
} catch (error) {
  fail(`templates: ${error instanceof Error ? error.message : String(error)}`);
}
printTable(report);
if (args.json !== undefined) {
  writeFileSync(args.json, `${JSON.stringify({ systems: report.systems, average: report.average }, null, 2)}\n`);
  console.log(`wrote ${args.json}`);
}
const failures = gate(report, minAverage, minSystem);
for (const failure of failures) {
  console.error(`FAIL ${failure}`);
}
process.exit(failures.length > 0 ? 1 : 0);

function printTable({ field, systems, average }: TemplatesReport): void {
  console.log(`Grouping Accuracy, field ${field}, default configuration`);
  console.log(`${'system'.padEnd(12)} ${'GA'.padStart(6)} ${'lines'.padStart(7)} ${'templates'.padStart(10)}`);
  for (const [name, result] of Object.entries(systems)) {
    console.log(`${name.padEnd(12)} ${result.ga.toFixed(3).padStart(6)} ${String(result.lines).padStart(7)} ${String(result.templates).padStart(10)}`);
  }
  console.log(`${'average'.padEnd(12)} ${average.ga.toFixed(3).padStart(6)}`);
}

function gate({ field, systems, average }: TemplatesReport, minAverage: number | undefined, minSystem: number | undefined): string[] {
  const failures: string[] = [];
  if (minAverage !== undefined && average.ga < minAverage) {
    failures.push(`${field}: average GA ${average.ga.toFixed(3)} is below the floor ${minAverage}`);
  }
  for (const [name, result] of Object.entries(systems)) {
    if (minSystem !== undefined && result.ga < minSystem) {
      failures.push(`${field}: ${name} GA ${result.ga.toFixed(3)} is below the floor ${minSystem}`);
    }
  }
  return failures;
}
