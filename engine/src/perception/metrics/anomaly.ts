import type { MetricSeries, TimeRange } from '../../sources/types.ts';
import { present, toGrid } from './grid.ts';
import { MAD_TO_SIGMA, mad, median, quantile, quantum } from './robust.ts';
import { fitSeasonal } from './seasonal.ts';

/** A series is anomalous at or above this score. */
export const ANOMALY_THRESHOLD = 0.5;

// Band half-width in robust standard deviations: ordinary noise stays inside 99.7% of the time.
const BAND_SIGMAS = 3;
// The band is never narrower than this fraction of the series' level: a flat or quantised series must not turn a
// 1% wobble into a 50-sigma event.
const RELATIVE_SIGMA_FLOOR = 0.02;
// Below this many baseline points there is no baseline to speak of.
const MIN_BASELINE_POINTS = 5;
// Onset: the first point outside the band with another one on the same side within this many points (2 of 4).
const ONSET_WINDOW = 4;
// Persistence is full once this many points are out of the band…
const FULL_PERSISTENCE_POINTS = 4;
// …and at least this fraction of the points since onset are (a spike train every third point counts).
const FULL_PERSISTENCE_FRACTION = 1 / 3;
// An isolated excursion (no onset) is weak evidence: at most this much of its magnitude.
const ISOLATED_WEIGHT = 0.25;

export type Direction = 'up' | 'down' | 'none';

export interface AnomalyOptions {
  baseline: TimeRange;
  /** The evaluated range; the result's timestamps are its step grid. */
  incident: TimeRange;
  stepSeconds: number;
  /** Spacing of the baseline samples when it was queried at a coarser step; defaults to stepSeconds. */
  baselineStepSeconds?: number;
  /** Value for instants without a sample (0 for error rates, whose series vanish when there are no errors). */
  fillMissing?: number;
  /** Fit a seasonal model when the baseline spans two periods (default true). */
  seasonality?: boolean;
  /**
   * When no seasonal model fits, use only the baseline's last this-many ms: a long baseline is fetched for
   * seasonality, but a level from days ago misleads for a drifting series. Default: the whole baseline.
   */
  recentBaselineMs?: number;
}

export interface AnomalyResult {
  /** The incident range's step grid, ms. */
  timestamps: number[];
  values: Array<number | null>;
  /** The expected band; null where unknown (no baseline). */
  lower: Array<number | null>;
  upper: Array<number | null>;
  expected: Array<number | null>;
  /** In [0, 1]: deviation magnitude times persistence; noise stays below 0.3, clear shifts above 0.7. */
  score: number;
  direction: Direction;
  /** First instant (ms) the series left the band persistently. */
  onset: number | undefined;
  anomalous: boolean;
  baselineMedian: number | undefined;
  /** Median value from onset on. */
  level: number | undefined;
  /** Whether the band follows a seasonal model. */
  seasonal: boolean;
}

interface Band {
  expected: number;
  lower: number;
  upper: number;
}

interface DirectionScore {
  score: number;
  onset: number | undefined;
}

/** The robust band model: seasonal or flat expectation, residual spread with a floor, quantile guard. */
function bandModel(
  baseline: { timestamps: number[]; values: Array<number | null> },
  baselineStepMs: number,
  until: number,
  allValues: readonly number[],
  options: { seasonality: boolean; recentFrom: number | undefined }
): { bandAt(t: number): Band; baselineMedian: number; seasonal: boolean } | undefined {
  const fit = options.seasonality ? fitSeasonal(baseline, baselineStepMs, until) : undefined;
  const recentFrom = fit === undefined ? (options.recentFrom ?? -Infinity) : -Infinity;
  const used = baseline.timestamps.flatMap((t, i) =>
    t >= recentFrom ? [{ t, value: baseline.values[i] ?? null }] : []
  );
  const values = present(used.map(({ value }) => value));
  if (values.length < MIN_BASELINE_POINTS) {
    return undefined;
  }
  const residuals = used.flatMap(({ t, value }) => (value === null ? [] : [value - (fit?.expectedAt(t) ?? 0)]));
  const offset = median(residuals);
  const baselineMedian = median(values);
  const scale =
    baselineMedian !== 0
      ? Math.abs(baselineMedian)
      : allValues.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
  const sigma = Math.max(
    MAD_TO_SIGMA * mad(residuals, offset),
    RELATIVE_SIGMA_FLOOR * scale,
    quantum(values) ?? 0,
    Number.MIN_VALUE
  );
  // Heavy-tailed noise: never tighter than the baseline's own extremes, ignoring its few most extreme points.
  const tail = Math.max(0.01, 3 / residuals.length);
  const above = Math.max(offset + BAND_SIGMAS * sigma, quantile(residuals, 1 - tail));
  const below = Math.min(offset - BAND_SIGMAS * sigma, quantile(residuals, tail));
  return {
    baselineMedian,
    seasonal: fit !== undefined,
    bandAt(t) {
      const base = fit?.expectedAt(t) ?? 0;
      return { expected: base + offset, lower: base + below, upper: base + above };
    },
  };
}

/** Deviation in band units: ±BAND_SIGMAS at the band's edges, whatever its width on each side. */
function bandZ(value: number, band: Band): number {
  return value >= band.expected
    ? (BAND_SIGMAS * (value - band.expected)) / (band.upper - band.expected)
    : (-BAND_SIGMAS * (band.expected - value)) / (band.expected - band.lower);
}

/** Maps a median excursion (band units, ≥ 3 when outside) to [0, 1): 3σ → 0.39, 5σ → 0.78, 8σ → 0.95. */
function magnitude(z: number): number {
  return Math.max(0, 1 - Math.exp(-(z - 2) / 2));
}

function scoreDirection(z: ReadonlyArray<number | null>, sign: 1 | -1): DirectionScore {
  const out = z.map((value) => value !== null && sign * value > BAND_SIGMAS);
  let onset: number | undefined;
  for (let i = 0; i < out.length && onset === undefined; i++) {
    if (out[i] === true && out.slice(i + 1, i + ONSET_WINDOW).some(Boolean)) {
      onset = i;
    }
  }
  const firstOut = out.indexOf(true);
  if (firstOut < 0) {
    return { score: 0, onset: undefined };
  }
  const start = onset ?? firstOut;
  const since = z.slice(start).filter((value): value is number => value !== null);
  const excursions = since.filter((value) => sign * value > BAND_SIGMAS).map((value) => sign * value);
  const strength = magnitude(median(excursions));
  if (onset === undefined) {
    return { score: ISOLATED_WEIGHT * magnitude(Math.max(...excursions)), onset: undefined };
  }
  const persistence =
    Math.min(1, excursions.length / FULL_PERSISTENCE_POINTS) *
    Math.min(1, excursions.length / since.length / FULL_PERSISTENCE_FRACTION);
  return { score: strength * persistence, onset };
}

/**
 * Scores one series over the incident range against its own baseline: median/MAD band (seasonal through MSTL when
 * the baseline spans two periods of a cycle it shows), onset at the first persistent excursion, score from how far
 * and how persistently the series left the band. NaN, sentinels and gaps are skipped.
 */
export function scoreSeries(series: MetricSeries, options: AnomalyOptions): AnomalyResult {
  const stepMs = options.stepSeconds * 1000;
  const baselineStepMs = (options.baselineStepSeconds ?? options.stepSeconds) * 1000;
  const baselineRange = { from: options.baseline.from, to: Math.min(options.baseline.to, options.incident.from) };
  const baseline = toGrid(series.samples, baselineRange, baselineStepMs, options.fillMissing);
  const incident = toGrid(series.samples, options.incident, stepMs, options.fillMissing);
  const model = bandModel(
    baseline,
    baselineStepMs,
    options.incident.to,
    [...present(baseline.values), ...present(incident.values)],
    {
      seasonality: options.seasonality ?? true,
      recentFrom: options.recentBaselineMs === undefined ? undefined : baselineRange.to - options.recentBaselineMs,
    }
  );
  const bands = incident.timestamps.map((t) => model?.bandAt(t));
  const z = incident.values.map((value, i) => {
    const band = bands[i];
    return value === null || band === undefined ? null : bandZ(value, band);
  });
  const up = scoreDirection(z, 1);
  const down = scoreDirection(z, -1);
  const [direction, best] = up.score >= down.score ? (['up', up] as const) : (['down', down] as const);
  const onsetIndex = best.onset;
  const level = onsetIndex === undefined ? undefined : median(present(incident.values.slice(onsetIndex)));
  const score = Math.min(1, Math.max(0, best.score));
  return {
    timestamps: incident.timestamps,
    values: incident.values,
    lower: bands.map((band) => band?.lower ?? null),
    upper: bands.map((band) => band?.upper ?? null),
    expected: bands.map((band) => band?.expected ?? null),
    score,
    direction: onsetIndex === undefined ? 'none' : direction,
    onset: onsetIndex === undefined ? undefined : incident.timestamps[onsetIndex],
    anomalous: onsetIndex !== undefined && score >= ANOMALY_THRESHOLD,
    baselineMedian: model?.baselineMedian,
    level: level === undefined || Number.isNaN(level) ? undefined : level,
    seasonal: model?.seasonal ?? false,
  };
}
