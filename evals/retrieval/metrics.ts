/** The 1-based rank of the first expected document in `ranking`, or null when none is there. */
export function firstRelevantRank(ranking: readonly string[], expected: readonly string[]): number | null {
  const index = ranking.findIndex((id) => expected.includes(id));
  return index < 0 ? null : index + 1;
}

export interface RetrievalMetrics {
  queries: number;
  /** Share of queries with an expected document in the top k, per k. */
  hitRate: Record<number, number>;
  /** Mean reciprocal rank of the first expected document (0 when not retrieved). */
  mrr: number;
}

/** Hit rate at each k and MRR over the first-relevant ranks of a set of queries. */
export function retrievalMetrics(ranks: ReadonlyArray<number | null>, ks: readonly number[]): RetrievalMetrics {
  const n = ranks.length;
  const hitRate: Record<number, number> = {};
  for (const k of ks) {
    hitRate[k] = n === 0 ? 0 : ranks.filter((rank) => rank !== null && rank <= k).length / n;
  }
  const mrr = n === 0 ? 0 : ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / rank), 0) / n;
  return { queries: n, hitRate, mrr };
}
