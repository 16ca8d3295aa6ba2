import type { TimeRange } from '@grafana/data';
import type { EngineClient } from './engineClient';
import { finiteOr, invalidBody, isRecord, numberOrNull, stringOr, stringRecord } from './jsonBody';
import { durationMs } from './queryValidation';

export const ANOMALIES_PATH = '/api/v1/query/anomalies';

export type AnomalyDirection = 'up' | 'down' | 'none';

/** One series scored against its own baseline, as POST /api/v1/query/anomalies returns it. */
export interface AnomalySeries {
  name: string;
  labels: Record<string, string>;
  /** Epoch ms; values, lower and upper have one entry per timestamp (null for a gap). */
  timestamps: number[];
  values: Array<number | null>;
  lower: Array<number | null>;
  upper: Array<number | null>;
  /** Anomaly score in [0, 1]. */
  score: number;
  direction: AnomalyDirection;
  /** When the series first left its band; null when it never did. */
  onset: string | null;
  anomalous: boolean;
}

export interface AnomaliesResult {
  /** Seconds between points. */
  step: number;
  series: AnomalySeries[];
}

export interface AnomaliesRequest {
  query: string;
  from: string;
  to: string;
  step?: number;
  baselineFrom?: string;
}

export interface AnomaliesQuery {
  expr: string;
  /** Resolution as a Grafana duration (30s, 1m); the engine's choice when empty. */
  step?: string;
  baseline?: string;
}

export function anomaliesRequest(query: AnomaliesQuery, range: Pick<TimeRange, 'from' | 'to'>): AnomaliesRequest {
  const from = range.from.valueOf();
  const step = durationMs(query.step);
  const baseline = durationMs(query.baseline);
  return {
    query: query.expr.trim(),
    from: new Date(from).toISOString(),
    to: new Date(range.to.valueOf()).toISOString(),
    ...(typeof step === 'number' ? { step: Math.max(1, Math.round(step / 1000)) } : {}),
    ...(typeof baseline === 'number' ? { baselineFrom: new Date(from - baseline).toISOString() } : {}),
  };
}

function isDirection(value: unknown): value is AnomalyDirection {
  return value === 'up' || value === 'down' || value === 'none';
}

// Each column is cut or padded to the timestamps' length, so the frame's fields always line up.
function column(value: unknown, length: number): Array<number | null> {
  const items: unknown[] = Array.isArray(value) ? value : [];
  return Array.from({ length }, (_, index) => numberOrNull(items[index]));
}

function parseSeries(value: unknown, index: number): AnomalySeries {
  if (!isRecord(value) || !Array.isArray(value.timestamps)) {
    throw invalidBody(ANOMALIES_PATH, `series ${index + 1} has no timestamps`);
  }
  const timestamps = value.timestamps.map((at) => finiteOr(at, Number.NaN));
  if (timestamps.some(Number.isNaN)) {
    throw invalidBody(ANOMALIES_PATH, `series ${index + 1} has a timestamp that is not a number`);
  }
  const labels = stringRecord(value.labels);
  return {
    name: stringOr(value.name, '') || labelsText(labels) || `series ${index + 1}`,
    labels,
    timestamps,
    values: column(value.values, timestamps.length),
    lower: column(value.lower, timestamps.length),
    upper: column(value.upper, timestamps.length),
    score: finiteOr(value.score, 0),
    direction: isDirection(value.direction) ? value.direction : 'none',
    onset: typeof value.onset === 'string' && !Number.isNaN(Date.parse(value.onset)) ? value.onset : null,
    anomalous: value.anomalous === true,
  };
}

/** {a="1", b="2"} as Prometheus prints a series. */
export function labelsText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return pairs.length > 0 ? `{${pairs.join(', ')}}` : '';
}

export function parseAnomalies(body: unknown): AnomaliesResult {
  if (!isRecord(body) || !Array.isArray(body.series)) {
    throw invalidBody(ANOMALIES_PATH, 'the body has no series list');
  }
  return { step: finiteOr(body.step, 0), series: body.series.map(parseSeries) };
}

export async function fetchAnomalies(
  client: Pick<EngineClient, 'post'>,
  request: AnomaliesRequest
): Promise<AnomaliesResult> {
  return parseAnomalies(await client.post(ANOMALIES_PATH, request));
}
