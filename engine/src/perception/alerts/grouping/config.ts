export interface GroupingConfig {
  /** Two alerts whose start times are further apart than this are never grouped by relation. */
  windowMs: number;
  /** A re-firing of the same alert within this of its previous start joins the same incident (flapping). */
  flapWindowMs: number;
  /** Graph distance within which alerts on related services belong together. */
  maxHops: number;
  /** Minimum Jaccard similarity of informative labels (and at least two shared) to group by labels. */
  labelSimilarity: number;
  /** Minimum Jaccard similarity of title/summary words to group by text. */
  textSimilarity: number;
}

export const DEFAULT_GROUPING: GroupingConfig = {
  windowMs: 10 * 60_000,
  flapWindowMs: 30 * 60_000,
  maxHops: 2,
  labelSimilarity: 0.6,
  textSimilarity: 0.6,
};
