import type { EvalReport } from './report.ts';

const HEADER = ['eval', 'dataset', 'metric', 'value', 'floor', 'result'];

/** Floors are set to the hundredth: shown so, unless one was set finer. */
const hundredths = (value: number) => (Number(value.toFixed(2)) === value ? value.toFixed(2) : String(value));

/** The report as a plain-text table: one row per figure, one per skipped or failed eval, then the run's totals. */
export function reportTable(report: EvalReport): string {
  const rows: string[][] = [];
  for (const result of report.evals) {
    if (result.status !== 'ran') {
      rows.push([result.eval, result.dataset, '-', '-', '-', `${result.status}: ${result.reason ?? ''}`]);
      continue;
    }
    for (const one of result.figures) {
      const verdict = one.pass === null ? '-' : one.pass ? 'pass' : 'FAIL';
      rows.push([
        result.eval,
        result.dataset,
        one.metric,
        one.value.toFixed(3),
        one.floor === null ? '-' : hundredths(one.floor),
        one.note === undefined ? verdict : `${verdict} (${one.note})`,
      ]);
    }
  }
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  // Numbers align right, words left; the last column is not padded.
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : column === 3 || column === 4 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  const ran = report.evals.filter((result) => result.status === 'ran').length;
  const footer =
    `${ran} of ${report.evals.length} evals ran in ${(report.durationMs / 1000).toFixed(1)} s` +
    ` (commit ${report.commit?.slice(0, 12) ?? 'unknown'}${report.dirty === true ? ', uncommitted changes' : ''});` +
    ` ${report.failures.length === 0 ? 'every figure is at or above its floor' : `${report.failures.length} failing`}`;
  return [line(HEADER), ...rows.map(line), '', footer].join('\n');
}
