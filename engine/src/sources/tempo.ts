import { UpstreamError, UpstreamHttp } from './http.ts';
import type { UpstreamHttpOptions } from './http.ts';
import { isObject, listOf } from './json.ts';
import type {
  MetricsSource,
  QueryOptions,
  Span,
  SpanStatus,
  SpanSummary,
  TimeRange,
  TraceMatch,
  TracesSource,
} from './types.ts';

export type TempoClientOptions = Omit<UpstreamHttpOptions, 'upstream'>;

export type AttributeValue = string | number | boolean;

const NS_PER_MS = 1_000_000n;

export class TempoClient implements TracesSource {
  readonly http: UpstreamHttp;

  constructor(options: TempoClientOptions) {
    this.http = new UpstreamHttp({ ...options, upstream: 'tempo' });
  }

  async search(
    traceql: string,
    range: TimeRange,
    options: QueryOptions & { limit: number; spansPerSpanSet?: number }
  ): Promise<TraceMatch[]> {
    const body = await this.http.json({
      path: '/api/search',
      // Tempo takes whole seconds: widen to cover the range.
      query: {
        q: traceql,
        start: Math.floor(range.from / 1000),
        end: Math.ceil(range.to / 1000),
        limit: options.limit,
        spss: options.spansPerSpanSet,
      },
      signal: options.signal,
    });
    return parseSearchResponse(body).slice(0, options.limit);
  }

  /** Every span of the trace; [] when Tempo does not have it. Tries the v2 API, then v1 for older Tempo. */
  async traceById(traceId: string, options: QueryOptions = {}): Promise<Span[]> {
    if (!/^[0-9a-fA-F]{1,32}$/.test(traceId)) {
      throw new UpstreamError(
        'tempo',
        'bad_query',
        undefined,
        `Not a trace id (up to 32 hex digits): ${JSON.stringify(traceId.slice(0, 64))}`
      );
    }
    for (const path of [`/api/v2/traces/${traceId}`, `/api/traces/${traceId}`]) {
      try {
        return parseTraceResponse(await this.http.json({ path, signal: options.signal }));
      } catch (error) {
        // 404: an older Tempo without v2, or a trace that is not there; the v1 answer tells which.
        if (!(error instanceof UpstreamError && error.status === 404)) {
          throw error;
        }
      }
    }
    return [];
  }
}

const badResponse = (what: string) => new UpstreamError('tempo', 'bad_response', undefined, `Tempo answered ${what}`);

/** `GET /api/search` → traces with their matched spans (`spanSets`, or the deprecated single `spanSet`). */
export function parseSearchResponse(body: unknown): TraceMatch[] {
  if (!isObject(body)) {
    throw badResponse('a search result that is not an object');
  }
  return listOf(body.traces)
    .filter(isObject)
    .map((trace) => {
      const spanSets = Array.isArray(trace.spanSets)
        ? trace.spanSets
        : trace.spanSet === undefined
          ? []
          : [trace.spanSet];
      const spans = new Map<string, SpanSummary>();
      for (const spanSet of spanSets.filter(isObject)) {
        for (const span of listOf(spanSet.spans).filter(isObject)) {
          const summary = parseSearchSpan(span);
          spans.set(summary.spanId, summary);
        }
      }
      const start = nanosToMs(trace.startTimeUnixNano);
      return {
        traceId: hexId(trace.traceID, 32),
        rootService: optionalString(trace.rootServiceName),
        rootName: optionalString(trace.rootTraceName),
        start,
        // jsonpb leaves zero out: a trace under 1 ms has no durationMs.
        durationMs: typeof trace.durationMs === 'number' ? trace.durationMs : 0,
        spans: [...spans.values()],
      };
    });
}

function parseSearchSpan(span: Record<string, unknown>): SpanSummary {
  const attributes = attributesOf(span.attributes);
  const service = attributes['service.name'];
  const status = attributes.status;
  return {
    spanId: hexId(span.spanID, 16),
    service: typeof service === 'string' ? service : undefined,
    name: optionalString(span.name) ?? (typeof attributes.name === 'string' ? attributes.name : undefined),
    start: nanosToMs(span.startTimeUnixNano),
    durationMs: nanosToDurationMs(span.durationNanos),
    status: status === 'error' || status === 'ok' || status === 'unset' ? status : undefined,
    attributes,
  };
}

/**
 * A trace by id in Tempo's OTLP JSON: `{trace: {resourceSpans}}` (v2), `{batches}` (v1) or a bare
 * `{resourceSpans}`. Ids are base64 (jsonpb) and come out as hex; kinds and status codes are enum names or numbers.
 */
export function parseTraceResponse(body: unknown): Span[] {
  const trace = isObject(body) && isObject(body.trace) ? body.trace : body;
  if (!isObject(trace)) {
    throw badResponse('a trace that is not an object');
  }
  const resourceSpans = listOf(trace.resourceSpans ?? trace.batches);
  const spans: Span[] = [];
  for (const resourceSpan of resourceSpans.filter(isObject)) {
    const resource = isObject(resourceSpan.resource) ? attributesOf(resourceSpan.resource.attributes) : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : undefined;
    // OTLP before 0.15 named scopeSpans instrumentationLibrarySpans.
    for (const scopeSpans of listOf(resourceSpan.scopeSpans ?? resourceSpan.instrumentationLibrarySpans).filter(
      isObject
    )) {
      for (const span of listOf(scopeSpans.spans).filter(isObject)) {
        spans.push(parseOtlpSpan(span, service));
      }
    }
  }
  return spans;
}

function parseOtlpSpan(span: Record<string, unknown>, service: string | undefined): Span {
  const startNs = nanos(span.startTimeUnixNano);
  const endNs = nanos(span.endTimeUnixNano);
  const parent =
    span.parentSpanId === undefined || span.parentSpanId === '' ? undefined : otlpId(span.parentSpanId, 16);
  return {
    traceId: otlpId(span.traceId, 32),
    spanId: otlpId(span.spanId, 16),
    parentSpanId: parent,
    service,
    name: optionalString(span.name),
    kind: spanKind(span.kind),
    start: Number(startNs / NS_PER_MS),
    durationMs: endNs >= startNs ? Number(endNs - startNs) / 1e6 : 0,
    status: spanStatus(span.status),
    attributes: attributesOf(span.attributes),
  };
}

const KINDS: Array<Span['kind']> = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** `SPAN_KIND_SERVER` or 2 → 'server'; jsonpb leaves out 0 (unspecified). */
export function spanKind(value: unknown): Span['kind'] {
  if (typeof value === 'number') {
    return KINDS[value] ?? 'unspecified';
  }
  const name = typeof value === 'string' ? value.replace(/^SPAN_KIND_/, '').toLowerCase() : '';
  return KINDS.find((kind) => kind === name) ?? 'unspecified';
}

/** `{code: "STATUS_CODE_ERROR"}` or `{code: 2}` → 'error'; `{}` is unset. */
export function spanStatus(value: unknown): SpanStatus {
  const code = isObject(value) ? value.code : undefined;
  if (code === 2 || code === 'STATUS_CODE_ERROR') {
    return 'error';
  }
  if (code === 1 || code === 'STATUS_CODE_OK') {
    return 'ok';
  }
  return 'unset';
}

/** OTLP attributes `[{key, value: {stringValue | intValue | boolValue | doubleValue | …}}]` → a record. */
export function attributesOf(list: unknown): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const item of listOf(list).filter(isObject)) {
    if (typeof item.key === 'string') {
      const value = attributeValue(item.value);
      if (value !== undefined) {
        attributes[item.key] = value;
      }
    }
  }
  return attributes;
}

function attributeValue(value: unknown): AttributeValue | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (typeof value.stringValue === 'string') {
    return value.stringValue;
  }
  if (typeof value.boolValue === 'boolean') {
    return value.boolValue;
  }
  if (value.intValue !== undefined) {
    // int64 is a string in jsonpb; past 2^53 keep the digits rather than a wrong number.
    const number = Number(value.intValue);
    return Number.isSafeInteger(number) ? number : String(value.intValue);
  }
  if (value.doubleValue !== undefined) {
    return typeof value.doubleValue === 'number' ? value.doubleValue : Number(value.doubleValue);
  }
  if (value.arrayValue !== undefined || value.kvlistValue !== undefined) {
    return JSON.stringify(value.arrayValue ?? value.kvlistValue);
  }
  return typeof value.bytesValue === 'string' ? value.bytesValue : undefined;
}

/** A base64 (jsonpb) or hex id as lower-case hex, `digits` long. */
export function otlpId(value: unknown, digits: number): string {
  if (typeof value !== 'string') {
    return '';
  }
  if (value.length === digits && /^[0-9a-fA-F]+$/.test(value)) {
    return value.toLowerCase();
  }
  return Buffer.from(value, 'base64').toString('hex').padStart(digits, '0');
}

/** Search results carry hex ids, with Tempo dropping leading zeros of trace ids. */
function hexId(value: unknown, digits: number): string {
  return typeof value === 'string' ? value.toLowerCase().padStart(digits, '0') : '';
}

function nanos(value: unknown): bigint {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    return BigInt(value);
  }
  return typeof value === 'number' && Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
}

function nanosToMs(value: unknown): number {
  return Number(nanos(value) / NS_PER_MS);
}

function nanosToDurationMs(value: unknown): number {
  return Number(nanos(value)) / 1e6;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** One call edge of Tempo's service graph, rates in requests per second averaged over the range. */
export interface ServiceEdge {
  client: string;
  server: string;
  requestRate: number;
  failedRate: number;
}

/**
 * The service graph from the metrics Tempo's metrics-generator writes to Prometheus
 * (`traces_service_graph_request_total`, `…_failed_total`), busiest edge first.
 */
export async function serviceGraph(
  metrics: MetricsSource,
  range: TimeRange,
  stepSeconds: number,
  options: QueryOptions = {}
): Promise<ServiceEdge[]> {
  // A rate window of two steps (at least 2 m) holds several scrapes at any usual scrape interval.
  const window = `${Math.max(2 * stepSeconds, 120)}s`;
  const rateOf = (metric: string) => `sum by (client, server) (rate(${metric}[${window}]))`;
  const [requests, failures] = await Promise.all([
    metrics.queryRange(rateOf('traces_service_graph_request_total'), range, stepSeconds, options),
    metrics.queryRange(rateOf('traces_service_graph_request_failed_total'), range, stepSeconds, options),
  ]);
  const edges = new Map<string, ServiceEdge>();
  const edgeOf = (labels: Record<string, string>) => {
    const client = labels.client ?? '';
    const server = labels.server ?? '';
    const key = JSON.stringify([client, server]);
    const edge = edges.get(key) ?? { client, server, requestRate: 0, failedRate: 0 };
    edges.set(key, edge);
    return edge;
  };
  for (const series of requests) {
    edgeOf(series.labels).requestRate = mean(series.samples.map((sample) => sample.v));
  }
  for (const series of failures) {
    edgeOf(series.labels).failedRate = mean(series.samples.map((sample) => sample.v));
  }
  return [...edges.values()].sort(
    (a, b) => b.requestRate - a.requestRate || a.client.localeCompare(b.client) || a.server.localeCompare(b.server)
  );
}

function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? 0 : finite.reduce((sum, value) => sum + value, 0) / finite.length;
}
