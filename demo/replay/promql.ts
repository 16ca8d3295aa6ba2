import type { RecordedSeries } from '../../engine/src/local/prometheus.ts';

/**
 * The part of PromQL the engine, its workflows and a person exploring the demo write, evaluated over recorded series
 * the way Prometheus does: selectors with matchers and a 5-minute lookback, range selectors, rate/irate/increase and
 * the *_over_time functions, histogram_quantile, vector, scalar, abs, clamp_min/max, sum/avg/min/max/count by or
 * without, arithmetic and comparisons between scalars and vectors (on/ignoring, bool), and `or`, `and`, `unless`.
 * Anything else (subqueries, offset, @, group_left, topk…) is refused with a message naming it.
 */
export class PromQLError extends Error {
  override name = 'PromQLError';
}

type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; test: (value: string) => boolean };

type Expr =
  | { type: 'number'; value: number }
  | { type: 'selector'; matchers: Matcher[]; rangeMs: number | undefined }
  | { type: 'call'; name: string; args: Expr[] }
  | { type: 'agg'; op: string; grouping: Grouping | undefined; expr: Expr }
  | { type: 'binary'; op: string; bool: boolean; matching: Grouping | undefined; left: Expr; right: Expr }
  | { type: 'neg'; expr: Expr };

type Grouping = { kind: 'by' | 'without' | 'on' | 'ignoring'; labels: string[] };

interface Item {
  labels: Record<string, string>;
  value: number;
}

type Value = { kind: 'scalar'; value: number } | { kind: 'vector'; items: Item[] };

export interface EvaluatedSeries {
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

/** Prometheus' default lookback: an instant selector takes the latest sample at most this old. */
const LOOKBACK_MS = 5 * 60_000;
const MAX_POINTS = 11_000;

/** Series with their samples sorted, selected by matchers. */
export class SeriesStore {
  readonly all: Array<{ labels: Record<string, string>; times: number[]; values: number[] }>;

  constructor(series: readonly RecordedSeries[]) {
    this.all = series.map((one) => {
      const sorted = [...one.samples].sort((a, b) => a[0] - b[0]);
      return { labels: { __name__: one.name, ...one.labels }, times: sorted.map(([t]) => t), values: sorted.map(([, v]) => v) };
    });
  }

  select(matchers: readonly Matcher[]) {
    return this.all.filter((series) => matchers.every((matcher) => matcher.test(series.labels[matcher.label] ?? '')));
  }

  /** Series matching any of the `match[]` selectors with a sample in [from, to]. */
  series(selectors: readonly string[], from: number, to: number): Array<Record<string, string>> {
    const chosen = new Set<Record<string, string>>();
    for (const text of selectors) {
      const expr = parse(text);
      if (expr.type !== 'selector' || expr.rangeMs !== undefined) {
        throw new PromQLError(`match[] must be a series selector, got ${JSON.stringify(text)}`);
      }
      for (const series of this.select(expr.matchers)) {
        if (series.times.some((t) => t >= from && t <= to)) {
          chosen.add(series.labels);
        }
      }
    }
    return [...chosen];
  }
}

/** `query_range`: the expression at each step from `start` to `end` (ms), as series of [ms, value]. */
export function queryRange(store: SeriesStore, query: string, start: number, end: number, stepMs: number): EvaluatedSeries[] {
  if (!(stepMs > 0)) {
    throw new PromQLError('zero or negative query resolution step widths are not accepted');
  }
  if ((end - start) / stepMs > MAX_POINTS) {
    throw new PromQLError('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const expr = parse(query);
  const out = new Map<string, EvaluatedSeries>();
  for (let t = start; t <= end; t += stepMs) {
    const value = evaluate(store, expr, t);
    const items = value.kind === 'scalar' ? [{ labels: {}, value: value.value }] : value.items;
    for (const item of items) {
      const key = signature(item.labels);
      const series = out.get(key) ?? { labels: item.labels, samples: [] };
      series.samples.push([t, item.value]);
      out.set(key, series);
    }
  }
  return [...out.values()];
}

/** An instant query at `time` (ms). */
export function queryInstant(store: SeriesStore, query: string, time: number): Value {
  return evaluate(store, parse(query), time);
}

// ---- parsing ----

type Token = { kind: 'num' | 'dur' | 'ident' | 'str' | 'op'; text: string; at: number };

const DURATION = /^(\d+(?:ms|[smhdwy]))+/;
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
const OPERATORS = ['==', '!=', '>=', '<=', '=~', '!~', '(', ')', '{', '}', '[', ']', ',', '+', '-', '*', '/', '%', '^', '>', '<', '=', ':', '@'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+|^#[^\n]*/.exec(rest);
    if (space !== null) {
      i += space[0].length;
      continue;
    }
    const duration = DURATION.exec(rest);
    if (duration !== null && !/^[\w:]/.test(rest.slice(duration[0].length))) {
      tokens.push({ kind: 'dur', text: duration[0], at: i });
      i += duration[0].length;
      continue;
    }
    const number = /^(?:0x[0-9a-f]+|\d*\.?\d+(?:e[+-]?\d+)?|Inf|NaN)(?![\w:])/i.exec(rest);
    if (number !== null) {
      tokens.push({ kind: 'num', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const ident = /^[a-zA-Z_:][\w:]*/.exec(rest);
    if (ident !== null) {
      tokens.push({ kind: 'ident', text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const [value, length] = readString(rest, i);
      tokens.push({ kind: 'str', text: value, at: i });
      i += length;
      continue;
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (op === undefined) {
      throw new PromQLError(`1:${i + 1}: parse error: unexpected character ${JSON.stringify(rest[0])}`);
    }
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  return tokens;
}

/** A PromQL string literal (Go escapes in "…" and '…', none in `…`) → [value, characters read]. */
function readString(text: string, at: number): [string, number] {
  const quote = text[0];
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  let value = '';
  let i = 1;
  while (i < text.length && text[i] !== quote) {
    const char = text[i] ?? '';
    if (char === '\\' && quote !== '`') {
      const next = text[i + 1] ?? '';
      const unicode = /^(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(text.slice(i + 1));
      if (unicode !== null) {
        value += String.fromCharCode(parseInt(unicode[1] ?? unicode[2] ?? '0', 16));
        i += 1 + unicode[0].length;
        continue;
      }
      const escaped = escapes[next];
      if (escaped === undefined) {
        throw new PromQLError(`1:${at + i + 1}: parse error: unknown escape sequence \\${next}`);
      }
      value += escaped;
      i += 2;
      continue;
    }
    value += char;
    i += 1;
  }
  if (i >= text.length) {
    throw new PromQLError(`1:${at + 1}: parse error: unterminated quoted string`);
  }
  return [value, i + 1];
}

function durationMs(text: string): number {
  let total = 0;
  for (const [, amount = '0', unit = 's'] of text.matchAll(/(\d+)(ms|[smhdwy])/g)) {
    total += Number(amount) * (UNITS[unit] ?? 1000);
  }
  return total;
}

const AGGREGATIONS = new Set(['sum', 'avg', 'min', 'max', 'count']);
const UNSUPPORTED_AGGREGATIONS = new Set(['topk', 'bottomk', 'quantile', 'stddev', 'stdvar', 'count_values', 'group', 'limitk', 'limit_ratio']);
const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '^': 6,
};
const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
const COMPARISONS = new Set(['==', '!=', '<=', '<', '>=', '>']);

export function parse(text: string): Expr {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const fail = (message: string): PromQLError => {
    const token = peek();
    return new PromQLError(`${token === undefined ? 'at the end' : `1:${token.at + 1}`}: parse error: ${message}`);
  };
  const take = (expected?: string): Token => {
    const token = tokens[position];
    if (token === undefined || (expected !== undefined && token.text !== expected)) {
      throw fail(`expected ${expected ?? 'more'}, got ${token === undefined ? 'the end of the query' : JSON.stringify(token.text)}`);
    }
    position += 1;
    return token;
  };
  const isOp = (text: string) => {
    const token = peek();
    return token !== undefined && (token.kind === 'op' || token.kind === 'ident') && token.text === text;
  };

  const labelList = (): string[] => {
    take('(');
    const labels: string[] = [];
    while (!isOp(')')) {
      const token = take();
      if (token.kind !== 'ident' && token.kind !== 'str') {
        throw fail('expected a label name');
      }
      labels.push(token.text);
      if (!isOp(')')) {
        take(',');
      }
    }
    take(')');
    return labels;
  };

  const matchers = (name: string | undefined): Matcher[] => {
    const list: Matcher[] = name === undefined ? [] : [matcher('__name__', '=', name)];
    take('{');
    while (!isOp('}')) {
      const label = take();
      if (label.kind !== 'ident' && label.kind !== 'str') {
        throw fail('expected a label name');
      }
      const op = MATCH_OPERATORS.find((candidate) => candidate === peek()?.text);
      if (op === undefined) {
        throw fail(`unexpected ${JSON.stringify(peek()?.text ?? 'end')} in label matching, expected one of "=", "!=", "=~" or "!~"`);
      }
      position += 1;
      const value = take();
      if (value.kind !== 'str') {
        throw fail('expected a string after the match operator');
      }
      list.push(matcher(label.text, op, value.text));
      if (!isOp('}')) {
        take(',');
      }
    }
    take('}');
    if (!list.some((one) => !one.test(''))) {
      throw fail('vector selector must contain at least one non-empty matcher');
    }
    return list;
  };

  const withRange = (expr: Expr): Expr => {
    if (!isOp('[')) {
      if (isOp('offset') || isOp('@')) {
        throw fail('offset and @ modifiers are not served from a recording (install prometheus for full PromQL)');
      }
      return expr;
    }
    if (expr.type !== 'selector') {
      throw fail('subqueries are not served from a recording (install prometheus for full PromQL)');
    }
    take('[');
    const duration = take();
    if (duration.kind !== 'dur') {
      throw fail('expected a duration such as 5m in the range selector');
    }
    if (isOp(':')) {
      throw fail('subqueries are not served from a recording (install prometheus for full PromQL)');
    }
    take(']');
    if (isOp('offset') || isOp('@')) {
      throw fail('offset and @ modifiers are not served from a recording (install prometheus for full PromQL)');
    }
    return { ...expr, rangeMs: durationMs(duration.text) };
  };

  const primary = (): Expr => {
    const token = peek();
    if (token === undefined) {
      throw fail('unexpected end of input');
    }
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      position += 1;
      const inner = binary(6);
      return token.text === '-' ? { type: 'neg', expr: inner } : inner;
    }
    if (token.kind === 'num') {
      position += 1;
      return { type: 'number', value: Number(token.text.replace(/^inf$/i, 'Infinity').replace(/^nan$/i, 'NaN')) };
    }
    if (token.kind === 'op' && token.text === '(') {
      position += 1;
      const inner = binary(0);
      take(')');
      return withRange(inner);
    }
    if (token.kind === 'op' && token.text === '{') {
      return withRange({ type: 'selector', matchers: matchers(undefined), rangeMs: undefined });
    }
    if (token.kind !== 'ident') {
      throw fail(`unexpected ${JSON.stringify(token.text)}`);
    }
    position += 1;
    const name = token.text;
    if (AGGREGATIONS.has(name) || UNSUPPORTED_AGGREGATIONS.has(name)) {
      if (UNSUPPORTED_AGGREGATIONS.has(name)) {
        throw fail(`the aggregation ${name} is not served from a recording (install prometheus for full PromQL)`);
      }
      let grouping: Grouping | undefined;
      if (isOp('by') || isOp('without')) {
        const kind = take().text === 'by' ? 'by' : 'without';
        grouping = { kind, labels: labelList() };
      }
      take('(');
      const expr = binary(0);
      take(')');
      if (grouping === undefined && (isOp('by') || isOp('without'))) {
        const kind = take().text === 'by' ? 'by' : 'without';
        grouping = { kind, labels: labelList() };
      }
      return { type: 'agg', op: name, grouping, expr };
    }
    if (isOp('(')) {
      if (!(name in FUNCTIONS)) {
        throw fail(`the function ${name} is not served from a recording (install prometheus for full PromQL)`);
      }
      take('(');
      const args: Expr[] = [];
      while (!isOp(')')) {
        args.push(binary(0));
        if (!isOp(')')) {
          take(',');
        }
      }
      take(')');
      return { type: 'call', name, args };
    }
    const selector: Expr = {
      type: 'selector',
      matchers: isOp('{') ? matchers(name) : [matcher('__name__', '=', name)],
      rangeMs: undefined,
    };
    return withRange(selector);
  };

  const binary = (minimum: number): Expr => {
    let left = primary();
    for (;;) {
      const token = peek();
      const op = token?.text ?? '';
      const precedence = token !== undefined && (token.kind === 'op' || token.kind === 'ident') ? PRECEDENCE[op] : undefined;
      if (precedence === undefined || precedence < minimum) {
        return left;
      }
      position += 1;
      let bool = false;
      if (isOp('bool')) {
        position += 1;
        bool = true;
      }
      let matching: Grouping | undefined;
      if (isOp('on') || isOp('ignoring')) {
        const kind = take().text === 'on' ? 'on' : 'ignoring';
        matching = { kind, labels: labelList() };
      }
      if (isOp('group_left') || isOp('group_right')) {
        throw fail('group_left and group_right are not served from a recording (install prometheus for full PromQL)');
      }
      // ^ is right-associative; the others bind left.
      const right = binary(op === '^' ? precedence : precedence + 1);
      left = { type: 'binary', op, bool, matching, left, right };
    }
  };

  const expr = binary(0);
  if (position < tokens.length) {
    throw fail(`unexpected ${JSON.stringify(peek()?.text)}`);
  }
  return expr;
}

function matcher(label: string, op: Matcher['op'], value: string): Matcher {
  if (op === '=' || op === '!=') {
    return { label, op, test: (actual) => (actual === value) === (op === '=') };
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${value})$`, 's');
  } catch (error) {
    throw new PromQLError(`parse error: invalid regular expression ${JSON.stringify(value)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { label, op, test: (actual) => pattern.test(actual) === (op === '=~') };
}

// ---- evaluation ----

type Window = { labels: Record<string, string>; times: number[]; values: number[] };
type Evaluate = (args: Expr[], t: number) => Value;

const FUNCTIONS: Record<string, (store: SeriesStore) => Evaluate> = {
  rate: (store) => overWindow(store, 'rate', (w, from, to) => extrapolatedRate(w, from, to, true, true)),
  increase: (store) => overWindow(store, 'increase', (w, from, to) => extrapolatedRate(w, from, to, true, false)),
  delta: (store) => overWindow(store, 'delta', (w, from, to) => extrapolatedRate(w, from, to, false, false)),
  irate: (store) => overWindow(store, 'irate', (w) => instantRate(w)),
  avg_over_time: (store) => overWindow(store, 'avg_over_time', (w) => (w.values.length === 0 ? undefined : sum(w.values) / w.values.length)),
  sum_over_time: (store) => overWindow(store, 'sum_over_time', (w) => (w.values.length === 0 ? undefined : sum(w.values))),
  max_over_time: (store) => overWindow(store, 'max_over_time', (w) => (w.values.length === 0 ? undefined : Math.max(...w.values))),
  min_over_time: (store) => overWindow(store, 'min_over_time', (w) => (w.values.length === 0 ? undefined : Math.min(...w.values))),
  count_over_time: (store) => overWindow(store, 'count_over_time', (w) => (w.values.length === 0 ? undefined : w.values.length)),
  last_over_time: (store) => overWindow(store, 'last_over_time', (w) => w.values.at(-1)),
  histogram_quantile: (store) => (args, t) => {
    const [q, vector] = args;
    if (q === undefined || vector === undefined || args.length !== 2) {
      throw new PromQLError('histogram_quantile takes 2 arguments (a quantile and a vector of buckets)');
    }
    return { kind: 'vector', items: histogramQuantile(scalarOf(evaluate(store, q, t)), vectorOf(evaluate(store, vector, t))) };
  },
  vector: (store) => (args, t) => {
    const [only] = args;
    if (only === undefined || args.length !== 1) {
      throw new PromQLError('vector takes 1 argument');
    }
    return { kind: 'vector', items: [{ labels: {}, value: scalarOf(evaluate(store, only, t)) }] };
  },
  scalar: (store) => (args, t) => {
    const items = vectorOf(evaluate(store, args[0] ?? { type: 'number', value: Number.NaN }, t));
    return { kind: 'scalar', value: items.length === 1 ? (items[0]?.value ?? Number.NaN) : Number.NaN };
  },
  time: () => (_args, t) => ({ kind: 'scalar', value: t / 1000 }),
  abs: (store) => mapValues(store, (value) => Math.abs(value)),
  ceil: (store) => mapValues(store, (value) => Math.ceil(value)),
  floor: (store) => mapValues(store, (value) => Math.floor(value)),
  clamp_min: (store) => mapValues(store, (value, [min = Number.NaN]) => Math.max(value, min)),
  clamp_max: (store) => mapValues(store, (value, [max = Number.NaN]) => Math.min(value, max)),
};

function evaluate(store: SeriesStore, expr: Expr, t: number): Value {
  switch (expr.type) {
    case 'number':
      return { kind: 'scalar', value: expr.value };
    case 'neg': {
      const inner = evaluate(store, expr.expr, t);
      return inner.kind === 'scalar'
        ? { kind: 'scalar', value: -inner.value }
        : { kind: 'vector', items: inner.items.map((item) => ({ labels: withoutName(item.labels), value: -item.value })) };
    }
    case 'selector': {
      if (expr.rangeMs !== undefined) {
        throw new PromQLError('a range vector (selector[duration]) must be the argument of a function such as rate');
      }
      const items: Item[] = [];
      for (const series of store.select(expr.matchers)) {
        const index = lastAtOrBefore(series.times, t);
        const sampleAt = series.times[index];
        const value = series.values[index];
        if (sampleAt !== undefined && value !== undefined && sampleAt >= t - LOOKBACK_MS) {
          items.push({ labels: series.labels, value });
        }
      }
      return { kind: 'vector', items };
    }
    case 'call': {
      const make = FUNCTIONS[expr.name];
      if (make === undefined) {
        throw new PromQLError(`unknown function ${expr.name}`);
      }
      return make(store)(expr.args, t);
    }
    case 'agg':
      return { kind: 'vector', items: aggregate(expr.op, expr.grouping, vectorOf(evaluate(store, expr.expr, t))) };
    case 'binary':
      return binaryOp(expr, evaluate(store, expr.left, t), evaluate(store, expr.right, t));
  }
}

/** A function of one range selector, applied to each selected series' samples in [t - range, t]. */
function overWindow(store: SeriesStore, name: string, reduce: (window: Window, from: number, to: number) => number | undefined): Evaluate {
  return (args, t) => {
    const [range] = args;
    if (range === undefined || range.type !== 'selector' || range.rangeMs === undefined || args.length !== 1) {
      throw new PromQLError(`${name} expects one range vector, such as ${name}(metric[5m])`);
    }
    const from = t - range.rangeMs;
    const items: Item[] = [];
    for (const series of store.select(range.matchers)) {
      // [t - range, t], both ends included, as Prometheus 2 selects (3 leaves the start out).
      const first = lastAtOrBefore(series.times, from - 1) + 1;
      const last = lastAtOrBefore(series.times, t);
      const window = { labels: series.labels, times: series.times.slice(first, last + 1), values: series.values.slice(first, last + 1) };
      const value = reduce(window, from, t);
      if (value !== undefined) {
        items.push({ labels: withoutName(series.labels), value });
      }
    }
    return { kind: 'vector', items };
  };
}

function mapValues(store: SeriesStore, map: (value: number, scalars: number[]) => number): Evaluate {
  return (args, t) => {
    const [vector, ...rest] = args;
    if (vector === undefined) {
      throw new PromQLError('the function expects a vector argument');
    }
    const scalars = rest.map((arg) => scalarOf(evaluate(store, arg, t)));
    return {
      kind: 'vector',
      items: vectorOf(evaluate(store, vector, t)).map((item) => ({ labels: withoutName(item.labels), value: map(item.value, scalars) })),
    };
  };
}

/** Prometheus' extrapolatedRate: the change over the window, counter resets undone, extrapolated to its edges. */
function extrapolatedRate(window: Window, from: number, to: number, isCounter: boolean, isRate: boolean): number | undefined {
  const { times, values } = window;
  const n = values.length;
  const firstT = times[0];
  const lastT = times[n - 1];
  const firstV = values[0];
  const lastV = values[n - 1];
  if (n < 2 || firstT === undefined || lastT === undefined || firstV === undefined || lastV === undefined) {
    return undefined;
  }
  let result = lastV - firstV;
  if (isCounter) {
    for (let i = 1; i < n; i++) {
      const previous = values[i - 1] ?? 0;
      const current = values[i] ?? 0;
      if (current < previous) {
        result += previous;
      }
    }
  }
  let toStart = (firstT - from) / 1000;
  const toEnd = (to - lastT) / 1000;
  const sampled = (lastT - firstT) / 1000;
  const average = sampled / (n - 1);
  if (isCounter && result > 0 && firstV >= 0) {
    toStart = Math.min(toStart, sampled * (firstV / result));
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  result *= interval / sampled;
  return isRate ? result / ((to - from) / 1000) : result;
}

function instantRate(window: Window): number | undefined {
  const n = window.values.length;
  const [t1, t2] = [window.times[n - 2], window.times[n - 1]];
  const [v1, v2] = [window.values[n - 2], window.values[n - 1]];
  if (t1 === undefined || t2 === undefined || v1 === undefined || v2 === undefined || t2 === t1) {
    return undefined;
  }
  return (v2 < v1 ? v2 : v2 - v1) / ((t2 - t1) / 1000);
}

/** Prometheus' bucketQuantile over the classic `le` buckets of each label set. */
function histogramQuantile(q: number, items: Item[]): Item[] {
  const groups = new Map<string, { labels: Record<string, string>; buckets: Array<{ le: number; count: number }> }>();
  for (const item of items) {
    const le = item.labels.le;
    if (le === undefined) {
      continue;
    }
    const labels = Object.fromEntries(Object.entries(item.labels).filter(([name]) => name !== 'le' && name !== '__name__'));
    const key = signature(labels);
    const group = groups.get(key) ?? { labels, buckets: [] };
    group.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: item.value });
    groups.set(key, group);
  }
  return [...groups.values()].map(({ labels, buckets }) => ({ labels, value: bucketQuantile(q, buckets) }));
}

function bucketQuantile(q: number, unsorted: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(q)) {
    return Number.NaN;
  }
  if (q < 0) {
    return -Infinity;
  }
  if (q > 1) {
    return Infinity;
  }
  const buckets = [...unsorted].sort((a, b) => a.le - b.le);
  const top = buckets.at(-1);
  if (top === undefined || top.le !== Infinity || buckets.length < 2) {
    return Number.NaN;
  }
  // Counts must not fall with le (rates of separately scraped buckets can wobble): keep them monotonic.
  for (let i = 1; i < buckets.length; i++) {
    const bucket = buckets[i];
    const previous = buckets[i - 1];
    if (bucket !== undefined && previous !== undefined && bucket.count < previous.count) {
      bucket.count = previous.count;
    }
  }
  const total = top.count;
  if (!(total > 0)) {
    return Number.NaN;
  }
  const rank = q * total;
  let index = buckets.findIndex((bucket) => bucket.count >= rank);
  if (index === buckets.length - 1) {
    return buckets[buckets.length - 2]?.le ?? Number.NaN;
  }
  if (index === 0 && (buckets[0]?.le ?? 0) <= 0) {
    return buckets[0]?.le ?? Number.NaN;
  }
  index = Math.max(index, 0);
  const bucket = buckets[index];
  const previous = buckets[index - 1];
  if (bucket === undefined) {
    return Number.NaN;
  }
  const start = previous?.le ?? 0;
  const below = previous?.count ?? 0;
  const inBucket = bucket.count - below;
  return inBucket <= 0 ? start : start + (bucket.le - start) * ((rank - below) / inBucket);
}

function aggregate(op: string, grouping: Grouping | undefined, items: Item[]): Item[] {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const item of items) {
    const labels =
      grouping === undefined
        ? {}
        : grouping.kind === 'by'
          ? Object.fromEntries(grouping.labels.flatMap((name) => (item.labels[name] === undefined ? [] : [[name, item.labels[name]]])))
          : Object.fromEntries(Object.entries(item.labels).filter(([name]) => name !== '__name__' && !grouping.labels.includes(name)));
    const key = signature(labels);
    const group = groups.get(key) ?? { labels, values: [] };
    group.values.push(item.value);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ labels, values }) => ({
    labels,
    value:
      op === 'sum'
        ? sum(values)
        : op === 'avg'
          ? sum(values) / values.length
          : op === 'min'
            ? Math.min(...values)
            : op === 'max'
              ? Math.max(...values)
              : values.length,
  }));
}

function binaryOp(expr: Extract<Expr, { type: 'binary' }>, left: Value, right: Value): Value {
  const { op, bool, matching } = expr;
  if (op === 'or' || op === 'and' || op === 'unless') {
    if (left.kind !== 'vector' || right.kind !== 'vector') {
      throw new PromQLError(`set operator "${op}" not allowed in binary scalar expression`);
    }
    const key = (item: Item) => matchKey(item.labels, matching);
    const rightKeys = new Set(right.items.map(key));
    if (op === 'and') {
      return { kind: 'vector', items: left.items.filter((item) => rightKeys.has(key(item))) };
    }
    if (op === 'unless') {
      return { kind: 'vector', items: left.items.filter((item) => !rightKeys.has(key(item))) };
    }
    const leftKeys = new Set(left.items.map(key));
    return { kind: 'vector', items: [...left.items, ...right.items.filter((item) => !leftKeys.has(key(item)))] };
  }
  const comparison = COMPARISONS.has(op);
  if (comparison && !bool && left.kind === 'scalar' && right.kind === 'scalar') {
    throw new PromQLError('comparisons between scalars must use BOOL modifier');
  }
  const apply = (a: number, b: number): number | undefined => {
    const value = arithmetic(op, a, b);
    if (!comparison) {
      return value;
    }
    if (bool) {
      return value;
    }
    return value === 1 ? a : undefined;
  };
  if (left.kind === 'scalar' && right.kind === 'scalar') {
    return { kind: 'scalar', value: arithmetic(op, left.value, right.value) };
  }
  const keepName = comparison && !bool;
  const relabel = (labels: Record<string, string>) => (keepName ? labels : withoutName(labels));
  if (left.kind === 'vector' && right.kind === 'scalar') {
    return {
      kind: 'vector',
      items: left.items.flatMap((item) => {
        const value = apply(item.value, right.value);
        return value === undefined ? [] : [{ labels: relabel(item.labels), value }];
      }),
    };
  }
  if (left.kind === 'scalar' && right.kind === 'vector') {
    return {
      kind: 'vector',
      items: right.items.flatMap((item) => {
        const value = apply(left.value, item.value);
        // A comparison filters the vector's samples and keeps the vector's value.
        const kept = comparison && !bool && value !== undefined ? item.value : value;
        return kept === undefined ? [] : [{ labels: relabel(item.labels), value: kept }];
      }),
    };
  }
  if (left.kind !== 'vector' || right.kind !== 'vector') {
    return { kind: 'vector', items: [] };
  }
  const rightByKey = new Map<string, Item>();
  for (const item of right.items) {
    const key = matchKey(item.labels, matching);
    if (rightByKey.has(key)) {
      throw new PromQLError('found duplicate series for the match group on the right hand-side of the operation; many-to-one matching must be explicit (group_left/group_right)');
    }
    rightByKey.set(key, item);
  }
  const items: Item[] = [];
  for (const item of left.items) {
    const other = rightByKey.get(matchKey(item.labels, matching));
    if (other === undefined) {
      continue;
    }
    const value = apply(item.value, other.value);
    if (value === undefined) {
      continue;
    }
    let labels = relabel(item.labels);
    if (matching?.kind === 'on') {
      labels = Object.fromEntries(Object.entries(labels).filter(([name]) => matching.labels.includes(name)));
    } else if (matching?.kind === 'ignoring') {
      labels = Object.fromEntries(Object.entries(labels).filter(([name]) => !matching.labels.includes(name)));
    }
    items.push({ labels, value });
  }
  return { kind: 'vector', items };
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    default:
      throw new PromQLError(`unknown operator ${op}`);
  }
}

function matchKey(labels: Record<string, string>, matching: Grouping | undefined): string {
  const kept = Object.entries(labels).filter(([name]) =>
    name === '__name__' ? false : matching?.kind === 'on' ? matching.labels.includes(name) : matching?.kind === 'ignoring' ? !matching.labels.includes(name) : true
  );
  return signature(Object.fromEntries(kept));
}

function scalarOf(value: Value): number {
  if (value.kind !== 'scalar') {
    throw new PromQLError('expected a scalar (a number), got an instant vector');
  }
  return value.value;
}

function vectorOf(value: Value): Item[] {
  if (value.kind !== 'vector') {
    throw new PromQLError('expected an instant vector, got a scalar');
  }
  return value.items;
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  if (!('__name__' in labels)) {
    return labels;
  }
  return Object.fromEntries(Object.entries(labels).filter(([name]) => name !== '__name__'));
}

/** Labels as a stable key. */
function signature(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The index of the last time ≤ t, or -1. */
function lastAtOrBefore(times: number[], t: number): number {
  let low = 0;
  let high = times.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((times[middle] ?? Infinity) <= t) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
