export interface RootCauseOptions {
  /** Evidence chips under each cause; off for very small panels. */
  showEvidence: boolean;
}
