import type { RecordedSeries } from '../../engine/src/local/prometheus.ts';
import { BadParameter, startApiServer, timeParam } from './apiServer.ts';
import type { ApiReply, ApiRequest, ApiServer } from './apiServer.ts';
import { PromQLError, SeriesStore, queryInstant, queryRange } from './promql.ts';

/**
 * Prometheus' query API over recorded series, for machines without Prometheus: /api/v1/query, query_range, series,
 * labels and label values, answered in Prometheus' JSON with its error shapes (bad_data, 400).
 */
export function startMetricsApi(series: readonly RecordedSeries[], now: () => number = Date.now): Promise<ApiServer> {
  const store = new SeriesStore(series);
  return startApiServer('metrics', (request) => {
    try {
      return answer(store, request, now());
    } catch (error) {
      if (error instanceof PromQLError || error instanceof BadParameter) {
        return { status: 400, body: { status: 'error', errorType: 'bad_data', error: error.message } };
      }
      throw error;
    }
  });
}

function answer(store: SeriesStore, { path, params }: ApiRequest, now: number): ApiReply {
  const success = (data: unknown): ApiReply => ({ body: { status: 'success', data } });
  const range = () => ({ from: timeParam(params, 'start', 0), to: timeParam(params, 'end', now) });
  switch (path) {
    case '/-/ready':
    case '/-/healthy':
      return { body: 'Prometheus (served from a recording) is Ready.\n' };
    case '/api/v1/status/buildinfo':
      return success({ version: '2.53.0', revision: 'recording', branch: 'demo', buildUser: 'intelops', buildDate: '', goVersion: '' });
    case '/api/v1/query': {
      const time = timeParam(params, 'time', now);
      const value = queryInstant(store, required(params, 'query'), time);
      return value.kind === 'scalar'
        ? success({ resultType: 'scalar', result: [time / 1000, format(value.value)] })
        : success({ resultType: 'vector', result: value.items.map((item) => ({ metric: item.labels, value: [time / 1000, format(item.value)] })) });
    }
    case '/api/v1/query_range': {
      const step = stepMs(required(params, 'step'));
      const start = timeParam(params, 'start', now);
      const end = timeParam(params, 'end', now);
      if (end < start) {
        throw new BadParameter('invalid parameter "end": end timestamp must not be before start time');
      }
      return success({
        resultType: 'matrix',
        result: queryRange(store, required(params, 'query'), start, end, step).map((one) => ({
          metric: one.labels,
          values: one.samples.map(([t, v]) => [t / 1000, format(v)]),
        })),
      });
    }
    case '/api/v1/series': {
      const { from, to } = range();
      return success(store.series(params.getAll('match[]'), from, to));
    }
    case '/api/v1/labels': {
      const { from, to } = range();
      const names = new Set<string>();
      for (const labels of selected(store, params, from, to)) {
        Object.keys(labels).forEach((name) => names.add(name));
      }
      return success([...names].sort());
    }
    default: {
      const label = /^\/api\/v1\/label\/([^/]+)\/values$/.exec(path)?.[1];
      if (label !== undefined) {
        const { from, to } = range();
        const name = decodeURIComponent(label);
        const values = new Set(selected(store, params, from, to).flatMap((labels) => (labels[name] === undefined ? [] : [labels[name]])));
        return success([...values].sort());
      }
      return { status: 404, body: `${path}: not served from a recording` };
    }
  }
}

/** The series of `match[]`, or all with a sample in the range. */
function selected(store: SeriesStore, params: URLSearchParams, from: number, to: number): Array<Record<string, string>> {
  const match = params.getAll('match[]');
  return match.length > 0 ? store.series(match, from, to) : store.all.filter((one) => one.times.some((t) => t >= from && t <= to)).map((one) => one.labels);
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') {
    throw new BadParameter(`invalid parameter ${JSON.stringify(name)}: parameter is missing`);
  }
  return value;
}

/** A step in seconds ("15", "15.5") or as a duration ("15s", "1m"). */
function stepMs(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Number(text) * 1000;
  }
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (match === null) {
    throw new BadParameter(`invalid parameter "step": cannot parse ${JSON.stringify(text)} to a valid duration`);
  }
  return Number(match[1]) * (units[match[2] ?? 's'] ?? 1000);
}

/** Sample values as Prometheus writes them. */
function format(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  return String(value);
}
