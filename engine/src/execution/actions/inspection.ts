import { Type } from 'typebox';
import type { Static } from 'typebox';
import { UpstreamError } from '../../sources/http.ts';
import { parseTimeInput } from '../../timeInput.ts';
import { parsePrometheusResponse } from '../../sources/prometheus.ts';
import type { MetricSeries, TimeRange } from '../../sources/types.ts';
import type { ActionContext, ActionDefinition } from '../types.ts';
import { ActionFailed } from './outbound.ts';

/**
 * Checks over Prometheus and Loki with thresholds: each query's series are reduced to one value over the range and
 * compared with the threshold a healthy value meets. Reading changes nothing, so dry runs read too.
 */

export const THRESHOLD_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];
export const REDUCERS = ['last', 'max', 'min', 'avg'] as const;
export type Reducer = (typeof REDUCERS)[number];

const DURATION = '^[1-9][0-9]{0,5}(s|m|h|d)$';
/** Enough log lines to count; more means a metric query (count_over_time) is the better check. */
const MAX_LOG_LINES = 5000;
const MAX_SERIES_SHOWN = 10;
const DEFAULT_TIMEOUT_MS = 30_000;

export const InspectionCheckSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    source: Type.Union([Type.Literal('prometheus'), Type.Literal('loki')]),
    query: Type.String({
      minLength: 1,
      maxLength: 8192,
      description: 'PromQL, or LogQL: a metric query, or a log query whose matching lines are counted',
    }),
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
        description: 'How the samples of a series become one value (default last)',
      })
    ),
    onNoData: Type.Optional(
      Type.Union([Type.Literal('pass'), Type.Literal('fail')], {
        description: 'When the query returns no series (default fail)',
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
  source: 'prometheus' | 'loki';
  query: string;
  status: 'pass' | 'fail' | 'no_data';
  passed: boolean;
  /** The value that decided: a failing series', else the one nearest to failing; null without data. */
  value: number | null;
  threshold: { op: ThresholdOp; value: number };
  reduce: Reducer;
  seriesCount: number;
  /** Up to 10 series with their values, failing ones first. */
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

export const inspectionAction: ActionDefinition<InspectionInput, InspectionOutput> = {
  name: 'inspection',
  description: 'Check PromQL and LogQL queries against thresholds over a recent range; each check passes or fails',
  sideEffect: false,
  input: InspectionInputSchema,
  describe: (input) => {
    const names = input.checks.map(
      (check) =>
        `${check.name} (${check.source}, ${check.reduce ?? 'last'} ${check.threshold.op} ${check.threshold.value})`
    );
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
