import { type DataFrame, type Field, FieldType } from '@grafana/data';
import { findField, normaliseName, numberAt, stringAt } from '../shared/frameFields';

export type EvalMetricId =
  'p95LatencyMs' | 'errorRate' | 'ttftMs' | 'retrievalHitRate' | 'hallucinationRate' | 'accuracy' | 'faithfulness';

export type EvalScores = Partial<Record<EvalMetricId, number>>;
export type EvalThresholds = Record<EvalMetricId, number>;

interface MetricSpec {
  id: EvalMetricId;
  title: string;
  unit: 'ms' | 'ratio';
  /** Which side of the threshold is bad. */
  badWhen: 'above' | 'below';
  aliases: string[];
}

export const EVAL_METRICS: MetricSpec[] = [
  {
    id: 'p95LatencyMs',
    title: 'P95 latency',
    unit: 'ms',
    badWhen: 'above',
    aliases: ['p95LatencyMs', 'p95Latency', 'latencyP95', 'p95', 'p95LatencySeconds', 'latencyP95Seconds'],
  },
  { id: 'errorRate', title: 'Error rate', unit: 'ratio', badWhen: 'above', aliases: ['errorRate', 'errors'] },
  {
    id: 'ttftMs',
    title: 'Time to first token',
    unit: 'ms',
    badWhen: 'above',
    aliases: ['ttftMs', 'ttft', 'timeToFirstToken', 'timeToFirstTokenMs', 'ttftSeconds', 'timeToFirstTokenSeconds'],
  },
  {
    id: 'retrievalHitRate',
    title: 'Retrieval hit rate',
    unit: 'ratio',
    badWhen: 'below',
    aliases: ['retrievalHitRate', 'hitRate', 'retrievalHits'],
  },
  {
    id: 'hallucinationRate',
    title: 'Hallucination rate',
    unit: 'ratio',
    badWhen: 'above',
    aliases: ['hallucinationRate', 'hallucinations'],
  },
  { id: 'accuracy', title: 'Accuracy', unit: 'ratio', badWhen: 'below', aliases: ['accuracy', 'acc', 'top3Accuracy'] },
  {
    id: 'faithfulness',
    title: 'Faithfulness',
    unit: 'ratio',
    badWhen: 'below',
    aliases: ['faithfulness'],
  },
];

/**
 * The seed's thresholds for latency (3000 ms), retrieval hit rate (0.7) and hallucination rate (0.1), and the engine's
 * defaults for the others (engine/src/settings/evalsSettings.ts). The engine's own thresholds (its settings) come with
 * the "Evals" query's scores and win over these; panel options win over both.
 */
export const DEFAULT_THRESHOLDS: EvalThresholds = {
  p95LatencyMs: 3000,
  errorRate: 0.05,
  ttftMs: 2000,
  retrievalHitRate: 0.7,
  hallucinationRate: 0.1,
  accuracy: 0.6,
  faithfulness: 0.8,
};

const ALIAS_TO_METRIC = new Map<string, EvalMetricId>(
  EVAL_METRICS.flatMap((spec) => spec.aliases.map((alias) => [normaliseName(alias), spec.id] as const))
);

export function metricIdFor(name: string): EvalMetricId | undefined {
  return ALIAS_TO_METRIC.get(normaliseName(name));
}

// Latencies may come in seconds (Prometheus convention); tiles show milliseconds.
function inSeconds(name: string, field?: Field): boolean {
  return field?.config.unit === 's' || /seconds?$/i.test(name);
}

function toMetricValue(id: EvalMetricId, name: string, value: number, field?: Field): number {
  const spec = EVAL_METRICS.find((s) => s.id === id);
  if (spec?.unit === 'ms' && inSeconds(name, field)) {
    return value * 1000;
  }
  // Rates above 1 can only be percentages.
  if (spec?.unit === 'ratio' && (field?.config.unit === 'percent' || value > 1)) {
    return value / 100;
  }
  return value;
}

function lastNumber(field: Field): number | undefined {
  for (let i = field.values.length - 1; i >= 0; i--) {
    const value = numberAt(field, i);
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

function isLongFrame(frame: DataFrame): boolean {
  return findField(frame, ['metric', 'name', 'key'])?.type === FieldType.string;
}

/**
 * Long frames: a string column naming the metric and a number column with its value, and optionally a `threshold`
 * column (the IntelOps "Evals" query sends the engine's).
 */
function readLong(frame: DataFrame, scores: EvalScores, thresholds: Partial<EvalThresholds>) {
  const names = findField(frame, ['metric', 'name', 'key']);
  const values =
    findField(frame, ['value', 'score']) ??
    frame.fields.find((f) => f.type === FieldType.number && normaliseName(f.name) !== 'threshold');
  const limits = findField(frame, ['threshold']);
  for (let i = 0; i < frame.length; i++) {
    const name = stringAt(names, i);
    const id = name ? metricIdFor(name) : undefined;
    if (!name || !id) {
      continue;
    }
    const value = numberAt(values, i);
    if (value !== undefined && values) {
      scores[id] = toMetricValue(id, name, value, values);
    }
    const limit = numberAt(limits, i);
    if (limit !== undefined && limits) {
      thresholds[id] = toMetricValue(id, name, limit, limits);
    }
  }
}

/** The metric a number field of a wide frame or time series stands for, by its names or its frame's. */
function wideMetric(frame: DataFrame, field: Field): { id: EvalMetricId; name: string } | undefined {
  if (field.type !== FieldType.number) {
    return undefined;
  }
  const candidates = [
    field.config.displayNameFromDS,
    field.config.displayName,
    field.name,
    field.labels?.__name__,
    field.labels?.metric,
    frame.name,
  ].filter((name): name is string => Boolean(name));
  const name = candidates.find((candidate) => metricIdFor(candidate));
  const id = name ? metricIdFor(name) : undefined;
  return name && id ? { id, name } : undefined;
}

/** Wide frames and time series: each number field named for a metric; the latest value counts. */
function readWide(frame: DataFrame, scores: EvalScores) {
  for (const field of frame.fields) {
    const metric = wideMetric(frame, field);
    const value = lastNumber(field);
    if (metric && value !== undefined) {
      scores[metric.id] = toMetricValue(metric.id, metric.name, value, field);
    }
  }
}

/**
 * The scores in the frames, and the thresholds that came with them. When a scorecard (long) frame is present, it
 * alone gives the scores: wide frames beside it are its trend, whose last bucket is not the score of the range.
 */
export function evalDataFromFrames(frames: DataFrame[]): { scores: EvalScores; thresholds: Partial<EvalThresholds> } {
  const scores: EvalScores = {};
  const thresholds: Partial<EvalThresholds> = {};
  const long = frames.filter(isLongFrame);
  if (long.length > 0) {
    long.forEach((frame) => readLong(frame, scores, thresholds));
  } else {
    frames.forEach((frame) => readWide(frame, scores));
  }
  return { scores, thresholds };
}

export function evalScoresFromFrames(frames: DataFrame[]): EvalScores {
  return evalDataFromFrames(frames).scores;
}

export interface TrendPoint {
  time: number;
  value: number;
}

export type EvalTrends = Partial<Record<EvalMetricId, TrendPoint[]>>;

/** Each metric's values over time, from wide frames and time series with a time field, oldest first. */
export function evalTrendsFromFrames(frames: DataFrame[]): EvalTrends {
  const trends: EvalTrends = {};
  for (const frame of frames) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    if (!time || isLongFrame(frame)) {
      continue;
    }
    for (const field of frame.fields) {
      const metric = wideMetric(frame, field);
      if (!metric) {
        continue;
      }
      const points: TrendPoint[] = [];
      for (let i = 0; i < frame.length; i++) {
        const at = numberAt(time, i);
        const value = numberAt(field, i);
        if (at !== undefined && value !== undefined) {
          points.push({ time: at, value: toMetricValue(metric.id, metric.name, value, field) });
        }
      }
      if (points.length > 0) {
        trends[metric.id] = points.sort((a, b) => a.time - b.time);
      }
    }
  }
  return trends;
}

export type TileStatus = 'good' | 'bad' | 'unknown';

export interface EvalTile {
  id: EvalMetricId;
  title: string;
  value?: number;
  display: string;
  status: TileStatus;
  /** "bad above 3000 ms" */
  rule: string;
}

export function formatMetric(unit: MetricSpec['unit'], value: number): string {
  if (unit === 'ms') {
    return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  }
  const percent = value * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export function isBad(spec: MetricSpec, value: number, threshold: number): boolean {
  return spec.badWhen === 'above' ? value > threshold : value < threshold;
}

export function evalTiles(scores: EvalScores, thresholds: EvalThresholds): EvalTile[] {
  return EVAL_METRICS.map((spec) => {
    const value = scores[spec.id];
    const threshold = thresholds[spec.id];
    return {
      id: spec.id,
      title: spec.title,
      value,
      display: value === undefined ? 'no data' : formatMetric(spec.unit, value),
      status: value === undefined ? 'unknown' : isBad(spec, value, threshold) ? 'bad' : 'good',
      rule: `bad ${spec.badWhen} ${formatMetric(spec.unit, threshold)}`,
    };
  });
}

// The seed's advice for each failing signal.
const ADVICE: Array<{ id: EvalMetricId; sentence: string }> = [
  { id: 'p95LatencyMs', sentence: 'Optimise the retrieval path' },
  { id: 'retrievalHitRate', sentence: 'Add indexes or improve tagging' },
  { id: 'hallucinationRate', sentence: 'Tighten prompts and output constraints' },
];

export interface Verdict {
  /** good: all measured tiles pass; bad: at least one fails; unknown: nothing measured. */
  status: TileStatus;
  sentences: string[];
}

export function evalVerdict(tiles: EvalTile[]): Verdict {
  const measured = tiles.filter((tile) => tile.status !== 'unknown');
  if (measured.length === 0) {
    return { status: 'unknown', sentences: ['No eval results yet'] };
  }
  const bad = new Set(tiles.filter((tile) => tile.status === 'bad').map((tile) => tile.id));
  if (bad.size === 0) {
    return { status: 'good', sentences: ['Stable'] };
  }
  const advice = ADVICE.filter(({ id }) => bad.has(id)).map(({ sentence }) => sentence);
  // Failing signals the seed gives no advice for are named, not hidden behind "Stable".
  const others = tiles
    .filter((tile) => tile.status === 'bad' && !ADVICE.some(({ id }) => id === tile.id))
    .map((tile) => `Check ${tile.title.toLowerCase()} (${tile.display}, ${tile.rule})`);
  return { status: 'bad', sentences: [...advice, ...others] };
}

type ThresholdSource = Partial<Record<EvalMetricId, number | undefined>> | undefined;

/**
 * Each metric's threshold: the first source that sets it (panel options, then the engine's thresholds in the data),
 * else the default. A cleared option input is no threshold.
 */
export function resolveThresholds(...sources: ThresholdSource[]): EvalThresholds {
  const resolved = { ...DEFAULT_THRESHOLDS };
  for (const spec of EVAL_METRICS) {
    for (const source of sources) {
      const value = source?.[spec.id];
      if (typeof value === 'number' && Number.isFinite(value)) {
        resolved[spec.id] = value;
        break;
      }
    }
  }
  return resolved;
}

/** True when any threshold option is set, so the engine's verdict (made with its own thresholds) may not hold. */
export function hasThresholdOptions(options: ThresholdSource): boolean {
  return EVAL_METRICS.some((spec) => {
    const value = options?.[spec.id];
    return typeof value === 'number' && Number.isFinite(value);
  });
}
