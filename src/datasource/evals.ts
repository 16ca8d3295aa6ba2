import { type AgentRunSummary, parseAgentRunSummary } from './agentRuns';
import type { EngineReader } from './incidents';
import { finiteOr, invalidBody, isRecord, numberOrNull, stringOr } from './jsonBody';

export const EVALS_PATH = '/api/v1/evals';

/** The scores GET /api/v1/evals measures over analyze runs, in the engine's names; null when not measured. */
export const EVAL_SCORE_KEYS = [
  'p95LatencyMs',
  'errorRate',
  'ttftMs',
  'retrievalHitRate',
  'hallucinationRate',
  'accuracy',
  'faithfulness',
] as const;
export type EvalScoreKey = (typeof EVAL_SCORE_KEYS)[number];

export type EvalScoreValues = Record<EvalScoreKey, number | null>;

/** The scores a trend bucket carries (TTFT and faithfulness are not trended). */
export const EVAL_TREND_KEYS = [
  'p95LatencyMs',
  'errorRate',
  'retrievalHitRate',
  'hallucinationRate',
  'accuracy',
] as const;
export type EvalTrendKey = (typeof EVAL_TREND_KEYS)[number];

export interface EvalTrendPoint extends Record<EvalTrendKey, number | null> {
  /** Epoch milliseconds of the bucket's start. */
  time: number;
  runs: number;
}

export interface EvalFinding {
  metric: string;
  value: number;
  threshold: number;
  advice: string;
}

export interface EvalVerdict {
  status: 'stable' | 'attention' | 'no_data';
  findings: EvalFinding[];
  /** The verdict in plain words, as the engine says it. */
  summary: string;
}

export interface EvalCounts {
  runs: number;
  errors: number;
  judged: number;
  verdicts: number;
  citations: number;
  citationsDropped: number;
  retrievals: number;
}

/** GET /api/v1/evals?from&to */
export interface EvalsReport {
  from: string;
  to: string;
  runs: number;
  scores: EvalScoreValues;
  counts: EvalCounts;
  /** Thresholds from the engine's settings (`evals.thresholds`); a score is bad beyond its threshold. */
  thresholds: Partial<Record<EvalScoreKey, number>>;
  verdict: EvalVerdict;
  trend: EvalTrendPoint[];
  /** Up to 10: errors, the slowest and the unfaithful. */
  worst: AgentRunSummary[];
}

function scoreValues(value: unknown): EvalScoreValues {
  const record = isRecord(value) ? value : {};
  const score = (key: EvalScoreKey) => numberOrNull(record[key]);
  return {
    p95LatencyMs: score('p95LatencyMs'),
    errorRate: score('errorRate'),
    ttftMs: score('ttftMs'),
    retrievalHitRate: score('retrievalHitRate'),
    hallucinationRate: score('hallucinationRate'),
    accuracy: score('accuracy'),
    faithfulness: score('faithfulness'),
  };
}

function thresholdValues(value: unknown): Partial<Record<EvalScoreKey, number>> {
  const record = isRecord(value) ? value : {};
  return Object.fromEntries(
    EVAL_SCORE_KEYS.flatMap((key) => {
      const threshold = numberOrNull(record[key]);
      return threshold === null ? [] : [[key, threshold]];
    })
  );
}

function parseCounts(value: unknown): EvalCounts {
  const record = isRecord(value) ? value : {};
  const count = (key: keyof EvalCounts) => finiteOr(record[key], 0);
  return {
    runs: count('runs'),
    errors: count('errors'),
    judged: count('judged'),
    verdicts: count('verdicts'),
    citations: count('citations'),
    citationsDropped: count('citationsDropped'),
    retrievals: count('retrievals'),
  };
}

function parseVerdict(value: unknown): EvalVerdict {
  if (!isRecord(value)) {
    return { status: 'no_data', findings: [], summary: '' };
  }
  const status = value.status === 'stable' || value.status === 'attention' ? value.status : 'no_data';
  const findings = Array.isArray(value.findings)
    ? value.findings.flatMap((finding): EvalFinding[] =>
        isRecord(finding) && typeof finding.metric === 'string'
          ? [
              {
                metric: finding.metric,
                value: finiteOr(finding.value, 0),
                threshold: finiteOr(finding.threshold, 0),
                advice: stringOr(finding.advice, ''),
              },
            ]
          : []
      )
    : [];
  return { status, findings, summary: stringOr(value.summary, '') };
}

function parseTrendPoint(value: unknown): EvalTrendPoint[] {
  if (!isRecord(value) || typeof value.time !== 'string' || Number.isNaN(Date.parse(value.time))) {
    return [];
  }
  const point: EvalTrendPoint = {
    time: Date.parse(value.time),
    runs: finiteOr(value.runs, 0),
    p95LatencyMs: null,
    errorRate: null,
    retrievalHitRate: null,
    hallucinationRate: null,
    accuracy: null,
  };
  for (const key of EVAL_TREND_KEYS) {
    point[key] = numberOrNull(value[key]);
  }
  return [point];
}

/** Checks GET /api/v1/evals: scores and a verdict are required; trend and worst runs default to none. */
export function parseEvalsReport(body: unknown): EvalsReport {
  if (!isRecord(body) || !isRecord(body.scores)) {
    throw invalidBody(EVALS_PATH, 'the body has no scores');
  }
  if (!isRecord(body.verdict)) {
    throw invalidBody(EVALS_PATH, 'the body has no verdict');
  }
  return {
    from: stringOr(body.from, ''),
    to: stringOr(body.to, ''),
    runs: finiteOr(body.runs, 0),
    scores: scoreValues(body.scores),
    counts: parseCounts(body.counts),
    thresholds: thresholdValues(body.thresholds),
    verdict: parseVerdict(body.verdict),
    trend: Array.isArray(body.trend) ? body.trend.flatMap(parseTrendPoint).sort((a, b) => a.time - b.time) : [],
    worst: Array.isArray(body.worst)
      ? body.worst.map((run, index) => parseAgentRunSummary(run, EVALS_PATH, `worst run ${index + 1}`))
      : [],
  };
}

/** GET /api/v1/evals over [from, to] (epoch milliseconds, sent as RFC 3339). */
export async function fetchEvals(client: EngineReader, range: { from: number; to: number }): Promise<EvalsReport> {
  const params = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  return parseEvalsReport(await client.get(EVALS_PATH, params));
}
