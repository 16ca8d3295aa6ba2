import type { QueryOptions, Span, TimeRange, TraceMatch, TracesSource } from '../../sources/types.ts';

/**
 * A TracesSource for tests over generated spans. It evaluates the TraceQL subset perception writes — one spanset
 * `{ a && b && … }` of `resource.service.name = "…"` (Go string escapes), `status = …`, `kind = …` and
 * `duration > 250ms` — over the spans of traces starting in the range, newest first, as Tempo's search does.
 */
type Condition = (span: Span) => boolean;

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

function unquote(literal: string): string {
  // The escapes perception writes (\\ \" \n \r \t \uXXXX) read the same in JSON.
  const parsed: unknown = JSON.parse(literal);
  if (typeof parsed !== 'string') {
    throw new Error(`parse error: ${literal} is not a string`);
  }
  return parsed;
}

export function parseSpanset(traceql: string): Condition[] {
  const body = /^\s*\{(.*)\}\s*$/s.exec(traceql)?.[1];
  if (body === undefined) {
    throw new Error(`parse error: expected one spanset, got ${JSON.stringify(traceql)}`);
  }
  // Split on && outside string literals.
  const parts: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? '';
    if (inString && char === '\\') {
      current += char + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"') {
      inString = !inString;
    }
    if (!inString && char === '&' && body[i + 1] === '&') {
      parts.push(current);
      current = '';
      i++;
      continue;
    }
    current += char;
  }
  parts.push(current);
  return parts.map((part): Condition => {
    const match = /^\s*([\w.]+)\s*(=|!=|>|<|>=|<=)\s*(.+?)\s*$/s.exec(part);
    if (match === null) {
      throw new Error(`parse error: ${JSON.stringify(part)}`);
    }
    const [, field = '', op, value = ''] = match;
    if (field === 'resource.service.name' && op === '=') {
      const service = unquote(value);
      return (span) => span.service === service;
    }
    if (field === 'status' && op === '=') {
      return (span) => (span.status ?? 'unset') === value;
    }
    if (field === 'kind' && op === '=') {
      return (span) => span.kind === value;
    }
    const duration = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(value);
    if (field === 'duration' && op === '>' && duration !== null) {
      const ms = Number(duration[1]) * (DURATION_UNITS[duration[2] ?? 'ms'] ?? 1);
      return (span) => span.durationMs > ms;
    }
    throw new Error(`parse error: unsupported condition ${JSON.stringify(part.trim())}`);
  });
}

export class MemoryTracesSource implements TracesSource {
  readonly searches: Array<{ traceql: string; range: TimeRange; limit: number }> = [];
  readonly fetched: string[] = [];
  private readonly byTrace = new Map<string, Span[]>();
  private readonly failures: RegExp | undefined;

  constructor(spans: readonly Span[], options: { failOn?: RegExp } = {}) {
    for (const span of spans) {
      const list = this.byTrace.get(span.traceId) ?? [];
      list.push(span);
      this.byTrace.set(span.traceId, list);
    }
    this.failures = options.failOn;
  }

  async search(
    traceql: string,
    range: TimeRange,
    options: QueryOptions & { limit: number; spansPerSpanSet?: number }
  ): Promise<TraceMatch[]> {
    options.signal?.throwIfAborted();
    this.searches.push({ traceql, range, limit: options.limit });
    if (this.failures?.test(traceql) === true) {
      throw new Error(`tempo: search failed for ${traceql}`);
    }
    const conditions = parseSpanset(traceql);
    const matches: TraceMatch[] = [];
    for (const [traceId, spans] of this.byTrace) {
      const root = spans.find((span) => span.parentSpanId === undefined) ?? spans[0];
      if (root === undefined || root.start < range.from || root.start >= range.to) {
        continue;
      }
      const matched = spans.filter((span) => conditions.every((condition) => condition(span)));
      if (matched.length > 0) {
        matches.push({
          traceId,
          rootService: root.service,
          rootName: root.name,
          start: root.start,
          durationMs: root.durationMs,
          spans: matched
            .slice(0, options.spansPerSpanSet ?? 3)
            .map(({ spanId, service, name, start, durationMs, status, attributes }) => ({
              spanId,
              service,
              name,
              start,
              durationMs,
              status,
              attributes,
            })),
        });
      }
    }
    return matches.sort((a, b) => b.start - a.start).slice(0, options.limit);
  }

  async traceById(traceId: string, options?: QueryOptions): Promise<Span[]> {
    options?.signal?.throwIfAborted();
    this.fetched.push(traceId);
    const spans = this.byTrace.get(traceId);
    if (spans === undefined || this.failures?.test(traceId) === true) {
      throw new Error(`tempo: trace ${traceId} not found`);
    }
    return spans;
  }
}
