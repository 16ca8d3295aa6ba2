import { readFileSync } from 'node:fs';
import { MSTL, initSync } from '@bsull/augurs/mstl';
import { interpolateGaps } from './grid.ts';
import { autocorrelation } from './robust.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Periods tried, in ms: a period is used only when the baseline spans at least two of them and shows it. */
export const SEASONAL_PERIODS_MS: readonly number[] = [HOUR, DAY, 7 * DAY];

// MSTL cost grows with the period length; a daily period at 5-minute resolution (288 points) keeps one fit ~50 ms.
const MAX_POINTS_PER_PERIOD = 288;
// Fewer than this many points per period cannot show a shape.
const MIN_POINTS_PER_PERIOD = 4;
// Autocorrelation at the period lag, after removing the trend, above which a period counts as present; noise
// sits near 0 (±2/sqrt(n)), a clear daily cycle near 1.
const MIN_SEASONAL_AUTOCORRELATION = 0.3;
// Fewer overlapping pairs than this make the autocorrelation too noisy to trust.
const MIN_AUTOCORRELATION_PAIRS = 24;
// A baseline with less than this fraction of its points present is too holey to fit a seasonal model to.
const MIN_COVERAGE = 0.6;

let wasmState: 'unloaded' | 'ready' | 'failed' = 'unloaded';

/** Loads augurs' MSTL WASM from disk once (Node has no fetch for file URLs); false when it cannot run here. */
export function mstlAvailable(): boolean {
  if (wasmState === 'unloaded') {
    try {
      const moduleUrl = import.meta.resolve('@bsull/augurs/mstl');
      initSync({ module: readFileSync(new URL('mstl_bg.wasm', moduleUrl)) });
      wasmState = 'ready';
    } catch {
      wasmState = 'failed';
    }
  }
  return wasmState === 'ready';
}

/** Expected values from a seasonal model fitted to the baseline. */
export interface SeasonalFit {
  /** Periods (ms) the model uses. */
  periodsMs: number[];
  /** The model's value at any instant: in-sample over the baseline, forecast after it. */
  expectedAt(t: number): number;
}

/** Removes the trend with a centered moving average one period wide, leaving season and noise. */
function detrend(values: readonly number[], period: number): number[] {
  const half = Math.floor(period / 2);
  const prefix = [0];
  for (const value of values) {
    prefix.push((prefix[prefix.length - 1] ?? 0) + value);
  }
  return values.map((value, i) => {
    const from = Math.max(0, i - half);
    const to = Math.min(values.length, i + half + 1);
    return value - ((prefix[to] ?? 0) - (prefix[from] ?? 0)) / (to - from);
  });
}

/** Means of consecutive blocks of `size` points, aligned so the last block ends at the last point. */
function blockMeans(values: readonly number[], size: number): number[] {
  const means: number[] = [];
  for (let start = values.length % size; start + size <= values.length; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i++) {
      sum += values[i] ?? 0;
    }
    means.push(sum / size);
  }
  return means;
}

/**
 * Fits MSTL (augurs) to a baseline on a regular grid when it spans at least two of a candidate period and that
 * period shows in its autocorrelation; undefined when no period qualifies or the model cannot be fitted. Long
 * periods are fitted on block means so a fit stays cheap whatever the step.
 */
export function fitSeasonal(
  baseline: { timestamps: readonly number[]; values: ReadonlyArray<number | null> },
  stepMs: number,
  until: number,
  periodsMs: readonly number[] = SEASONAL_PERIODS_MS
): SeasonalFit | undefined {
  const n = baseline.values.length;
  const presentCount = baseline.values.filter((value) => value !== null).length;
  const firstTime = baseline.timestamps[0];
  if (firstTime === undefined || presentCount < MIN_COVERAGE * n) {
    return undefined;
  }
  const spanned = periodsMs.filter((period) => n * stepMs >= 2 * period && period / stepMs >= MIN_POINTS_PER_PERIOD);
  if (spanned.length === 0) {
    return undefined;
  }
  const longest = Math.max(...spanned);
  const filled = interpolateGaps(baseline.values);
  if (filled === undefined) {
    return undefined;
  }
  const blockSize = Math.max(1, Math.ceil(longest / stepMs / MAX_POINTS_PER_PERIOD));
  const coarse = blockMeans(filled, blockSize);
  const coarseStep = stepMs * blockSize;
  const seasonal = spanned
    .map((period) => ({ period, points: Math.round(period / coarseStep) }))
    .filter(
      ({ points }) =>
        points >= MIN_POINTS_PER_PERIOD &&
        coarse.length >= 2 * points &&
        coarse.length - points >= MIN_AUTOCORRELATION_PAIRS
    )
    .filter(({ points }) => autocorrelation(detrend(coarse, points), points) >= MIN_SEASONAL_AUTOCORRELATION);
  if (seasonal.length === 0 || !mstlAvailable()) {
    return undefined;
  }
  // Instant of the middle of block j.
  const firstCenter = firstTime + ((n % blockSize) + (blockSize - 1) / 2) * stepMs;
  const horizon = Math.max(1, Math.ceil((until - (firstCenter + (coarse.length - 1) * coarseStep)) / coarseStep) + 1);
  let points: number[];
  try {
    const model = MSTL.ets(seasonal.map(({ points: p }) => p));
    try {
      model.fit(coarse);
      points = [...model.predictInSample().point, ...model.predict(horizon).point];
    } finally {
      model.free();
    }
  } catch {
    return undefined;
  }
  if (points.length === 0 || !points.every(Number.isFinite)) {
    return undefined;
  }
  return {
    periodsMs: seasonal.map(({ period }) => period),
    expectedAt(t) {
      const position = Math.min(Math.max((t - firstCenter) / coarseStep, 0), points.length - 1);
      const below = Math.floor(position);
      const lower = points[below] ?? 0;
      const upper = points[Math.min(below + 1, points.length - 1)] ?? lower;
      return lower + (upper - lower) * (position - below);
    },
  };
}
