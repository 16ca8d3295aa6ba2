// How a grouping compares with the truth, as clustering is scored: pairwise precision/recall and
// homogeneity/completeness (Rosenberg & Hirschberg's V-measure).

export interface GroupingScore {
  alerts: number;
  incidents: number;
  truthGroups: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  homogeneity: number;
  completeness: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function entropy(counts: Iterable<number>, total: number): number {
  let h = 0;
  for (const c of counts) {
    if (c > 0) {
      h -= (c / total) * Math.log(c / total);
    }
  }
  return h;
}

/** `predicted` and `truth` map each alert key to its incident / true group; keys missing from `predicted` count as lost. */
export function scoreGrouping(predicted: ReadonlyMap<string, string>, truth: ReadonlyMap<string, string>): GroupingScore {
  const joint = new Map<string, number>();
  const byTruth = new Map<string, number>();
  const byPredicted = new Map<string, number>();
  let total = 0;
  for (const [key, group] of truth) {
    const incident = predicted.get(key) ?? `lost:${key}`;
    total++;
    joint.set(`${group}\u0000${incident}`, (joint.get(`${group}\u0000${incident}`) ?? 0) + 1);
    byTruth.set(group, (byTruth.get(group) ?? 0) + 1);
    byPredicted.set(incident, (byPredicted.get(incident) ?? 0) + 1);
  }
  let together = 0;
  for (const n of joint.values()) {
    together += pairs(n);
  }
  let predictedPairs = 0;
  for (const n of byPredicted.values()) {
    predictedPairs += pairs(n);
  }
  let truePairs = 0;
  for (const n of byTruth.values()) {
    truePairs += pairs(n);
  }
  // H(truth | predicted) and H(predicted | truth) from the contingency table.
  let hTruthGivenPredicted = 0;
  let hPredictedGivenTruth = 0;
  for (const [cell, n] of joint) {
    const [group = '', incident = ''] = cell.split('\u0000');
    hTruthGivenPredicted -= (n / total) * Math.log(n / (byPredicted.get(incident) ?? n));
    hPredictedGivenTruth -= (n / total) * Math.log(n / (byTruth.get(group) ?? n));
  }
  const hTruth = entropy(byTruth.values(), total);
  const hPredicted = entropy(byPredicted.values(), total);
  return {
    alerts: total,
    incidents: byPredicted.size,
    truthGroups: byTruth.size,
    pairwisePrecision: predictedPairs === 0 ? 1 : together / predictedPairs,
    pairwiseRecall: truePairs === 0 ? 1 : together / truePairs,
    homogeneity: hTruth === 0 ? 1 : 1 - hTruthGivenPredicted / hTruth,
    completeness: hPredicted === 0 ? 1 : 1 - hPredictedGivenTruth / hPredicted,
  };
}
