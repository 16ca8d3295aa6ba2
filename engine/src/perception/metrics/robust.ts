/** Robust statistics over plain number arrays (callers drop missing values first). */

/** Scales the median absolute deviation to the standard deviation of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

/** The q-quantile (0..1) with linear interpolation between order statistics; NaN for an empty array. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return quantileSorted(sorted, q);
}

/** As quantile, for an array already sorted ascending. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) {
    return Number.NaN;
  }
  const position = Math.min(Math.max(q, 0), 1) * (n - 1);
  const below = Math.floor(position);
  const lower = sorted[below] ?? Number.NaN;
  const upper = sorted[Math.min(below + 1, n - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Median absolute deviation from `center` (not scaled). */
export function mad(values: readonly number[], center: number): number {
  return median(values.map((value) => Math.abs(value - center)));
}

/**
 * The resolution of a quantised series: the smallest gap between distinct values, or undefined when there are
 * fewer than two distinct values. Integer counters give 1, a gauge reported in 0.5 steps gives 0.5.
 */
export function quantum(values: readonly number[]): number | undefined {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  let smallest: number | undefined;
  for (let i = 1; i < sorted.length; i++) {
    const gap = (sorted[i] ?? 0) - (sorted[i - 1] ?? 0);
    if (gap > 0 && (smallest === undefined || gap < smallest)) {
      smallest = gap;
    }
  }
  return smallest;
}

/**
 * Autocorrelation of a gap-free series at one lag, about its mean, normalised by the number of overlapping pairs
 * (so a clean cycle two periods long reads near 1, not 0.5); 0 when undefined.
 */
export function autocorrelation(values: readonly number[], lag: number): number {
  const n = values.length;
  if (lag <= 0 || lag >= n) {
    return 0;
  }
  let mean = 0;
  for (const value of values) {
    mean += value;
  }
  mean /= n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const centered = (values[i] ?? mean) - mean;
    denominator += centered * centered;
    if (i + lag < n) {
      numerator += centered * ((values[i + lag] ?? mean) - mean);
    }
  }
  return denominator === 0 ? 0 : numerator / (n - lag) / (denominator / n);
}
