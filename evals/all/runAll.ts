import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyFloors } from './floors.ts';
import type { Floor } from './floors.ts';
import { gitState } from './report.ts';
import type { EvalReport, EvalResult } from './report.ts';
import type { EvalSpec } from './suite.ts';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

export interface RunAllOptions {
  suite: readonly EvalSpec[];
  dataDir: string;
  floorsFile: string;
  floors: readonly Floor[];
  /** Told when each eval starts and ends (the whole run takes a minute or two). */
  progress?: (line: string) => void;
}

/** Runs every eval of the suite in turn (one at a time: they share the machine's cores) and gates the figures. */
export async function runAll({ suite, dataDir, floorsFile, floors, progress = () => {} }: RunAllOptions): Promise<EvalReport> {
  const startedAt = new Date();
  const started = performance.now();
  const results: EvalResult[] = [];
  for (const spec of suite) {
    results.push(await runOne(spec, progress));
  }
  const { evals, failures } = applyFloors(results, floors);
  return {
    ...gitState(REPOSITORY),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    node: process.version,
    dataDir,
    floorsFile,
    evals,
    failures,
  };
}

async function runOne(spec: EvalSpec, progress: (line: string) => void): Promise<EvalResult> {
  const base = { eval: spec.eval, dataset: spec.dataset, data: spec.data };
  if (spec.requires !== null && !existsSync(spec.requires)) {
    progress(`${spec.eval} ${spec.dataset}: skipped, ${spec.requires} does not exist`);
    return { ...base, status: 'skipped', reason: `${spec.requires} does not exist`, durationMs: 0, figures: [], problems: [], details: null };
  }
  progress(`${spec.eval} ${spec.dataset}: running on ${spec.data}`);
  const started = performance.now();
  try {
    const outcome = await spec.run();
    const durationMs = Math.round(performance.now() - started);
    progress(`${spec.eval} ${spec.dataset}: done in ${(durationMs / 1000).toFixed(1)} s`);
    return { ...base, status: 'ran', reason: null, durationMs, figures: outcome.figures, problems: outcome.problems ?? [], details: outcome.details };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    progress(`${spec.eval} ${spec.dataset}: failed: ${reason}`);
    return { ...base, status: 'error', reason, durationMs: Math.round(performance.now() - started), figures: [], problems: [], details: null };
  }
}
