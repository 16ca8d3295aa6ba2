import { evidenceId } from '../evidence.ts';
import type { MetricAnomalyEvidence } from '../evidence.ts';
import type { MetricsSource, TimeRange } from '../../sources/types.ts';
import { ANOMALY_THRESHOLD } from './anomaly.ts';
import { describeChange, formatClock } from './format.ts';
import { DEFAULT_GOLDEN_SIGNALS, expandTemplate } from './goldenSignals.ts';
import type { GoldenSignalsConfig, SignalQuery } from './goldenSignals.ts';
import { mapLimit } from './limit.ts';
import { labelsKey, queryAndScore } from './scoredQuery.ts';
import type { ScoredSeries } from './scoredQuery.ts';
import { baselineStep, stepForPoints } from './steps.ts';

/** Most series scored per query (e.g. one per instance when a template keeps the instance label). */
export const MAX_SERIES_PER_QUERY = 20;
/** Most evidence items returned, strongest first. */
export const MAX_METRIC_EVIDENCE = 50;
/** Most services examined; the rest are skipped. */
export const MAX_SERVICES = 25;
// Default step: about 300 points over the incident, never finer than a common scrape interval.
const INCIDENT_POINTS = 300;
const MIN_STEP_SECONDS = 15;
// Queries in flight against the metrics source at once.
const CONCURRENCY = 4;

export interface MetricEvidenceRequest {
  metrics: MetricsSource;
  services: string[];
  incident: TimeRange;
  baseline: TimeRange;
  /** Seconds; default a nice step for ~300 points over the incident, at least 15 s. */
  step?: number;
  /** What evidence ids are scoped to (the incident id). */
  scope: string;
  signals?: GoldenSignalsConfig;
  /** Minimum score kept (default ANOMALY_THRESHOLD). */
  threshold?: number;
  maxSeriesPerQuery?: number;
  maxEvidence?: number;
  signal?: AbortSignal;
}

/** One golden-signal series of one service, scored against its baseline. */
export interface ScoredSignal {
  service: string;
  query: SignalQuery;
  promql: string;
  scored: ScoredSeries;
}

type Found = ScoredSignal;

function summarise(found: Found): string {
  const { result } = found.scored;
  const onsetIndex = result.onset === undefined ? -1 : result.timestamps.indexOf(result.onset);
  const expected = result.expected[onsetIndex] ?? result.baselineMedian ?? 0;
  const change = describeChange(expected, result.level ?? 0, found.query.unit);
  const labels = Object.entries(found.scored.labels)
    .filter(([key]) => key !== '__name__')
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return `${found.query.name} of ${found.service}${labels === '' ? '' : ` (${labels})`} ${change} at ${formatClock(result.onset ?? result.timestamps[0] ?? 0)}`;
}

function toEvidence(found: Found, scope: string, incident: TimeRange): MetricAnomalyEvidence {
  const { result, labels } = found.scored;
  const onset = new Date(result.onset ?? incident.from).toISOString();
  const direction = result.direction === 'down' ? 'down' : 'up';
  return {
    id: evidenceId(
      'metric_anomaly',
      scope,
      [found.service, found.query.signal, found.query.name, labelsKey(labels)].join('\n')
    ),
    kind: 'metric_anomaly',
    service: found.service,
    score: result.score,
    summary: summarise(found),
    from: onset,
    to: new Date(incident.to).toISOString(),
    link: { datasource: 'prometheus', query: found.promql },
    details: {
      signal: found.query.signal,
      labels,
      direction,
      onset,
      value: result.level ?? Number.NaN,
      baselineMedian: result.baselineMedian ?? Number.NaN,
    },
  };
}

/** The step golden signals are read at over an incident range (unless a request sets its own). */
export function incidentStepSeconds(incident: TimeRange): number {
  return stepForPoints(incident.to - incident.from, INCIDENT_POINTS, MIN_STEP_SECONDS);
}

/**
 * Every golden-signal series of each service, scored over the incident against the baseline: for each configured
 * signal query, the first candidate template that returns data for the service. A failing candidate is skipped;
 * when every query failed, the first failure is thrown so the caller can report the source as failing.
 */
export async function scoreGoldenSignals(request: MetricEvidenceRequest): Promise<ScoredSignal[]> {
  const { incident, baseline } = request;
  const step = request.step ?? incidentStepSeconds(incident);
  const baselineStepSeconds = baselineStep(Math.max(0, Math.min(baseline.to, incident.from) - baseline.from), step);
  const signals = request.signals ?? DEFAULT_GOLDEN_SIGNALS;
  const services = [...new Set(request.services)].slice(0, MAX_SERVICES);
  const errors: unknown[] = [];
  let succeeded = 0;

  const tasks = services.flatMap((service) => signals.map((query) => ({ service, query })));
  const results = await mapLimit(tasks, CONCURRENCY, async ({ service, query }): Promise<Found[]> => {
    for (const candidate of query.candidates) {
      request.signal?.throwIfAborted();
      const promql = expandTemplate(candidate, service, step);
      try {
        const { series } = await queryAndScore(request.metrics, promql, {
          incident,
          baseline,
          stepSeconds: step,
          baselineStepSeconds,
          maxSeries: request.maxSeriesPerQuery ?? MAX_SERIES_PER_QUERY,
          fillMissing: query.fillMissing,
          signal: request.signal,
        });
        succeeded++;
        if (series.length > 0) {
          return series.map((scored) => ({ service, query, promql, scored }));
        }
      } catch (error) {
        if (request.signal?.aborted === true) {
          throw error;
        }
        errors.push(error);
      }
    }
    return [];
  });
  if (succeeded === 0 && errors.length > 0) {
    throw errors[0];
  }
  return results.flat();
}

/** The scored series at or above the threshold as evidence, strongest first, bounded. */
export function metricEvidenceOf(
  scored: readonly ScoredSignal[],
  request: Pick<MetricEvidenceRequest, 'threshold' | 'maxEvidence' | 'scope' | 'incident'>
): MetricAnomalyEvidence[] {
  const threshold = request.threshold ?? ANOMALY_THRESHOLD;
  return scored
    .filter((found) => found.scored.result.anomalous && found.scored.result.score >= threshold)
    .sort((a, b) => b.scored.result.score - a.scored.result.score)
    .slice(0, request.maxEvidence ?? MAX_METRIC_EVIDENCE)
    .map((found) => toEvidence(found, request.scope, request.incident));
}

/** Golden-signal anomalies of each service over the incident against the baseline, strongest first. */
export async function collectMetricEvidence(request: MetricEvidenceRequest): Promise<MetricAnomalyEvidence[]> {
  return metricEvidenceOf(await scoreGoldenSignals(request), request);
}
