/** What the source clients return: the shapes perception reads, independent of each upstream's wire format. */

/** One sample of a metric series; `t` in milliseconds since the epoch. */
export interface Sample {
  t: number;
  v: number;
}

export interface MetricSeries {
  labels: Record<string, string>;
  samples: Sample[];
}

/** One log line as Loki returns it, with the labels of its stream (and structured metadata, when present). */
export interface LogEntry {
  /** Milliseconds since the epoch (Loki's nanoseconds, truncated). */
  t: number;
  line: string;
  labels: Record<string, string>;
}

/** A time range in milliseconds since the epoch, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

/** Prometheus (or Mimir, or anything speaking its HTTP API). */
export interface MetricsSource {
  /** `query_range`; the range is aligned to the step, so repeated calls hit the same samples. */
  queryRange(query: string, range: TimeRange, stepSeconds: number, options?: QueryOptions): Promise<MetricSeries[]>;
}

export interface LogsResult {
  entries: LogEntry[];
  /** True when the line limit or byte cap stopped reading before the range was covered. */
  truncated: boolean;
  /** What Loki warned about (e.g. a partial result), and notes on where reading stopped. */
  warnings?: string[];
}

/** Loki. */
export interface LogsSource {
  /** A LogQL log query over a range, paginated by time up to `limit` lines. */
  queryRange(query: string, range: TimeRange, options: QueryOptions & { limit: number; direction?: 'forward' | 'backward' }): Promise<LogsResult>;
}

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface SpanSummary {
  spanId: string;
  /** resource.service.name when the response carries it. */
  service: string | undefined;
  name: string | undefined;
  start: number;
  durationMs: number;
  status: SpanStatus | undefined;
  attributes: Record<string, string | number | boolean>;
}

/** One trace of a TraceQL search result with the spans that matched. */
export interface TraceMatch {
  traceId: string;
  rootService: string | undefined;
  rootName: string | undefined;
  start: number;
  durationMs: number;
  spans: SpanSummary[];
}

export interface Span extends SpanSummary {
  traceId: string;
  parentSpanId: string | undefined;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer' | 'unspecified';
}

/** Tempo. */
export interface TracesSource {
  /** TraceQL search within a range; at most `limit` traces. */
  search(traceql: string, range: TimeRange, options: QueryOptions & { limit: number; spansPerSpanSet?: number }): Promise<TraceMatch[]>;
  /** Every span of one trace (hex trace id), flattened. */
  traceById(traceId: string, options?: QueryOptions): Promise<Span[]>;
}
