/** Accuracy of root-cause rankings: AC@k, Avg@5 and the calibration of the top-1 confidence. */

export interface Accuracy {
  'AC@1': number;
  'AC@3': number;
  'AC@5': number;
  'Avg@5': number;
  cases: number;
}

export interface Ranked {
  truth: string;
  ranking: readonly string[];
}

/** Share of cases whose true service is among the first k of the ranking. */
export function acAt(cases: readonly Ranked[], k: number): number {
  if (cases.length === 0) {
    return 0;
  }
  return cases.filter((one) => one.ranking.slice(0, k).includes(one.truth)).length / cases.length;
}

/** AC@1, AC@3, AC@5 and Avg@5 (the mean of AC@1 … AC@5). */
export function accuracy(cases: readonly Ranked[]): Accuracy {
  const at = [1, 2, 3, 4, 5].map((k) => acAt(cases, k));
  return {
    'AC@1': at[0] ?? 0,
    'AC@3': at[2] ?? 0,
    'AC@5': at[4] ?? 0,
    'Avg@5': at.reduce((sum, value) => sum + value, 0) / at.length,
    cases: cases.length,
  };
}

export interface Calibration {
  /** Expected calibration error over equal-width confidence bins. */
  ece: number;
  meanConfidence: number;
  top1Accuracy: number;
}

/** Expected calibration error of the top-1 confidence: bins of width 1/bins, |accuracy − confidence| weighted by count. */
export function calibration(
  predictions: ReadonlyArray<{ confidence: number; correct: boolean }>,
  bins = 10
): Calibration {
  const n = predictions.length;
  if (n === 0) {
    return { ece: 0, meanConfidence: 0, top1Accuracy: 0 };
  }
  const sums = Array.from({ length: bins }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of predictions) {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)))];
    if (bin !== undefined) {
      bin.count++;
      bin.confidence += confidence;
      bin.correct += correct ? 1 : 0;
    }
  }
  let ece = 0;
  for (const bin of sums) {
    if (bin.count > 0) {
      ece += (bin.count / n) * Math.abs(bin.correct / bin.count - bin.confidence / bin.count);
    }
  }
  return {
    ece,
    meanConfidence: predictions.reduce((sum, one) => sum + one.confidence, 0) / n,
    top1Accuracy: predictions.filter((one) => one.correct).length / n,
  };
}
