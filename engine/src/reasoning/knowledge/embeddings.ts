/** Turns texts into vectors, e.g. an OpenAI-compatible `/embeddings` endpoint; one vector per text, in order. */
export interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros or their lengths differ. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) {
    return 0;
  }
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): it damps the weight of the very
 * first ranks so that one list cannot outvote the others alone; 60 is the value the paper found robust.
 */
export const RRF_K = 60;

/** Fuses rankings (ids, best first) by Σ 1 / (k + rank), rank from 1; returns each id's fused score. */
export function reciprocalRankFusion(
  rankings: ReadonlyArray<readonly string[]>,
  k: number = RRF_K
): Map<string, number> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return fused;
}
