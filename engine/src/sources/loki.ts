import { escapeGoString } from './goString.ts';
import { UpstreamError, UpstreamHttp } from './http.ts';
import type { UpstreamHttpOptions } from './http.ts';
import { isObject, labelsOf, listOf, stringsOf } from './json.ts';
import type { LogEntry, LogsResult, LogsSource, QueryOptions, TimeRange } from './types.ts';

export interface LokiClientOptions extends Omit<UpstreamHttpOptions, 'upstream'> {
  /** Lines per request; Loki's max_entries_limit_per_query defaults to 5000. */
  pageSize?: number;
  /** Longer lines keep their first this-many bytes and a marker (default 64 KiB). */
  maxLineBytes?: number;
  /** Reading stops (truncated) once the kept lines reach this size, counted in UTF-16 units (default 64 Mi). */
  maxTotalBytes?: number;
}

export type LokiQueryOptions = QueryOptions & { limit: number; direction?: 'forward' | 'backward' };

/** Labels that commonly carry the service name, in the order to try. */
export const SERVICE_LABELS = ['service_name', 'service', 'app', 'job'] as const;

export const DEFAULT_PAGE_SIZE = 5000;
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const DEFAULT_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const NS_PER_MS = 1_000_000n;

/** One parsed entry with Loki's nanosecond timestamp kept for exact pagination. */
export interface LokiEntry extends LogEntry {
  ns: bigint;
}

export interface LokiPage {
  entries: LokiEntry[];
  warnings: string[];
}

export class LokiClient implements LogsSource {
  readonly http: UpstreamHttp;
  readonly pageSize: number;
  readonly maxLineBytes: number;
  readonly maxTotalBytes: number;

  constructor(options: LokiClientOptions) {
    this.http = new UpstreamHttp({ ...options, upstream: 'loki' });
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  }

  /**
   * Pages through the range by time: each page asks for the lines after (forward) or before (backward) the last
   * timestamp seen, with that timestamp included again because Loki may hold several lines at one nanosecond;
   * lines already read at that timestamp are dropped. Stops when a page comes back short (range covered), at
   * `limit` lines, or at the byte budget.
   */
  async queryRange(query: string, range: TimeRange, options: LokiQueryOptions): Promise<LogsResult> {
    const direction = options.direction ?? 'backward';
    let start = BigInt(Math.floor(range.from)) * NS_PER_MS;
    let end = BigInt(Math.floor(range.to)) * NS_PER_MS;
    const entries: LogEntry[] = [];
    const warnings = new Set<string>();
    // Keys of the lines read at the current boundary timestamp.
    let boundary = new Set<string>();
    let bytes = 0;
    let pageSize = this.pageSize;
    if (start >= end) {
      return { entries, truncated: false, warnings: [] };
    }
    while (entries.length < options.limit && start < end) {
      const want = Math.min(pageSize, options.limit - entries.length + boundary.size);
      let page: LokiPage;
      try {
        page = await this.fetchPage(query, start, end, want, direction, options.signal);
      } catch (error) {
        // A page of huge lines can pass the response cap: ask for fewer lines rather than fail.
        if (error instanceof UpstreamError && error.kind === 'too_large' && pageSize > 1) {
          pageSize = Math.max(1, Math.floor(want / 4));
          continue;
        }
        throw error;
      }
      page.warnings.forEach((warning) => warnings.add(warning));
      const fresh = page.entries.filter((entry) => !boundary.has(entryKey(entry)));
      for (const entry of fresh) {
        if (entries.length >= options.limit || bytes >= this.maxTotalBytes) {
          break;
        }
        bytes += entry.line.length;
        entries.push({ t: entry.t, line: entry.line, labels: entry.labels });
      }
      if (page.entries.length < want) {
        return { entries, truncated: false, warnings: [...warnings] };
      }
      if (fresh.length === 0 || bytes >= this.maxTotalBytes) {
        if (fresh.length === 0) {
          warnings.add(`more than ${want} lines share one timestamp; reading stopped there`);
        }
        break;
      }
      const last = page.entries.at(-1);
      if (last === undefined) {
        break;
      }
      boundary = new Set(page.entries.filter((entry) => entry.ns === last.ns).map(entryKey));
      if (direction === 'forward') {
        start = last.ns;
      } else {
        // `end` is exclusive: one nanosecond on includes the boundary timestamp again.
        end = last.ns + 1n;
      }
    }
    return { entries, truncated: true, warnings: [...warnings] };
  }

  /** One request, entries merged across streams and sorted in `direction`. */
  async fetchPage(
    query: string,
    start: bigint,
    end: bigint,
    limit: number,
    direction: 'forward' | 'backward',
    signal?: AbortSignal
  ): Promise<LokiPage> {
    const body = await this.http.json({
      path: '/loki/api/v1/query_range',
      query: { query, start: start.toString(), end: end.toString(), limit, direction },
      signal,
    });
    return parseStreamsResponse(body, { direction, maxLineBytes: this.maxLineBytes });
  }

  /** The first of `candidates` that Loki has as a label name within the range (the label that carries the service). */
  async serviceLabel(
    range: TimeRange,
    candidates: readonly string[] = SERVICE_LABELS,
    options: QueryOptions = {}
  ): Promise<string | undefined> {
    const body = await this.http.json({
      path: '/loki/api/v1/labels',
      query: {
        start: (BigInt(Math.floor(range.from)) * NS_PER_MS).toString(),
        end: (BigInt(Math.floor(range.to)) * NS_PER_MS).toString(),
      },
      signal: options.signal,
    });
    const known = new Set(isObject(body) ? stringsOf(body.data) : []);
    return candidates.find((candidate) => known.has(candidate));
  }
}

function entryKey(entry: LokiEntry): string {
  return `${entry.ns}\u0000${JSON.stringify(entry.labels)}\u0000${entry.line}`;
}

const badResponse = (what: string) => new UpstreamError('loki', 'bad_response', undefined, `Loki answered ${what}`);

/**
 * A query_range (or query) response with `resultType: "streams"` → entries. Values are `[ns, line]` or
 * `[ns, line, metadata]`; metadata is structured metadata, or `{structuredMetadata, parsed}` when the response
 * carries the categorize-labels encoding flag. Both are merged into the entry's labels.
 */
export function parseStreamsResponse(
  body: unknown,
  options: { direction?: 'forward' | 'backward'; maxLineBytes?: number } = {}
): LokiPage {
  if (!isObject(body) || !isObject(body.data)) {
    throw badResponse('without a data object');
  }
  const { resultType, result } = body.data;
  if (resultType !== 'streams') {
    throw new UpstreamError(
      'loki',
      'bad_query',
      undefined,
      `Loki answered a ${String(resultType)} result: a metric query where a log query (stream selector and filters) was expected`
    );
  }
  const categorized = stringsOf(body.data.encodingFlags).includes('categorize-labels');
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const entries: LokiEntry[] = [];
  for (const stream of listOf(result)) {
    if (!isObject(stream)) {
      throw badResponse('with a stream that is not an object');
    }
    const streamLabels = labelsOf(stream.stream);
    for (const value of listOf(stream.values)) {
      entries.push(parseValue(value, streamLabels, categorized, maxLineBytes));
    }
  }
  const sign = options.direction === 'forward' ? 1 : -1;
  entries.sort((a, b) => (a.ns === b.ns ? 0 : a.ns < b.ns ? -sign : sign));
  return { entries, warnings: stringsOf(body.warnings) };
}

function parseValue(
  value: unknown,
  streamLabels: Record<string, string>,
  categorized: boolean,
  maxLineBytes: number
): LokiEntry {
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !/^\d+$/.test(value[0])) {
    throw badResponse(
      `with a stream value that is not ["<nanoseconds>", "<line>"]: ${JSON.stringify(value)?.slice(0, 100)}`
    );
  }
  const ns = BigInt(value[0]);
  const line = typeof value[1] === 'string' ? value[1] : String(value[1] ?? '');
  const metadata: unknown = value[2];
  const labels =
    categorized && isObject(metadata)
      ? { ...streamLabels, ...labelsOf(metadata.structuredMetadata), ...labelsOf(metadata.parsed) }
      : { ...streamLabels, ...labelsOf(metadata) };
  return { ns, t: Number(ns / NS_PER_MS), line: capLine(line, maxLineBytes), labels };
}

/** Lines over `maxBytes` (UTF-8) keep their head and say how much was cut. */
export function capLine(line: string, maxBytes: number): string {
  // Fast path: a UTF-8 character takes at most 3 bytes per UTF-16 unit.
  if (line.length * 3 <= maxBytes) {
    return line;
  }
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= maxBytes) {
    return line;
  }
  // A cut inside a character decodes to U+FFFD; drop that partial character.
  const head = bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
  return `${head}… [line truncated: ${bytes.length} bytes, kept ${maxBytes}]`;
}

/**
 * A LogQL stream selector for services: `{service_name="a"}` or `{service_name=~"a|b"}`. The label is the first
 * of `labelNames` (put the CMDB's label first; LokiClient.serviceLabel finds which one Loki has). Names are
 * regex-escaped, then escaped for the LogQL double-quoted string.
 */
export function streamSelector(services: readonly string[], labelNames: readonly string[] = SERVICE_LABELS): string {
  const names = [...new Set(services.filter((service) => service !== ''))].sort();
  const label = labelNames[0];
  if (names.length === 0) {
    throw new RangeError('a stream selector needs at least one service');
  }
  if (label === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) {
    throw new RangeError(`not a Loki label name: ${JSON.stringify(label)}`);
  }
  const [only] = names;
  if (names.length === 1 && only !== undefined) {
    return `{${label}=${logqlString(only)}}`;
  }
  return `{${label}=~${logqlString(names.map(escapeRegex).join('|'))}}`;
}

/** RE2 metacharacters escaped, so a service name matches only itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A LogQL (Go) double-quoted string literal. */
export function logqlString(text: string): string {
  return `"${escapeGoString(text)}"`;
}
