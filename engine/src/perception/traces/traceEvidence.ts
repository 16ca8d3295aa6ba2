import { evidenceId } from '../evidence.ts';
import type { CallEdge, TraceEvidence } from '../evidence.ts';
import type { MetricsSource, TimeRange, TraceMatch, TracesSource } from '../../sources/types.ts';
import { mapLimit } from '../metrics/limit.ts';
import { quantile } from '../metrics/robust.ts';
import { edgesFromTraces, serviceGraphEdges } from './edges.ts';
import { errorSpansQuery, serverSpansQuery, slowSpansQuery } from './traceql.ts';

/** Traces read per search; counts are of the spans in these, so they are lower bounds when a search is full. */
export const TRACES_PER_SEARCH = 50;
// Matched spans kept per trace (Tempo keeps 3 by default): enough to count error spans in a trace.
const SPANS_PER_TRACE = 20;
/** Most services examined. */
export const MAX_TRACE_SERVICES = 25;
/** Trace ids cited per finding. */
export const TRACE_IDS_PER_FINDING = 5;
// A p95 from fewer spans than this says little.
const MIN_SPANS_FOR_P95 = 10;
// Sample size at which a latency ratio gets full confidence.
const FULL_CONFIDENCE_SPANS = 30;
// A p95 must grow by this factor to count as a shift.
const MIN_LATENCY_RATIO = 1.5;
// Error spans must exceed the baseline's by this many Poisson standard deviations (and double) to count as new.
const MIN_ERROR_Z = 2;
const CONCURRENCY = 4;

export interface TraceEvidenceRequest {
  traces: TracesSource;
  /** Service graph metrics (Tempo's metrics generator) for call edges; without them edges come from whole traces. */
  metrics: MetricsSource | undefined;
  services: string[];
  incident: TimeRange;
  baseline: TimeRange;
  scope: string;
  signal?: AbortSignal;
}

/**
 * The part of the baseline compared with the incident: its most recent stretch as long as the incident (or all of
 * it when shorter). Equal lengths keep counts comparable even when both searches hit the trace limit.
 */
export function comparisonWindow(incident: TimeRange, baseline: TimeRange): TimeRange {
  const to = Math.min(baseline.to, incident.from);
  return { from: Math.max(baseline.from, to - (incident.to - incident.from)), to };
}

function errorSpanCount(matches: readonly TraceMatch[]): number {
  // Spans a search matched without a status are counted: the query asked for errors.
  return matches.reduce(
    (sum, match) => sum + match.spans.filter((span) => span.status === undefined || span.status === 'error').length,
    0
  );
}

function durations(matches: readonly TraceMatch[]): number[] {
  return matches.flatMap((match) => match.spans.map((span) => span.durationMs)).filter(Number.isFinite);
}

function traceIdsOf(matches: readonly TraceMatch[]): string[] {
  return matches.slice(0, TRACE_IDS_PER_FINDING).map((match) => match.traceId);
}

function formatMs(ms: number): string {
  return ms >= 1000
    ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`
    : `${ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)} ms`;
}

function describeEdges(edges: readonly CallEdge[]): string {
  if (edges.length === 0) {
    return '';
  }
  const shown = edges.slice(0, 3).map((edge) => `${edge.client} → ${edge.server}`);
  return ` on ${shown.join(', ')}${edges.length > 3 ? ` and ${edges.length - 3} more` : ''}`;
}

interface Context {
  request: TraceEvidenceRequest;
  comparison: TimeRange;
  scale: number;
}

async function edgesFor(
  context: Context,
  service: string,
  traceIds: readonly string[],
  errors: boolean
): Promise<CallEdge[]> {
  const { metrics, traces, incident, signal } = context.request;
  if (metrics !== undefined) {
    try {
      const failed = errors ? await serviceGraphEdges(metrics, service, incident, true, signal) : [];
      const edges = failed.length > 0 ? failed : await serviceGraphEdges(metrics, service, incident, false, signal);
      if (edges.length > 0) {
        return edges;
      }
    } catch (error) {
      // Service graph metrics are optional: fall back to the traces themselves.
      if (signal?.aborted === true) {
        throw error;
      }
    }
  }
  return edgesFromTraces(traces, traceIds, service, errors, signal);
}

async function errorFinding(context: Context, service: string): Promise<TraceEvidence | undefined> {
  const { traces, incident, scope, signal } = context.request;
  const query = errorSpansQuery(service);
  const options = { limit: TRACES_PER_SEARCH, spansPerSpanSet: SPANS_PER_TRACE, signal };
  const now = await traces.search(query, incident, options);
  const count = errorSpanCount(now);
  if (count === 0) {
    return undefined;
  }
  const before =
    context.comparison.to > context.comparison.from ? await traces.search(query, context.comparison, options) : [];
  const baselineCount = errorSpanCount(before) * context.scale;
  const z = (count - baselineCount) / Math.sqrt(baselineCount + 1);
  if (z < MIN_ERROR_Z || count < 2 * baselineCount) {
    return undefined;
  }
  const traceIds = traceIdsOf(now);
  const edges = await edgesFor(context, service, traceIds, true);
  const full = now.length >= TRACES_PER_SEARCH ? ' (at least; the search was full)' : '';
  return {
    id: evidenceId('trace_errors', scope, service),
    kind: 'trace_errors',
    service,
    score: 1 - Math.exp(-z / 3),
    summary: `${service} has ${count} error spans in ${now.length} traces${full}, against ${Math.round(baselineCount)} in an equally long baseline${describeEdges(edges)}`,
    from: new Date(incident.from).toISOString(),
    to: new Date(incident.to).toISOString(),
    link: { datasource: 'tempo', query },
    details: { edges, traceIds, errorSpans: count, baselineErrorSpans: Math.round(baselineCount) },
  };
}

async function latencyFinding(context: Context, service: string): Promise<TraceEvidence | undefined> {
  const { traces, incident, scope, signal } = context.request;
  const query = serverSpansQuery(service);
  const options = { limit: TRACES_PER_SEARCH, spansPerSpanSet: SPANS_PER_TRACE, signal };
  if (context.comparison.to <= context.comparison.from) {
    return undefined;
  }
  const [now, before] = [
    durations(await traces.search(query, incident, options)),
    durations(await traces.search(query, context.comparison, options)),
  ];
  if (now.length < MIN_SPANS_FOR_P95 || before.length < MIN_SPANS_FOR_P95) {
    return undefined;
  }
  const p95 = quantile(now, 0.95);
  const baselineP95 = quantile(before, 0.95);
  const ratio = p95 / baselineP95;
  if (!(baselineP95 > 0) || !(ratio >= MIN_LATENCY_RATIO)) {
    return undefined;
  }
  // The traces to cite: the incident's spans slower than the baseline's p95.
  const slowQuery = slowSpansQuery(service, baselineP95);
  const slow = await traces.search(slowQuery, incident, { limit: TRACE_IDS_PER_FINDING, spansPerSpanSet: 1, signal });
  const traceIds = traceIdsOf(slow);
  const edges = await edgesFor(context, service, traceIds, false);
  const confidence = Math.min(1, Math.min(now.length, before.length) / FULL_CONFIDENCE_SPANS);
  return {
    id: evidenceId('trace_latency', scope, service),
    kind: 'trace_latency',
    service,
    score: (1 - Math.exp(-(ratio - 1))) * confidence,
    summary: `p95 of ${service} server spans rose ${ratio.toFixed(1)}× from ${formatMs(baselineP95)} to ${formatMs(p95)} (${now.length} spans against ${before.length})${describeEdges(edges)}`,
    from: new Date(incident.from).toISOString(),
    to: new Date(incident.to).toISOString(),
    link: { datasource: 'tempo', query: slowQuery },
    details: { edges, traceIds, p95Ms: p95, baselineP95Ms: baselineP95 },
  };
}

/**
 * Services with new error spans or a latency shift in the incident against the baseline, from TraceQL searches,
 * with the call edges they sit on (service graph metrics when given, else a few whole traces). Strongest first.
 * Searches that fail are skipped; when every service's searches failed, the first failure is thrown.
 */
export async function collectTraceEvidence(request: TraceEvidenceRequest): Promise<TraceEvidence[]> {
  const comparison = comparisonWindow(request.incident, request.baseline);
  const context: Context = {
    request,
    comparison,
    scale:
      comparison.to > comparison.from
        ? (request.incident.to - request.incident.from) / (comparison.to - comparison.from)
        : 0,
  };
  const services = [...new Set(request.services)].slice(0, MAX_TRACE_SERVICES);
  const errors: unknown[] = [];
  let succeeded = 0;
  const tasks = services.flatMap((service) => [
    () => errorFinding(context, service),
    () => latencyFinding(context, service),
  ]);
  const found = await mapLimit(tasks, CONCURRENCY, async (task) => {
    try {
      const finding = await task();
      succeeded++;
      return finding;
    } catch (error) {
      if (request.signal?.aborted === true) {
        throw error;
      }
      errors.push(error);
      return undefined;
    }
  });
  if (succeeded === 0 && errors.length > 0) {
    throw errors[0];
  }
  return found.filter((item): item is TraceEvidence => item !== undefined).sort((a, b) => b.score - a.score);
}
