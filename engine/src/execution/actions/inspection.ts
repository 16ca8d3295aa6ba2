import { Type } from 'typebox';
import type { Static } from 'typebox';
import { UpstreamError } from '../../sources/http.ts';
import { parseTimeInput } from '../../timeInput.ts';
import { parsePrometheusResponse } from '../../sources/prometheus.ts';
import type { MetricSeries, TimeRange, TraceMatch } from '../../sources/types.ts';
import type { ActionContext, ActionDefinition } from '../types.ts';
import { ActionFailed } from './outbound.ts';

/**
 * Checks over Prometheus, Loki and Tempo with thresholds: each query's series are reduced to one value over the range
 * (for TraceQL, the matching traces are counted or their durations reduced) and compared with the threshold a healthy
 * value meets. Reading changes nothing, so dry runs read too.
 */

export const THRESHOLD_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];
export const REDUCERS = ['last', 'max', 'min', 'avg'] as const;
export type Reducer = (typeof REDUCERS)[number];
export const TRACE_MEASURES = ['count', 'duration'] as const;
export type TraceMeasure = (typeof TRACE_MEASURES)[number];
export type CheckSource = 'prometheus' | 'loki' | 'tempo';

const DURATION = '^[1-9][0-9]{0,5}(s|m|h|d)$';
/** Enough log lines to count; more means a metric query (count_over_time) is the better check. */
const MAX_LOG_LINES = 5000;
const MAX_SERIES_SHOWN = 10;
/** Traces a TraceQL check asks Tempo for; a count that reaches it is a lower bound. */
export const MAX_TRACES = 1000;
const DEFAULT_TIMEOUT_MS = 30_000;

export const InspectionCheckSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    source: Type.Union([Type.Literal('prometheus'), Type.Literal('loki'), Type.Literal('tempo')], {
      description: 'prometheus (PromQL), loki (LogQL) or tempo (TraceQL)',
    }),
    query: Type.String({
      minLength: 1,
      maxLength: 8192,
      description:
        'PromQL; LogQL: a metric query, or a log query whose matching lines are counted; TraceQL: a search whose ' +
        'matching traces are the series (see measure), e.g. { resource.service.name = "checkout" && status = error }',
    }),
    measure: Type.Optional(
      Type.Union([Type.Literal('count'), Type.Literal('duration')], {
        description:
          `For source tempo only. count (default): how many traces match in the range, one value, 0 when none ` +
          `match (data, not no data); Tempo is asked for at most ${MAX_TRACES} traces, and a count that reaches ` +
          `${MAX_TRACES} is at least that. duration: the matching traces' durations in milliseconds, made one value ` +
          `with reduce; no match is no data`,
      })
    ),
    threshold: Type.Object(
      {
        op: Type.Union([
          Type.Literal('>'),
          Type.Literal('>='),
          Type.Literal('<'),
          Type.Literal('<='),
          Type.Literal('=='),
          Type.Literal('!='),
        ]),
        value: Type.Number(),
      },
      {
        additionalProperties: false,
        description: 'The condition a healthy value meets, e.g. {op: "<", value: 0.5} for p95 latency',
      }
    ),
    reduce: Type.Optional(
      Type.Union([Type.Literal('last'), Type.Literal('max'), Type.Literal('min'), Type.Literal('avg')], {
        description:
          'How the samples of a series become one value (default last); for a tempo duration, how the matching ' +
          "traces' durations do (last: the latest trace). Not for a tempo count",
      })
    ),
    onNoData: Type.Optional(
      Type.Union([Type.Literal('pass'), Type.Literal('fail')], {
        description: 'When the query returns no series (default fail); a tempo count always has a value',
      })
    ),
  },
  { additionalProperties: false }
);
export type InspectionCheck = Static<typeof InspectionCheckSchema>;

export const InspectionInputSchema = Type.Object(
  {
    checks: Type.Array(InspectionCheckSchema, { minItems: 1, maxItems: 50 }),
    range: Type.Optional(
      Type.String({ pattern: DURATION, description: 'How far back to look, e.g. 15m (default), 1h' })
    ),
    until: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })], {
        description:
          'Where the range ends (epoch ms or RFC 3339; default now), e.g. a change time for a baseline before it',
      })
    ),
    step: Type.Optional(
      Type.String({ pattern: DURATION, description: 'Query resolution (default: the range / 60, at least 15s)' })
    ),
  },
  { additionalProperties: false, title: 'inspection' }
);
export type InspectionInput = Static<typeof InspectionInputSchema>;

export interface CheckResult {
  name: string;
  source: CheckSource;
  query: string;
  /** Tempo only: whether the value counts the matching traces or reduces their durations (ms). */
  measure?: TraceMeasure;
  status: 'pass' | 'fail' | 'no_data';
  passed: boolean;
  /** The value that decided: a failing series', else the one nearest to failing; null without data. */
  value: number | null;
  threshold: { op: ThresholdOp; value: number };
  /** Absent for a Tempo count, which is one value. */
  reduce?: Reducer;
  /** Series, or for Tempo the matching traces. */
  seriesCount: number;
  /**
   * Up to 10 series with their values, failing ones first. For Tempo, traces ({traceId, rootService, rootName}) with
   * their durations in ms, newest first: for a count, each passes or fails with the check.
   */
  series: Array<{ labels: Record<string, string>; value: number; passed: boolean }>;
  note?: string;
}

export interface InspectionOutput {
  passed: boolean;
  range: { from: string; to: string };
  checks: CheckResult[];
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m` → 900000. */
export function parseDuration(text: string): number {
  const match = new RegExp(DURATION).exec(text);
  const unit = UNIT_MS[match?.[1] ?? ''];
  if (unit === undefined) {
    throw new ActionFailed(`inspection: ${JSON.stringify(text)} is not a duration such as 30s, 15m, 1h or 1d`, false);
  }
  return Number.parseInt(text, 10) * unit;
}

export function reduceSamples(values: number[], reducer: Reducer): number | undefined {
  const finite = values.filter((value) => !Number.isNaN(value));
  if (finite.length === 0) {
    return undefined;
  }
  switch (reducer) {
    case 'last':
      return finite.at(-1);
    case 'max':
      return Math.max(...finite);
    case 'min':
      return Math.min(...finite);
    case 'avg':
      return finite.reduce((sum, value) => sum + value, 0) / finite.length;
  }
}

export function meets(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

/** Among passing series, the one nearest to failing: the highest under an upper bound, the lowest over a lower one. */
function deciding(values: number[], op: ThresholdOp): number | undefined {
  if (op === '<' || op === '<=') {
    return Math.max(...values);
  }
  if (op === '>' || op === '>=') {
    return Math.min(...values);
  }
  return values[0];
}

export function evaluateCheck(check: InspectionCheck, series: MetricSeries[], note?: string): CheckResult {
  const reducer = check.reduce ?? 'last';
  const reduced = series.flatMap((item) => {
    const value = reduceSamples(
      item.samples.map((sample) => sample.v),
      reducer
    );
    return value === undefined
      ? []
      : [{ labels: item.labels, value, passed: meets(value, check.threshold.op, check.threshold.value) }];
  });
  const base = {
    name: check.name,
    source: check.source,
    query: check.query,
    threshold: check.threshold,
    reduce: reducer,
    seriesCount: reduced.length,
    ...(note === undefined ? {} : { note }),
  };
  if (reduced.length === 0) {
    const passed = check.onNoData === 'pass';
    return { ...base, status: 'no_data', passed, value: null, series: [] };
  }
  const failing = reduced.filter((item) => !item.passed);
  const passed = failing.length === 0;
  const value =
    failing[0]?.value ??
    deciding(
      reduced.map((item) => item.value),
      check.threshold.op
    ) ??
    null;
  const shown = [...failing, ...reduced.filter((item) => item.passed)].slice(0, MAX_SERIES_SHOWN);
  return { ...base, status: passed ? 'pass' : 'fail', passed, value, series: shown };
}

function traceLabels(trace: TraceMatch): Record<string, string> {
  return {
    traceId: trace.traceId,
    ...(trace.rootService === undefined ? {} : { rootService: trace.rootService }),
    ...(trace.rootName === undefined ? {} : { rootName: trace.rootName }),
  };
}

/** A TraceQL check over the traces Tempo matched (asked for at most `limit`). */
export function evaluateTraceCheck(check: InspectionCheck, traces: TraceMatch[], limit = MAX_TRACES): CheckResult {
  const measure = check.measure ?? 'count';
  const { op, value: bound } = check.threshold;
  const oldestFirst = [...traces].sort((a, b) => a.start - b.start);
  const newestFirst = [...oldestFirst].reverse();
  const atLimit = traces.length >= limit;
  const base = {
    name: check.name,
    source: check.source,
    query: check.query,
    measure,
    threshold: check.threshold,
    seriesCount: traces.length,
  };
  if (measure === 'count') {
    const passed = meets(traces.length, op, bound);
    return {
      ...base,
      status: passed ? 'pass' : 'fail',
      passed,
      value: traces.length,
      series: newestFirst
        .slice(0, MAX_SERIES_SHOWN)
        .map((trace) => ({ labels: traceLabels(trace), value: trace.durationMs, passed })),
      ...(atLimit ? { note: `Tempo returned its limit of ${limit} traces: the count is at least ${limit}` } : {}),
    };
  }
  const reducer = check.reduce ?? 'last';
  const note = atLimit ? { note: `Tempo returned its limit of ${limit} traces: the durations are of those only` } : {};
  const value = reduceSamples(
    oldestFirst.map((trace) => trace.durationMs),
    reducer
  );
  if (value === undefined) {
    return {
      ...base,
      reduce: reducer,
      status: 'no_data',
      passed: check.onNoData === 'pass',
      value: null,
      series: [],
      ...note,
    };
  }
  const passed = meets(value, op, bound);
  const judged = newestFirst.map((trace) => ({
    labels: traceLabels(trace),
    value: trace.durationMs,
    passed: meets(trace.durationMs, op, bound),
  }));
  const shown = [...judged.filter((item) => !item.passed), ...judged.filter((item) => item.passed)];
  return {
    ...base,
    reduce: reducer,
    status: passed ? 'pass' : 'fail',
    passed,
    value,
    series: shown.slice(0, MAX_SERIES_SHOWN),
    ...note,
  };
}

/** What the schema cannot say about a check's fields, named by the check. */
export function checkFieldErrors(check: InspectionCheck): string | undefined {
  const name = JSON.stringify(check.name);
  if (check.source !== 'tempo' && check.measure !== undefined) {
    return `inspection check ${name}: measure is for tempo (TraceQL) checks only, not for source ${check.source}`;
  }
  if (check.source === 'tempo' && (check.measure ?? 'count') === 'count' && check.reduce !== undefined) {
    return `inspection check ${name}: reduce is for measure: duration; a tempo count is one value`;
  }
  return undefined;
}

/** LogQL metric queries start with a function or aggregation; log queries with a stream selector. */
export function isLogQuery(logql: string): boolean {
  return logql.trimStart().startsWith('{');
}

function stepSeconds(input: InspectionInput, rangeMs: number): number {
  if (input.step !== undefined) {
    return parseDuration(input.step) / 1000;
  }
  return Math.max(15, Math.ceil(rangeMs / 60 / 1000));
}

async function runCheck(
  check: InspectionCheck,
  range: TimeRange,
  step: number,
  context: ActionContext
): Promise<CheckResult> {
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(context.timeoutMs ?? DEFAULT_TIMEOUT_MS)]);
  if (check.source === 'tempo') {
    const tempo = context.sources.tempo;
    if (tempo === undefined) {
      throw new ActionFailed(
        `inspection check ${JSON.stringify(check.name)} needs Tempo, which is not configured (Settings → Tempo URL)`,
        false
      );
    }
    // One span per span set: the check reads traces, not their spans.
    const traces = await tempo.search(check.query, range, { limit: MAX_TRACES, spansPerSpanSet: 1, signal });
    return evaluateTraceCheck(check, traces);
  }
  if (check.source === 'prometheus') {
    const prometheus = context.sources.prometheus;
    if (prometheus === undefined) {
      throw new ActionFailed(
        `inspection check ${JSON.stringify(check.name)} needs Prometheus, which is not configured (Settings → Prometheus URL)`,
        false
      );
    }
    return evaluateCheck(check, await prometheus.queryRange(check.query, range, step, { signal }));
  }
  const loki = context.sources.loki;
  if (loki === undefined) {
    throw new ActionFailed(
      `inspection check ${JSON.stringify(check.name)} needs Loki, which is not configured (Settings → Loki URL)`,
      false
    );
  }
  if (isLogQuery(check.query)) {
    const result = await loki.queryRange(check.query, range, { limit: MAX_LOG_LINES, signal });
    const note = result.truncated
      ? `counted the first ${MAX_LOG_LINES} lines only; use count_over_time for an exact count`
      : undefined;
    // A log query's value is how many lines matched: one series, one sample.
    return evaluateCheck(check, [{ labels: {}, samples: [{ t: range.to, v: result.entries.length }] }], note);
  }
  const body = await loki.http.json({
    path: '/loki/api/v1/query_range',
    query: {
      query: check.query,
      start: `${BigInt(range.from) * 1_000_000n}`,
      end: `${BigInt(range.to) * 1_000_000n}`,
      step,
    },
    signal,
  });
  return evaluateCheck(check, parsePrometheusResponse(body).series);
}

function describeCheck(check: InspectionCheck): string {
  const bound = `${check.threshold.op} ${check.threshold.value}`;
  if (check.source !== 'tempo') {
    return `${check.source}, ${check.reduce ?? 'last'} ${bound}`;
  }
  return (check.measure ?? 'count') === 'count'
    ? `TraceQL on tempo, matching traces ${bound}`
    : `TraceQL on tempo, ${check.reduce ?? 'last'} trace duration in ms ${bound}`;
}

export const inspectionAction: ActionDefinition<InspectionInput, InspectionOutput> = {
  name: 'inspection',
  description:
    'Check PromQL, LogQL and TraceQL queries against thresholds over a recent range; each check passes or fails',
  sideEffect: false,
  input: InspectionInputSchema,
  describe: (input) => {
    const names = input.checks.map((check) => `${check.name} (${describeCheck(check)})`);
    const range = input.range ?? '15m';
    const window =
      input.until === undefined
        ? `the last ${range}`
        : `the ${range} before ${typeof input.until === 'number' ? new Date(input.until).toISOString() : input.until}`;
    return `Inspect ${window}: ${names.join('; ')}`;
  },
  run: async (input, context) => {
    const rangeMs = parseDuration(input.range ?? '15m');
    const to = input.until === undefined ? Date.now() : parseTimeInput(input.until, 'inspection until');
    const range = { from: to - rangeMs, to };
    const step = stepSeconds(input, rangeMs);
    // Refused before any query: a misread check should not leave half an inspection behind.
    for (const check of input.checks) {
      const problem = checkFieldErrors(check);
      if (problem !== undefined) {
        throw new ActionFailed(problem, false);
      }
    }
    const checks: CheckResult[] = [];
    for (const check of input.checks) {
      try {
        checks.push(await runCheck(check, range, step, context));
      } catch (error) {
        if (error instanceof UpstreamError) {
          error.message = `inspection check ${JSON.stringify(check.name)}: ${error.message}`;
        }
        // Our own per-check deadline passed (not the runner's signal): worth another try.
        if (error instanceof DOMException && error.name === 'TimeoutError' && !context.signal.aborted) {
          const seconds = (context.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000;
          throw new ActionFailed(
            `inspection check ${JSON.stringify(check.name)}: ${check.source} did not answer within ${seconds} s`,
            true
          );
        }
        throw error;
      }
    }
    context.logger.info(
      {
        action: 'inspection',
        checks: checks.map((check) => ({ name: check.name, status: check.status, value: check.value })),
      },
      'inspection done'
    );
    return {
      passed: checks.every((check) => check.passed),
      range: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
      checks,
    };
  },
};
