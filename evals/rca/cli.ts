// npm run eval -- rca --format rcd|nezha [--data DIR] [--json FILE] [--min-ac1 X] [--min-avg5 X] [--cases]
//   [--pod-metrics-only]
// Ranks labelled root-cause cases with the deterministic ranker and prints AC@1/3/5 and Avg@5 overall and per fault
// type, with the calibration of the top-1 confidence; the --min-* floors make it a regression gate (exit 1).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasDataset, RCA_DIRS, SHARED_DATASETS } from '../defaults.ts';
import { fraction } from '../fraction.ts';
import type { Accuracy } from './accuracy.ts';
import { evalRca, loadCases, rcaJson } from './evalRca.ts';
import type { RcaFormat, RcaReport } from './evalRca.ts';


/** Runs the rca eval on command-line arguments (after `rca`); returns the exit code. */
export function runRcaEval(argv: string[]): number {
  const { values: args } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'string' },
      'min-ac1': { type: 'string' },
      'min-avg5': { type: 'string' },
      cases: { type: 'boolean', default: false },
      'pod-metrics-only': { type: 'boolean', default: false },
    },
  });
  const format = args.format;
  if (format !== 'rcd' && format !== 'nezha') {
    console.error(
      `--format takes rcd (<svc>-<fault>/<rep>/{normal,anomalous}.csv) or nezha (<date>-fault_list.json + metric/); got "${format ?? ''}"`
    );
    return 2;
  }
  const minAc1 = fraction('min-ac1', args['min-ac1']);
  const minAvg5 = fraction('min-avg5', args['min-avg5']);
  if (minAc1 === null || minAvg5 === null) {
    return 2;
  }
  const data = args.data ?? path.join(SHARED_DATASETS, RCA_DIRS[format]);
  if (args.data === undefined && !hasDataset(data)) {
    console.log(`rca: skipped, no --data given and ${data} does not exist`);
    return 0;
  }
  let report: RcaReport;
  try {
    report = evalRca(format, loadCases(format, data, { podMetricsOnly: args['pod-metrics-only'] }));
  } catch (error) {
    console.error(`rca: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  printReport(data, report, args.cases);
  if (args.json !== undefined) {
    writeFileSync(args.json, `${JSON.stringify(rcaJson(report), null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
  const failures: string[] = [];
  if (minAc1 !== undefined && report.overall['AC@1'] < minAc1) {
    failures.push(`AC@1 ${report.overall['AC@1'].toFixed(3)} is below the floor ${minAc1}`);
  }
  if (minAvg5 !== undefined && report.overall['Avg@5'] < minAvg5) {
    failures.push(`Avg@5 ${report.overall['Avg@5'].toFixed(3)} is below the floor ${minAvg5}`);
  }
  for (const failure of failures) {
    console.error(`FAIL ${failure}`);
  }
  return failures.length > 0 ? 1 : 0;
}

function printReport(data: string, report: RcaReport, perCase: boolean): void {
  console.log(`Root-cause ranking (${report.format}), ${data}`);
  console.log(
    `${'fault type'.padEnd(16)} ${'cases'.padStart(5)} ${'AC@1'.padStart(6)} ${'AC@3'.padStart(6)} ${'AC@5'.padStart(6)} ${'Avg@5'.padStart(6)}`
  );
  const row = (name: string, accuracy: Accuracy): void => {
    const cells = [accuracy['AC@1'], accuracy['AC@3'], accuracy['AC@5'], accuracy['Avg@5']].map((value) =>
      value.toFixed(3).padStart(6)
    );
    console.log(`${name.padEnd(16)} ${String(accuracy.cases).padStart(5)} ${cells.join(' ')}`);
  };
  for (const [type, accuracy] of Object.entries(report.byFaultType)) {
    row(type, accuracy);
  }
  for (const [faultClass, accuracy] of Object.entries(report.byFaultClass)) {
    row(`(${faultClass})`, accuracy);
  }
  row('overall', report.overall);
  const { ece, meanConfidence, top1Accuracy } = report.calibration;
  console.log(
    `top-1 confidence: mean ${meanConfidence.toFixed(3)}, accuracy ${top1Accuracy.toFixed(3)}, expected calibration error ${ece.toFixed(3)}; ${report.msPerCase.toFixed(2)} ms per ranking`
  );
  if (perCase) {
    for (const one of report.cases) {
      const mark = one.ranking[0] === one.truth ? 'ok ' : '   ';
      console.log(
        `${mark}${one.id.padEnd(22)} ${one.faultType.padEnd(15)} ${one.truth.padEnd(22)} ${one.confidence.toFixed(2)} ${one.indicator.padEnd(8)} ${one.ranking.slice(0, 5).join(' ')}`
      );
    }
  }
}
