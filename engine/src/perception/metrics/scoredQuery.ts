import type { MetricSeries, MetricsSource, TimeRange } from '../../sources/types.ts';
import { scoreSeries } from './anomaly.ts';
import type { AnomalyResult } from './anomaly.ts';

export interface ScoredQueryOptions {
  incident: TimeRange;
  baseline: TimeRange;
  stepSeconds: number;
  baselineStepSeconds: number;
  /** Most series scored; the rest (by label order) are dropped and `truncated` is set. */
  maxSeries: number;
  fillMissing?: number;
  recentBaselineMs?: number;
  signal?: AbortSignal;
}

export interface ScoredSeries {
  labels: Record<string, string>;
  result: AnomalyResult;
  /** The baseline's values (at the baseline step), for rankers that compare windows themselves. */
  baseline: number[];
}

/** A label set as a canonical string: sorted keys, separators that cannot occur in either part unescaped. */
export function labelsKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`)
    .join(',');
}

/**
 * Runs one PromQL query over the incident range (at the step) and the baseline range (at the coarser baseline
 * step), joins the two by label set and scores each series. Series with no incident samples are not returned.
 */
export async function queryAndScore(
  metrics: MetricsSource,
  query: string,
  options: ScoredQueryOptions
): Promise<{ series: ScoredSeries[]; truncated: boolean }> {
  const incident = await metrics.queryRange(query, options.incident, options.stepSeconds, { signal: options.signal });
  const withData = incident
    .filter((series) => series.samples.length > 0)
    .sort((a, b) => labelsKey(a.labels).localeCompare(labelsKey(b.labels)));
  if (withData.length === 0) {
    return { series: [], truncated: false };
  }
  const kept = withData.slice(0, options.maxSeries);
  const baselineRange = { from: options.baseline.from, to: Math.min(options.baseline.to, options.incident.from) };
  const baseline: MetricSeries[] =
    baselineRange.to > baselineRange.from
      ? await metrics.queryRange(query, baselineRange, options.baselineStepSeconds, { signal: options.signal })
      : [];
  const baselineByKey = new Map(baseline.map((series) => [labelsKey(series.labels), series.samples]));
  const series = kept.map((current) => {
    const before = (baselineByKey.get(labelsKey(current.labels)) ?? []).filter((sample) => sample.t < baselineRange.to);
    const result = scoreSeries(
      { labels: current.labels, samples: [...before, ...current.samples] },
      {
        baseline: baselineRange,
        incident: options.incident,
        stepSeconds: options.stepSeconds,
        baselineStepSeconds: options.baselineStepSeconds,
        fillMissing: options.fillMissing,
        recentBaselineMs: options.recentBaselineMs,
      }
    );
    return { labels: current.labels, result, baseline: before.map((sample) => sample.v) };
  });
  return { series, truncated: withData.length > kept.length };
}
