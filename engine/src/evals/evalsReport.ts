import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import type { EvalThresholds } from '../settings/evalsSettings.ts';
import { runFigures, runFiguresByBucket, worstRuns } from '../store/evals.ts';
import type { RunFigures } from '../store/evals.ts';
import type { Queryable } from '../store/store.ts';
import { evalVerdict, trendBuckets, trendStepMs } from './scorecard.ts';
import type { EvalScores, EvalVerdict } from './scorecard.ts';

export interface EvalsCounts {
  runs: number;
  errors: number;
  judged: number;
  verdicts: number;
  citations: number;
  citationsDropped: number;
  retrievals: number;
}

export interface TrendPoint {
  time: Date;
  runs: number;
  p95LatencyMs: number | null;
  errorRate: number | null;
  retrievalHitRate: number | null;
  hallucinationRate: number | null;
  accuracy: number | null;
}

/** The online evals of a window: the scorecard, its verdict against the thresholds, the trend and the worst runs. */
export interface EvalsReport {
  from: Date;
  to: Date;
  /** Analyses in the window. */
  runs: number;
  scores: EvalScores;
  counts: EvalsCounts;
  thresholds: EvalThresholds;
  verdict: EvalVerdict;
  stepMs: number;
  trend: TrendPoint[];
  worst: AgentRunRecord[];
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The scores from the figures: rates over what each is a rate of, null when that is nothing. */
export function scoresOf(figures: RunFigures): EvalScores {
  return {
    p95LatencyMs: figures.p95LatencyMs,
    errorRate: ratio(figures.errors, figures.runs),
    ttftMs: figures.ttftMs,
    retrievalHitRate: ratio(figures.retrievalHits, figures.retrievals),
    hallucinationRate: ratio(figures.citationsDropped, figures.citations),
    accuracy: ratio(figures.confirmedListed, figures.verdicts),
    faithfulness: figures.faithfulness,
  };
}

export async function evalsReport(
  db: Queryable,
  window: { from: Date; to: Date; thresholds: EvalThresholds }
): Promise<EvalsReport> {
  const { from, to, thresholds } = window;
  const stepMs = trendStepMs(from.getTime(), to.getTime());
  const total = await runFigures(db, from, to);
  const byBucket = await runFiguresByBucket(db, from, to, stepMs);
  const worst = await worstRuns(db, from, to, { faithfulnessBelow: thresholds.faithfulness });
  const scores = scoresOf(total);
  const trend = trendBuckets(from.getTime(), to.getTime(), stepMs).map((start): TrendPoint => {
    const figures = byBucket.get(start);
    const bucket = figures === undefined ? undefined : scoresOf(figures);
    return {
      time: new Date(start),
      runs: figures?.analyses ?? 0,
      p95LatencyMs: bucket?.p95LatencyMs ?? null,
      errorRate: bucket?.errorRate ?? null,
      retrievalHitRate: bucket?.retrievalHitRate ?? null,
      hallucinationRate: bucket?.hallucinationRate ?? null,
      accuracy: bucket?.accuracy ?? null,
    };
  });
  return {
    from,
    to,
    runs: total.analyses,
    scores,
    counts: {
      runs: total.runs,
      errors: total.errors,
      judged: total.judged,
      verdicts: total.verdicts,
      citations: total.citations,
      citationsDropped: total.citationsDropped,
      retrievals: total.retrievals,
    },
    thresholds,
    verdict: evalVerdict(scores, thresholds, total.runs),
    stepMs,
    trend,
    worst,
  };
}
