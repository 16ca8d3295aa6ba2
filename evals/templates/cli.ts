// npm run eval -- templates [--data DIR] [--field raw|content] [--json FILE] [--min-average GA] [--min-system GA]
// Mines Loghub-layout folders with the default configuration and prints Grouping Accuracy per system; the --min-*
// floors make it a regression gate (exit 1 below them).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hasDataset, LOGHUB_2K } from '../defaults.ts';
import { fraction } from '../fraction.ts';
import { evalTemplates } from './evalTemplates.ts';
import type { Field, TemplatesReport } from './evalTemplates.ts';

/** Runs the templates eval on command-line arguments (after `templates`); returns the exit code. */
export function runTemplatesEval(argv: string[]): number {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      field: { type: 'string', default: 'content' },
      json: { type: 'string' },
      'min-average': { type: 'string' },
      'min-system': { type: 'string' },
    },
  });
  if (args.field !== 'raw' && args.field !== 'content') {
    console.error(`--field takes raw (whole log lines) or content (the Content column); got "${args.field}"`);
    return 2;
  }
  const field: Field = args.field;
  const minAverage = fraction('min-average', args['min-average']);
  const minSystem = fraction('min-system', args['min-system']);
  if (minAverage === null || minSystem === null) {
    return 2;
  }
  const data = args.data ?? LOGHUB_2K;
  if (args.data === undefined && !hasDataset(data)) {
    console.log(`templates: skipped, no --data given and ${data} does not exist`);
    return 0;
  }
  let report: TemplatesReport;
  try {
    report = evalTemplates(data, field);
  } catch (error) {
    console.error(`templates: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
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
  return failures.length > 0 ? 1 : 0;
}

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
