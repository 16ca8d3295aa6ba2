// npm run eval -- grouping [--seeds N] [--json FILE] [--min-precision X] [--min-recall X]
// Feeds the generated storms (every preset, seeds 1…N) to the engine's alert intake on PGlite and prints, per storm,
// compression, pairwise precision and recall, homogeneity and completeness; the --min-* floors gate the means.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fraction } from '../fraction.ts';
import { DEFAULT_SEEDS, evalGrouping } from './evalGrouping.ts';
import type { GroupingReport } from './evalGrouping.ts';
import { qualityTable } from './score.ts';

/** Runs the grouping eval on command-line arguments (after `grouping`); returns the exit code. */
export async function runGroupingEval(argv: string[]): Promise<number> {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string', default: String(DEFAULT_SEEDS) },
      json: { type: 'string' },
      'min-precision': { type: 'string' },
      'min-recall': { type: 'string' },
    },
  });
  const seeds = Number(args.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) {
    console.error(`--seeds takes a whole number of at least 1; got "${args.seeds}"`);
    return 2;
  }
  const minPrecision = fraction('min-precision', args['min-precision']);
  const minRecall = fraction('min-recall', args['min-recall']);
  if (minPrecision === null || minRecall === null) {
    return 2;
  }
  let report: GroupingReport;
  try {
    report = await evalGrouping({ seeds });
  } catch (error) {
    console.error(`grouping: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  console.log(`Alert grouping on generated storms (${report.presets.join(', ')}; seeds ${report.seeds.join(', ')}), engine intake on PGlite`);
  console.log(qualityTable(report.storms));
  const { mean } = report;
  console.log(
    `mean over ${report.storms.length} storms: compression ${mean.compression.toFixed(3)}, pair-P ${mean.pairwisePrecision.toFixed(3)}, pair-R ${mean.pairwiseRecall.toFixed(3)}, homogeneity ${mean.homogeneity.toFixed(3)}, completeness ${mean.completeness.toFixed(3)}`
  );
  if (args.json !== undefined) {
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
  const failures: string[] = [];
  if (report.lost > 0) {
    failures.push(`${report.lost} alerts were stored in no incident`);
  }
  if (minPrecision !== undefined && mean.pairwisePrecision < minPrecision) {
    failures.push(`pairwise precision ${mean.pairwisePrecision.toFixed(3)} is below the floor ${minPrecision}`);
  }
  if (minRecall !== undefined && mean.pairwiseRecall < minRecall) {
    failures.push(`pairwise recall ${mean.pairwiseRecall.toFixed(3)} is below the floor ${minRecall}`);
  }
  for (const failure of failures) {
    console.error(`FAIL ${failure}`);
  }
  return failures.length > 0 ? 1 : 0;
}
