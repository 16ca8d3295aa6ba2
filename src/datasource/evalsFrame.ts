import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';
import { agentRunsFrame } from './agentRunsFrame';
import { EVAL_SCORE_KEYS, EVAL_TREND_KEYS, type EvalScoreKey, type EvalsReport } from './evals';

/** Names of the frames the "Evals" query returns; the evals panel tells them apart by these. */
export const EVAL_FRAME_NAMES = { scores: 'Eval scores', trend: 'Eval trend', worst: 'Worst runs' } as const;

const UNITS: Record<EvalScoreKey, string> = {
  p95LatencyMs: 'ms',
  errorRate: 'percentunit',
  ttftMs: 'ms',
  retrievalHitRate: 'percentunit',
  hallucinationRate: 'percentunit',
  accuracy: 'percentunit',
  faithfulness: 'percentunit',
};

/** The scorecard: one row per score with the engine's threshold; the verdict and counts ride in the frame's meta. */
export function evalScoresFrame(report: EvalsReport, refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: EVAL_FRAME_NAMES.scores,
    meta: {
      preferredVisualisationType: 'table',
      custom: { verdict: report.verdict, counts: report.counts, runs: report.runs, from: report.from, to: report.to },
    },
    fields: [
      { name: 'metric', type: FieldType.string, values: [...EVAL_SCORE_KEYS] },
      { name: 'value', type: FieldType.number, values: EVAL_SCORE_KEYS.map((key) => report.scores[key]) },
      {
        name: 'threshold',
        type: FieldType.number,
        values: EVAL_SCORE_KEYS.map((key) => report.thresholds[key] ?? null),
      },
    ],
  });
}

/** The scores over time, one row per bucket, for sparklines or a time series panel. */
export function evalTrendFrame(report: EvalsReport, refId: string): DataFrame {
  return createDataFrame({
    refId,
    name: EVAL_FRAME_NAMES.trend,
    meta: { preferredVisualisationType: 'graph' },
    fields: [
      { name: 'time', type: FieldType.time, values: report.trend.map((point) => point.time) },
      {
        name: 'runs',
        type: FieldType.number,
        values: report.trend.map((point) => point.runs),
        config: { decimals: 0 },
      },
      ...EVAL_TREND_KEYS.map((key) => ({
        name: key,
        type: FieldType.number,
        values: report.trend.map((point) => point[key]),
        config: { unit: UNITS[key] },
      })),
    ],
  });
}

/** Evals: the scorecard, its trend and the worst recent runs, for the IntelOps evals panel. */
export function evalsFrames(report: EvalsReport, refId: string, tempoUid?: string): DataFrame[] {
  return [
    evalScoresFrame(report, refId),
    evalTrendFrame(report, refId),
    agentRunsFrame(report.worst, refId, tempoUid, EVAL_FRAME_NAMES.worst),
  ];
}
