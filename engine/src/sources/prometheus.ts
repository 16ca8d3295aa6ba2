import { UpstreamError, UpstreamHttp } from './http.ts';
import { isObject, labelsOf, stringsOf } from './json.ts';
import type { UpstreamHttpOptions } from './http.ts';
import type { MetricSeries, MetricsSource, QueryOptions, Sample, TimeRange } from './types.ts';

export interface PrometheusClientOptions extends Omit<UpstreamHttpOptions, 'upstream'> {
  /** More series than this is an error (too_large), never a silent cut (default 500). */
  maxSeries?: number;
}

export interface PrometheusResult {
  series: MetricSeries[];
  /** Prometheus's warnings and infos (e.g. a partial result), verbatim. */
  warnings: string[];
}

export const DEFAULT_MAX_SERIES = 500;

/**
 * Prometheus (or Mimir, Thanos, VictoriaMetrics) over its HTTP API. Queries go as form POSTs, so long PromQL
 * fits. Over `maxSeries` series is an error rather than a truncated answer: the series Prometheus would drop
 * are in label order, not importance, so a cut set would mislead; the message says to aggregate.
 */
export class PrometheusClient implements MetricsSource {
  readonly http: UpstreamHttp;
  readonly maxSeries: number;

  constructor(options: PrometheusClientOptions) {
    this.http = new UpstreamHttp({ ...options, upstream: 'prometheus' });
    this.maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  }

  async queryRange(
    query: string,
    range: TimeRange,
    stepSeconds: number,
    options: QueryOptions = {}
  ): Promise<MetricSeries[]> {
    return (await this.queryRangeWithWarnings(query, range, stepSeconds, options)).series;
  }

  async queryRangeWithWarnings(
    query: string,
    range: TimeRange,
    stepSeconds: number,
    options: QueryOptions = {}
  ): Promise<PrometheusResult> {
    const aligned = alignToStep(range, stepSeconds);
    const body = await this.http.json({
      path: '/api/v1/query_range',
      // `limit` is honoured by Prometheus 3.x only; one over the cap tells us the cap was passed.
      form: { query, start: aligned.from / 1000, end: aligned.to / 1000, step: stepSeconds, limit: this.maxSeries + 1 },
      signal: options.signal,
    });
    return this.#checked(parsePrometheusResponse(body));
  }

  /** An instant query at `time` (ms); vectors and scalars come back as one-sample series. */
  async query(query: string, time: number, options: QueryOptions = {}): Promise<PrometheusResult> {
    const body = await this.http.json({
      path: '/api/v1/query',
      form: { query, time: time / 1000, limit: this.maxSeries + 1 },
      signal: options.signal,
    });
    return this.#checked(parsePrometheusResponse(body));
  }

  #checked(result: PrometheusResult): PrometheusResult {
    if (result.series.length > this.maxSeries) {
      throw this.http.error(
        'too_large',
        200,
        `returned ${result.series.length > this.maxSeries + 1 ? String(result.series.length) : `more than ${this.maxSeries}`} series, over the limit of ${this.maxSeries}; aggregate the query (for example sum by (service) (…)) or narrow its selector`
      );
    }
    return result;
  }
}

/** Start floored and end ceiled to multiples of the step, so repeated queries hit the same evaluation times. */
export function alignToStep(range: TimeRange, stepSeconds: number): TimeRange {
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) {
    throw new RangeError(`step must be a positive number of seconds, got ${stepSeconds}`);
  }
  const stepMs = stepSeconds * 1000;
  return { from: Math.floor(range.from / stepMs) * stepMs, to: Math.ceil(range.to / stepMs) * stepMs };
}

/** Prometheus sample values are strings, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: unknown): number {
  if (typeof text === 'number') {
    return text;
  }
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default:
      return typeof text === 'string' && text.trim() !== '' ? Number(text) : Number.NaN;
  }
}

const badResponse = (what: string) =>
  new UpstreamError('prometheus', 'bad_response', undefined, `Prometheus answered ${what}`);

/** A success envelope `{status:"success", data:{resultType, result}, warnings?, infos?}` → series. */
export function parsePrometheusResponse(body: unknown): PrometheusResult {
  if (!isObject(body) || !isObject(body.data)) {
    throw badResponse('without a data object');
  }
  const warnings = [...stringsOf(body.warnings), ...stringsOf(body.infos)];
  const { resultType, result } = body.data;
  switch (resultType) {
    case 'matrix':
      return { series: parseMatrix(result, warnings), warnings };
    case 'vector':
      return { series: parseVector(result), warnings };
    case 'scalar':
      return { series: [{ labels: {}, samples: [toSample(result)] }], warnings };
    default:
      throw badResponse(`with result type ${JSON.stringify(resultType)}, not a matrix, vector or scalar`);
  }
}

function parseMatrix(result: unknown, warnings: string[]): MetricSeries[] {
  const series: MetricSeries[] = [];
  for (const item of arrayOf(result, 'matrix result')) {
    if (!isObject(item)) {
      throw badResponse('with a matrix entry that is not an object');
    }
    if (!Array.isArray(item.values)) {
      // Native histograms come as `histograms`: there is no single value to score.
      if (Array.isArray(item.histograms)) {
        warnings.push(
          `skipped a native-histogram series ${JSON.stringify(labelsOf(item.metric))}; use histogram_quantile or histogram_count`
        );
        continue;
      }
      throw badResponse('with a matrix series without values');
    }
    series.push({ labels: labelsOf(item.metric), samples: item.values.map((pair) => toSample(pair)) });
  }
  return series;
}

function parseVector(result: unknown): MetricSeries[] {
  return arrayOf(result, 'vector result').flatMap((item) => {
    if (!isObject(item) || item.value === undefined) {
      return [];
    }
    return [{ labels: labelsOf(item.metric), samples: [toSample(item.value)] }];
  });
}

function toSample(pair: unknown): Sample {
  if (!Array.isArray(pair) || typeof pair[0] !== 'number') {
    throw badResponse(`with a sample that is not [time, "value"]: ${JSON.stringify(pair)?.slice(0, 100)}`);
  }
  // Seconds with millisecond decimals; rounding undoes float noise such as 1435781430.781 * 1000.
  return { t: Math.round(pair[0] * 1000), v: parseSampleValue(pair[1]) };
}

function arrayOf(value: unknown, what: string): unknown[] {
  if (value === null || value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw badResponse(`with a ${what} that is not a list`);
  }
  return value;
}
