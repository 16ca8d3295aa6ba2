import type { EvalThresholds } from './evalScores';

export interface EvalsOptions {
  thresholds?: Partial<EvalThresholds>;
}
