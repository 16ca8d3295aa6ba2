import { execFileSync } from 'node:child_process';

/** One headline figure of an eval; floor and pass are filled in from the floors file (null: no floor for it). */
export interface Figure {
  metric: string;
  value: number;
  /** What the figure is about when the metric name alone does not say (e.g. the system with the lowest GA). */
  note?: string;
  floor: number | null;
  pass: boolean | null;
}

export type EvalStatus = 'ran' | 'skipped' | 'error';

export interface EvalResult {
  eval: string;
  dataset: string;
  status: EvalStatus;
  /** The file or folder the eval read, or looked for when skipped. */
  data: string;
  /** Why it was skipped or failed to run. */
  reason: string | null;
  durationMs: number;
  figures: Figure[];
  /** Problems that fail the run whatever the floors say (e.g. alerts the engine lost). */
  problems: string[];
  /** The eval's own report: every figure behind the headline ones (per system, per fault type, per storm, per query). */
  details: unknown;
}

export interface EvalReport {
  /** The commit evaluated (git rev-parse HEAD), null outside a git checkout. */
  commit: string | null;
  /** Uncommitted changes in the work tree when it ran; null when unknown. */
  dirty: boolean | null;
  startedAt: string;
  durationMs: number;
  node: string;
  /** The datasets folder given (or defaulted to); evals whose data is not in it are skipped. */
  dataDir: string;
  floorsFile: string;
  evals: EvalResult[];
  /** Figures below their floors, floors naming no figure, problems and eval errors; empty when the gate passes. */
  failures: string[];
}

/** A figure without its floor yet. */
export function figure(metric: string, value: number, note?: string): Figure {
  return note === undefined ? { metric, value, floor: null, pass: null } : { metric, value, note, floor: null, pass: null };
}

/** The checkout's commit and whether it has changes, from git when it is there. */
export function gitState(cwd: string): { commit: string | null; dirty: boolean | null } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    return { commit, dirty: git('status', '--porcelain', '--untracked-files=no') !== '' };
  } catch {
    // Not a git checkout, or no git: the report says so with nulls rather than guessing.
    return { commit: null, dirty: null };
  }
}
