import type { MetricSeries, MetricsSource, QueryOptions, TimeRange } from '../../sources/types.ts';
import { MAX_POINTS_PER_SERIES } from './steps.ts';

/**
 * A MetricsSource for tests over generated data. It reads the first vector selector of a query (metric name and
 * matchers, with PromQL string escapes) and returns the stored series it selects, sampled at the step over the
 * aligned range as Prometheus would; what the rest of the expression does is already in the stored values.
 */
export interface StoredSeries {
  /** Labels including `__name__`. */
  labels: Record<string, string>;
  value(t: number): number | undefined;
}

export interface RecordedQuery {
  query: string;
  range: TimeRange;
  stepSeconds: number;
}

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;

function readString(text: string, start: number): [string, number] {
  const quote = text[start];
  if (quote !== '"' && quote !== "'") {
    throw new Error(`parse error at char ${start}: expected a string`);
  }
  let value = '';
  let i = start + 1;
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'" };
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\') {
      const next = text[i + 1] ?? '';
      if (next === 'u') {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      value += escapes[next] ?? next;
      i += 2;
      continue;
    }
    value += text[i];
    i++;
  }
  if (i >= text.length) {
    throw new Error('parse error: unterminated string');
  }
  return [value, i + 1];
}

/** The metric name and matchers of the first `name{…}` or `{…}` selector in a query. */
export function firstSelector(query: string): Matcher[] {
  const brace = query.indexOf('{');
  if (brace < 0) {
    // A bare name: the whole query, or the one a range selector follows (`rate(name[5m])`).
    const bare = (/^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(query) ?? /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\[/.exec(query))?.[1];
    if (bare === undefined) {
      throw new Error(`parse error: no selector in ${JSON.stringify(query)}`);
    }
    return [{ label: '__name__', op: '=', value: bare }];
  }
  const name = /[a-zA-Z_:][a-zA-Z0-9_:]*$/.exec(query.slice(0, brace))?.[0];
  const matchers: Matcher[] = name === undefined ? [] : [{ label: '__name__', op: '=', value: name }];
  let i = brace + 1;
  const skip = (): void => {
    while (query[i] === ' ' || query[i] === ',') {
      i++;
    }
  };
  skip();
  while (i < query.length && query[i] !== '}') {
    let label: string;
    if (query[i] === '"') {
      [label, i] = readString(query, i);
    } else {
      IDENT.lastIndex = i;
      const match = IDENT.exec(query);
      if (match === null) {
        throw new Error(`parse error at char ${i}: expected a label name`);
      }
      label = match[0];
      i += label.length;
    }
    const op = (['=~', '!~', '!=', '='] as const).find((candidate) => query.startsWith(candidate, i));
    if (op === undefined) {
      throw new Error(`parse error at char ${i}: expected a match operator`);
    }
    const [value, end] = readString(query, i + op.length);
    matchers.push({ label, op, value });
    i = end;
    skip();
  }
  return matchers;
}

function matches(labels: Record<string, string>, matcher: Matcher): boolean {
  const actual = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(actual);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(actual);
  }
}

export class MemoryMetricsSource implements MetricsSource {
  readonly queries: RecordedQuery[] = [];
  private readonly stored: StoredSeries[];
  private readonly failures: RegExp | undefined;

  constructor(stored: StoredSeries[], options: { failOn?: RegExp } = {}) {
    this.stored = stored;
    this.failures = options.failOn;
  }

  async queryRange(
    query: string,
    range: TimeRange,
    stepSeconds: number,
    options?: QueryOptions
  ): Promise<MetricSeries[]> {
    options?.signal?.throwIfAborted();
    this.queries.push({ query, range, stepSeconds });
    if (this.failures?.test(query) === true) {
      throw new Error(`prometheus: server error for ${query}`);
    }
    const stepMs = stepSeconds * 1000;
    const from = Math.floor(range.from / stepMs) * stepMs;
    if ((range.to - from) / stepMs > MAX_POINTS_PER_SERIES) {
      throw new Error('exceeded maximum resolution of 11,000 points per timeseries');
    }
    const matchers = firstSelector(query);
    // A bare selector keeps the metric name; any function or aggregation around it drops it.
    const keepName = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^}]*\})?\s*$/.test(query);
    return this.stored
      .filter((series) => matchers.every((matcher) => matches(series.labels, matcher)))
      .map((series) => {
        const labels = Object.fromEntries(
          Object.entries(series.labels).filter(([key]) => keepName || key !== '__name__')
        );
        const samples = [];
        for (let t = from; t <= range.to; t += stepMs) {
          const v = series.value(t);
          if (v !== undefined) {
            samples.push({ t, v });
          }
        }
        return { labels, samples };
      })
      .filter((series) => series.samples.length > 0);
  }
}
