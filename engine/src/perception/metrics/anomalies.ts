import { invalidInput } from '../../invalidInput.ts';
import { parseTimeInput } from '../../timeInput.ts';
import type { MetricsSource } from '../../sources/types.ts';
import type { Direction } from './anomaly.ts';
import { queryAndScore } from './scoredQuery.ts';
import { MAX_POINTS_PER_SERIES, baselineStep, stepForPoints } from './steps.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Default step: a nice step giving at most this many points (so 400–1000 over the range). */
const TARGET_POINTS = 1000;
/** Default baseline: two days before `from` (enough for a daily cycle), or the range's own length when longer. */
const DEFAULT_BASELINE_MS = 2 * DAY;
/** A longer baseline is refused: nothing seasonal needs more, and it would be a heavy query. */
const MAX_BASELINE_MS = 35 * DAY;
const MIN_STEP_SECONDS = 1;
const MAX_QUERY_LENGTH = 20_000;
/** Most series in a response; the rest are dropped (in label order). */
export const MAX_ANOMALY_SERIES = 100;

export interface AnomaliesRequest {
  /** PromQL. */
  query: string;
  /** RFC 3339 or epoch milliseconds (as a string or a number). */
  from: string | number;
  to: string | number;
  /** Seconds. */
  step?: number;
  baselineFrom?: string | number;
}

export interface AnomalySeries {
  name: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: Array<number | null>;
  lower: Array<number | null>;
  upper: Array<number | null>;
  score: number;
  direction: Direction;
  onset: string | null;
  anomalous: boolean;
}

export interface AnomaliesResponse {
  step: number;
  series: AnomalySeries[];
}

/** `name{a="b", c="d"}` the way Prometheus prints a series. */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: metric = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return pairs.length === 0 && metric !== '' ? metric : `${metric}{${pairs.join(', ')}}`;
}

/**
 * `POST /api/v1/query/anomalies`: the series of a PromQL query over [from, to), each with its baseline band and
 * anomaly score. Default step: a nice step for at most 1000 points. Default baseline: 2 days before `from` (or the
 * range's length when longer), queried at a coarser step; a seasonal model uses all of it, and without one only
 * the most recent part as long as the range (at least an hour) sets the band, so a drifting level does not. An
 * explicit `baselineFrom` is used whole. Throws InvalidInput (400) for bad input; upstream errors pass through.
 */
export async function queryAnomalies(
  metrics: MetricsSource,
  request: AnomaliesRequest,
  options: { signal?: AbortSignal } = {}
): Promise<AnomaliesResponse> {
  const query = request.query.trim();
  if (query === '') {
    throw invalidInput('body/query must be a PromQL expression; got an empty string');
  }
  if (query.length > MAX_QUERY_LENGTH) {
    throw invalidInput(`body/query must be at most ${MAX_QUERY_LENGTH} characters; got ${query.length}`);
  }
  const from = parseTimeInput(request.from, 'body/from');
  const to = parseTimeInput(request.to, 'body/to');
  if (from >= to) {
    throw invalidInput('body/from must be before body/to');
  }
  const rangeMs = to - from;
  const step = request.step ?? stepForPoints(rangeMs, TARGET_POINTS, MIN_STEP_SECONDS);
  if (!Number.isFinite(step) || step < MIN_STEP_SECONDS) {
    throw invalidInput(`body/step must be at least ${MIN_STEP_SECONDS} second; got ${step}`);
  }
  const points = Math.ceil(rangeMs / 1000 / step);
  if (points > MAX_POINTS_PER_SERIES) {
    throw invalidInput(
      `body/step ${step}s gives ${points} points over the range; at most ${MAX_POINTS_PER_SERIES}: use a step of at least ${Math.ceil(rangeMs / 1000 / MAX_POINTS_PER_SERIES)}s`
    );
  }
  const baselineFrom =
    request.baselineFrom === undefined
      ? from - Math.max(rangeMs, DEFAULT_BASELINE_MS)
      : parseTimeInput(request.baselineFrom, 'body/baselineFrom');
  if (baselineFrom >= from) {
    throw invalidInput('body/baselineFrom must be before body/from');
  }
  if (from - baselineFrom > MAX_BASELINE_MS) {
    throw invalidInput(`body/baselineFrom must be at most ${MAX_BASELINE_MS / DAY} days before body/from`);
  }
  const baseline = { from: baselineFrom, to: from };
  const { series } = await queryAndScore(metrics, query, {
    incident: { from, to },
    baseline,
    stepSeconds: step,
    baselineStepSeconds: baselineStep(from - baselineFrom, step),
    maxSeries: MAX_ANOMALY_SERIES,
    recentBaselineMs: request.baselineFrom === undefined ? Math.max(rangeMs, HOUR) : undefined,
    signal: options.signal,
  });
  return {
    step,
    series: series.map(({ labels, result }) => ({
      name: seriesName(labels),
      labels,
      timestamps: result.timestamps,
      values: result.values,
      lower: result.lower,
      upper: result.upper,
      score: result.score,
      direction: result.direction,
      onset: result.onset === undefined ? null : new Date(result.onset).toISOString(),
      anomalous: result.anomalous,
    })),
  };
}
