// npm run eval [-- --data DIR] [--json FILE] [--floors FILE]
// Runs every eval (templates, grouping, rca, retrieval) on the datasets folder DIR (default ../shared/datasets) and the
// repository's own data, writes one JSON report and prints one table; exit 1 when a figure is below its floor.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SHARED_DATASETS } from '../defaults.ts';
import { DEFAULT_FLOORS, loadFloors } from './floors.ts';
import type { Floor } from './floors.ts';
import { runAll } from './runAll.ts';
import { defaultSuite } from './suite.ts';
import { reportTable } from './table.ts';

/** Where the report goes without --json: a folder git ignores. */
export const DEFAULT_REPORT = path.join('reports', 'eval-report.json');

/** Runs every eval on command-line arguments; returns the exit code (2: bad arguments or floors file). */
export async function runAllEvals(argv: string[]): Promise<number> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: SHARED_DATASETS },
      json: { type: 'string', default: DEFAULT_REPORT },
      floors: { type: 'string', default: DEFAULT_FLOORS },
    },
  });
  let floors: Floor[];
  try {
    floors = loadFloors(args.floors);
  } catch (error) {
    console.error(`floors: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const dataDir = path.resolve(args.data);
  const report = await runAll({
    suite: defaultSuite({ dataDir }),
    dataDir,
    floorsFile: path.resolve(args.floors),
    floors,
    progress: (line) => console.error(line),
  });
  console.log(reportTable(report));
  mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${args.json}`);
  for (const failure of report.failures) {
    console.error(`FAIL ${failure}`);
  }
  return report.failures.length > 0 ? 1 : 0;
}
