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

/** One storm (or several scored together) as grouped by the engine: volume, loss, compression and the scores. */
export interface StormQuality {
  storm: string;
  /** Alerts in all deliveries, counting every redelivery. */
  rawAlerts: number;
  uniqueAlerts: number;
  /** Alerts of the truth the engine did not place in any incident. */
  lost: number;
  score: GroupingScore;
  /** 1 − incidents / raw alerts: the share of the alert volume an SRE no longer reads one by one. */
  compression: number;
}

/**
 * Scores where the engine placed the storms' alerts (alert key → incident id; keys outside the storms' truth,
 * such as other storms' alerts in the same store, are ignored).
 */
export function stormQuality(
  name: string,
  storms: ReadonlyArray<{ truth: ReadonlyMap<string, string>; rawAlerts: number }>,
  placed: ReadonlyMap<string, string>
): StormQuality {
  const truth = new Map(storms.flatMap((storm) => [...storm.truth]));
  const found = new Map([...placed].filter(([key]) => truth.has(key)));
  const score = scoreGrouping(found, truth);
  const rawAlerts = storms.reduce((sum, storm) => sum + storm.rawAlerts, 0);
  return {
    storm: name,
    rawAlerts,
    uniqueAlerts: truth.size,
    lost: truth.size - found.size,
    score,
    compression: rawAlerts === 0 ? 0 : 1 - score.incidents / rawAlerts,
  };
}

const fixed = (n: number) => n.toFixed(3);

/** One line per storm: volume, incidents against true groups, compression and the four scores. */
export function qualityTable(rows: readonly StormQuality[]): string {
  const lines = ['storm                raw alerts  unique  incidents  truth  compression  pair-P  pair-R  homog.  compl.  lost'];
  for (const r of rows) {
    lines.push(
      `${r.storm.padEnd(20)} ${String(r.rawAlerts).padStart(10)}  ${String(r.uniqueAlerts).padStart(6)}  ${String(r.score.incidents).padStart(9)}  ${String(r.score.truthGroups).padStart(5)}  ${fixed(r.compression).padStart(11)}  ${fixed(r.score.pairwisePrecision).padStart(6)}  ${fixed(r.score.pairwiseRecall).padStart(6)}  ${fixed(r.score.homogeneity).padStart(6)}  ${fixed(r.score.completeness).padStart(6)}  ${r.lost}`
    );
  }
  return lines.join('\n');
}
