/** Query steps: round ("nice") values, defaults that target a point count, and Prometheus' resolution limit. */

/** Prometheus refuses a query_range with more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

// Steps people read at a glance: 1s … 30s, 1m … 30m, 1h … 12h, 1d.
const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The smallest nice step (seconds) at least `seconds`; whole days beyond one day. */
export function niceStep(seconds: number): number {
  return NICE_STEPS.find((step) => step >= seconds) ?? Math.ceil(seconds / 86_400) * 86_400;
}

/** A nice step giving at most `points` points over `rangeMs`, and at least `minSeconds`. */
export function stepForPoints(rangeMs: number, points: number, minSeconds = 1): number {
  return niceStep(Math.max(rangeMs / 1000 / points, minSeconds));
}

// The baseline is only needed for a level, a spread and a seasonal shape: this many points are plenty.
const BASELINE_POINTS = 2000;

/**
 * The step to query a baseline at: never finer than the incident's, and coarse enough for ~2000 points. Prometheus
 * evaluates a query at each instant independently, so per-point noise is the same at any step.
 */
export function baselineStep(baselineMs: number, stepSeconds: number): number {
  return Math.max(stepSeconds, stepForPoints(baselineMs, BASELINE_POINTS));
}
