import type { CallEdge } from '../evidence.ts';
import type { MetricsSource, Span, TimeRange, TracesSource } from '../../sources/types.ts';
import { labelMatcher } from '../metrics/goldenSignals.ts';
import { stepForPoints } from '../metrics/steps.ts';

/** Most edges reported per finding. */
export const MAX_EDGES = 10;
/** Most traces fetched by id to find edges when there are no service graph metrics. */
export const MAX_TRACES_FOR_EDGES = 3;

function edgeKey(edge: CallEdge): string {
  return `${edge.client}\u0000${edge.server}`;
}

function unique(edges: readonly CallEdge[]): CallEdge[] {
  const seen = new Map<string, CallEdge>();
  for (const edge of edges) {
    seen.set(edgeKey(edge), edge);
  }
  return [...seen.values()].slice(0, MAX_EDGES);
}

/**
 * The call edges touching a service from Tempo's service graph metrics over a range (`failed`: only edges with
 * failed requests); edges are those with a rate above zero at some instant.
 */
export async function serviceGraphEdges(
  metrics: MetricsSource,
  service: string,
  range: TimeRange,
  failed: boolean,
  signal?: AbortSignal
): Promise<CallEdge[]> {
  const metric = failed ? 'traces_service_graph_request_failed_total' : 'traces_service_graph_request_total';
  const step = stepForPoints(range.to - range.from, 30, 15);
  const window = `${Math.max(300, 2 * step)}s`;
  const query = `sum by (client, server) (rate(${metric}{${labelMatcher('server', service)}}[${window}]) or rate(${metric}{${labelMatcher('client', service)}}[${window}]))`;
  const series = await metrics.queryRange(query, range, step, { signal });
  return unique(
    series
      .filter((one) => one.samples.some((sample) => sample.v > 0))
      .flatMap((one) => {
        const { client, server } = one.labels;
        return client === undefined || server === undefined ? [] : [{ client, server }];
      })
      .sort((a, b) => edgeKey(a).localeCompare(edgeKey(b)))
  );
}

/**
 * The call edges a service's spans sit on in whole traces: parent service → service and service → child service.
 * With `errorsOnly`, only edges whose server side is an error span (the call that failed), when there are any.
 */
export function edgesFromSpans(spans: readonly Span[], service: string, errorsOnly: boolean): CallEdge[] {
  const byId = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span]));
  const all: Array<CallEdge & { failed: boolean }> = [];
  for (const span of spans) {
    const parent = span.parentSpanId === undefined ? undefined : byId.get(`${span.traceId}/${span.parentSpanId}`);
    if (
      parent === undefined ||
      parent.service === undefined ||
      span.service === undefined ||
      parent.service === span.service
    ) {
      continue;
    }
    if (parent.service === service || span.service === service) {
      all.push({ client: parent.service, server: span.service, failed: span.status === 'error' });
    }
  }
  const failed = all.filter((edge) => edge.failed);
  const chosen = errorsOnly && failed.length > 0 ? failed : all;
  return unique(
    chosen.map(({ client, server }) => ({ client, server })).sort((a, b) => edgeKey(a).localeCompare(edgeKey(b)))
  );
}

/** Edges from a few whole traces fetched by id; traces that cannot be fetched are skipped. */
export async function edgesFromTraces(
  traces: TracesSource,
  traceIds: readonly string[],
  service: string,
  errorsOnly: boolean,
  signal?: AbortSignal
): Promise<CallEdge[]> {
  const spans: Span[] = [];
  for (const traceId of traceIds.slice(0, MAX_TRACES_FOR_EDGES)) {
    try {
      spans.push(...(await traces.traceById(traceId, { signal })));
    } catch (error) {
      if (signal?.aborted === true) {
        throw error;
      }
    }
  }
  return edgesFromSpans(spans, service, errorsOnly);
}
