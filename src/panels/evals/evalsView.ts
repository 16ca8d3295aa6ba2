import type { DataFrame } from '@grafana/data';
import { findField, numberAt, stringAt } from '../shared/frameFields';
import {
  evalDataFromFrames,
  type EvalThresholds,
  type EvalTile,
  evalTiles,
  type EvalTrends,
  evalTrendsFromFrames,
  evalVerdict,
  hasThresholdOptions,
  resolveThresholds,
  type Verdict,
} from './evalScores';

/** The name the IntelOps "Evals" query gives its frame of worst runs. */
export const WORST_RUNS_FRAME = 'Worst runs';

/** One of the worst recent runs, as the "Evals" query's table of runs has it. */
export interface WorstRun {
  id: string;
  time?: number;
  kind?: string;
  incident?: string;
  durationMs?: number;
  status?: string;
  error?: string;
  verdict?: string;
  faithfulness?: number;
}

/** Why a run is among the worst: it failed, the judge found it unfaithful, or it was slow. */
export function whyWorst(run: WorstRun, formatMs: (ms: number) => string): string {
  if (run.status === 'error') {
    return run.error ? `failed: ${run.error}` : 'failed';
  }
  if (run.faithfulness !== undefined && run.verdict !== undefined && /unfaithful|partially/.test(run.verdict)) {
    return `judged ${run.verdict} (${Math.round(run.faithfulness * 100)}% of its claims supported)`;
  }
  return run.durationMs === undefined ? 'still running' : `took ${formatMs(run.durationMs)}`;
}

export function worstRunsFromFrames(frames: DataFrame[]): WorstRun[] {
  const frame = frames.find((candidate) => candidate.name === WORST_RUNS_FRAME);
  if (!frame) {
    return [];
  }
  const f = (name: string) => findField(frame, [name]);
  const [id, time, kind, incident, duration, status, error, verdict, faithfulness] = [
    f('id'),
    f('time'),
    f('kind'),
    f('incident'),
    f('duration'),
    f('status'),
    f('error'),
    f('verdict'),
    f('judgeFaithfulness'),
  ];
  const runs: WorstRun[] = [];
  for (let i = 0; i < frame.length; i++) {
    const runId = stringAt(id, i);
    if (runId) {
      runs.push({
        id: runId,
        time: numberAt(time, i),
        kind: stringAt(kind, i),
        incident: stringAt(incident, i),
        durationMs: numberAt(duration, i),
        status: stringAt(status, i),
        error: stringAt(error, i),
        verdict: stringAt(verdict, i),
        faithfulness: numberAt(faithfulness, i),
      });
    }
  }
  return runs;
}

function customOf(frames: DataFrame[], key: string): unknown {
  for (const frame of frames) {
    const custom: unknown = frame.meta?.custom;
    const value: unknown = typeof custom === 'object' && custom !== null ? Reflect.get(custom, key) : undefined;
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/** The engine's verdict that rides with the "Evals" query's scorecard; undefined for other data. */
export function engineVerdict(frames: DataFrame[]): Verdict | undefined {
  const verdict = customOf(frames, 'verdict');
  if (typeof verdict !== 'object' || verdict === null) {
    return undefined;
  }
  const status: unknown = Reflect.get(verdict, 'status');
  const summary: unknown = Reflect.get(verdict, 'summary');
  if (typeof summary !== 'string' || summary.trim() === '') {
    return undefined;
  }
  return {
    status: status === 'stable' ? 'good' : status === 'attention' ? 'bad' : 'unknown',
    sentences: [summary.trim()],
  };
}

/** How many analyses the scores rest on, when the engine said. */
export function evaluatedRuns(frames: DataFrame[]): number | undefined {
  const runs = customOf(frames, 'runs');
  return typeof runs === 'number' && Number.isFinite(runs) ? runs : undefined;
}

export interface EvalsView {
  tiles: EvalTile[];
  trends: EvalTrends;
  verdict: Verdict;
  worst: WorstRun[];
  thresholds: EvalThresholds;
  runs?: number;
}

/**
 * Everything the evals panel and page show, from data frames. The engine's verdict is kept unless panel options
 * change a threshold, since it was made with the engine's own.
 */
export function evalsView(
  frames: DataFrame[],
  options?: Partial<Record<keyof EvalThresholds, number | undefined>>
): EvalsView {
  const { scores, thresholds: fromData } = evalDataFromFrames(frames);
  const thresholds = resolveThresholds(options, fromData);
  const tiles = evalTiles(scores, thresholds);
  const fromEngine = hasThresholdOptions(options) ? undefined : engineVerdict(frames);
  const local = evalVerdict(tiles);
  return {
    tiles,
    trends: evalTrendsFromFrames(frames),
    // With nothing measured the engine's sentence (such as "no analyses in this range") says more than ours.
    verdict: fromEngine ?? local,
    worst: worstRunsFromFrames(frames),
    thresholds,
    runs: evaluatedRuns(frames),
  };
}

/** The verdict's sentences as one text, each ending in a full stop. */
export function verdictText(verdict: Verdict): string {
  return verdict.sentences.map((sentence) => (/[.!?]$/.test(sentence) ? sentence : `${sentence}.`)).join(' ');
}
