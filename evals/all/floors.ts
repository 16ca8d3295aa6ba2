import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EvalResult } from './report.ts';

/** The floors recorded in the repository: the regression gate of `npm run eval` and `.ci/run`. */
export const DEFAULT_FLOORS = fileURLToPath(new URL('../floors.json', import.meta.url));

/** The lowest value one figure may take; `measured` records what it was when the floor was set. */
export interface Floor {
  eval: string;
  dataset: string;
  metric: string;
  floor: number;
  measured: number | null;
}

const KEYS = ['eval', 'dataset', 'metric', 'floor', 'measured'];

/** Reads a floors file (`{ floors: [{eval, dataset, metric, floor, measured?}] }`); errors name the file and entry. */
export function loadFloors(file: string): Floor[] {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = isRecord(document) ? document.floors : undefined;
  if (!Array.isArray(list)) {
    throw new Error(`${file}: expected an object with a list "floors"`);
  }
  const seen = new Set<string>();
  return list.map((entry: unknown, index): Floor => {
    const where = `${file}, floors[${index}]`;
    if (!isRecord(entry)) {
      throw new Error(`${where}: each floor is an object with eval, dataset, metric and floor`);
    }
    const unknown = Object.keys(entry).find((key) => !KEYS.includes(key));
    if (unknown !== undefined) {
      throw new Error(`${where}: unknown key "${unknown}"; the keys are ${KEYS.join(', ')}`);
    }
    const text = (key: string): string => {
      const value = entry[key];
      if (typeof value !== 'string' || value === '') {
        throw new Error(`${where}: ${key} must be a non-empty string`);
      }
      return value;
    };
    const fraction = (key: string): number => {
      const value = entry[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
        throw new Error(`${where}: ${key} must be a number between 0 and 1`);
      }
      return value;
    };
    const floor: Floor = {
      eval: text('eval'),
      dataset: text('dataset'),
      metric: text('metric'),
      floor: fraction('floor'),
      measured: entry.measured === undefined ? null : fraction('measured'),
    };
    const key = figureKey(floor);
    if (seen.has(key)) {
      throw new Error(`${where}: a second floor for ${key}`);
    }
    seen.add(key);
    return floor;
  });
}

/** The name of one figure in messages and tables: eval, dataset and metric. */
export function figureKey({ eval: name, dataset, metric }: { eval: string; dataset: string; metric: string }): string {
  return `${name} ${dataset} ${metric}`;
}

// Figures are sums of fractions: a figure equal to its floor must not fail on the last bit.
const TOLERANCE = 1e-9;

/**
 * Puts each floor beside its figure and says what fails: a figure below its floor, a floor naming a figure that an
 * eval which ran did not report (a renamed metric must not leave the gate open), a floor for no eval at all,
 * an eval that could not run, and an eval's own problems. Skipped evals fail nothing.
 */
export function applyFloors(results: readonly EvalResult[], floors: readonly Floor[]): { evals: EvalResult[]; failures: string[] } {
  const failures: string[] = [];
  const used = new Set<Floor>();
  const evals = results.map((result): EvalResult => {
    const mine = floors.filter((floor) => floor.eval === result.eval && floor.dataset === result.dataset);
    mine.forEach((floor) => used.add(floor));
    if (result.status === 'error') {
      failures.push(`${result.eval} ${result.dataset}: could not run: ${result.reason ?? 'unknown error'}`);
      return result;
    }
    if (result.status === 'skipped') {
      return result;
    }
    failures.push(...result.problems);
    const figures = result.figures.map((one) => {
      const floor = mine.find((candidate) => candidate.metric === one.metric);
      if (floor === undefined) {
        return one;
      }
      const pass = one.value >= floor.floor - TOLERANCE;
      if (!pass) {
        const note = one.note === undefined ? '' : ` (${one.note})`;
        failures.push(`${figureKey({ ...result, metric: one.metric })} ${one.value.toFixed(3)}${note} is below its floor ${floor.floor}`);
      }
      return { ...one, floor: floor.floor, pass };
    });
    for (const floor of mine) {
      if (!result.figures.some((one) => one.metric === floor.metric)) {
        failures.push(`${figureKey(floor)}: the floors file names a figure the eval does not report`);
      }
    }
    return { ...result, figures };
  });
  for (const floor of floors) {
    if (!used.has(floor)) {
      failures.push(`${figureKey(floor)}: the floors file names an eval and dataset that npm run eval does not run`);
    }
  }
  return { evals, failures };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
