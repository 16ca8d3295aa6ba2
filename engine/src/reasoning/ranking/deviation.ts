import { MAD_TO_SIGMA, quantileSorted } from '../../perception/metrics/robust.ts';
import type { BadDirection } from './indicators.ts';

/** How far one metric's anomalous window left its baseline, in robust standard deviations. */
export interface Deviation {
  /** The largest deviation held for SUSTAIN consecutive points, in the bad direction (0 when none). */
  score: number;
  direction: 'up' | 'down';
  /** Index into the anomalous window of the first sustained deviation beyond ONSET_SIGMAS; undefined if none. */
  onset: number | undefined;
  baselineMedian: number;
  scale: number;
}

// Mean absolute deviation of a normal distribution in standard deviations (sqrt(pi/2)).
const MEAN_ABS_TO_SIGMA = Math.sqrt(Math.PI / 2);
// A gauge never counts a change below 1% of its level as more than one sigma: flat series must not explode.
export const RELATIVE_FLOOR = 0.01;
// A point must be held this many steps to count: one-sample spikes are scrape noise, not a fault.
const SUSTAIN = 2;
// The onset is where the deviation first clears the usual 3-sigma band.
const ONSET_SIGMAS = 3;
// Fewer baseline points than this give no spread at all.
const MIN_BASELINE = 2;
// Deviations count up to this many sigmas: a baseline with no spread and no level (an error ratio that was exactly 0)
// has no scale, and a rise from it would be infinitely far, which no ranking or softmax can compare.
export const MAX_SIGMAS = 1000;

/** Values that are numbers; NaN, infinities and sentinels outside the metric's domain are gaps. */
export function finiteValues(values: readonly number[]): number[] {
  const result: number[] = [];
  for (const value of values) {
    if (Number.isFinite(value)) {
      result.push(value);
    }
  }
  return result;
}

/**
 * BARO's robust scorer (deviation from the baseline median over a robust spread, here the MAD), with floors so that
 * near-constant or quantised baselines do not turn small wobbles into huge scores: a zero MAD falls back to the mean
 * absolute deviation (which keeps the rare spikes a quantised baseline already showed), and the scale is never
 * below 1% of the level nor below minScale (for a series near zero whose meaningful level is another's, e.g. the
 * part of a latency that one side did not see). Undefined when the baseline or the anomalous window has too few numbers.
 */
export function deviation(
  baseline: readonly number[],
  anomalous: readonly number[],
  bad: BadDirection,
  minScale = 0
): Deviation | undefined {
  const base = finiteValues(baseline).sort((a, b) => a - b);
  if (base.length < MIN_BASELINE) {
    return undefined;
  }
  const median = quantileSorted(base, 0.5);
  const absolute = base.map((value) => Math.abs(value - median)).sort((a, b) => a - b);
  const mad = quantileSorted(absolute, 0.5);
  let meanAbs = 0;
  for (const value of absolute) {
    meanAbs += value;
  }
  meanAbs /= absolute.length;
  // The MAD tolerates a baseline half spoiled by an earlier incident (the IQR only a quarter); a flat middle (a
  // quantised or mostly constant baseline, MAD 0) takes its spread from the rare values it did show.
  const spread = mad > 0 ? mad * MAD_TO_SIGMA : meanAbs * MEAN_ABS_TO_SIGMA;
  const scale = Math.max(spread, RELATIVE_FLOOR * Math.abs(median), minScale, Number.MIN_VALUE);

  const z: number[] = [];
  for (const value of anomalous) {
    z.push(Number.isFinite(value) ? Math.max(-MAX_SIGMAS, Math.min(MAX_SIGMAS, (value - median) / scale)) : Number.NaN);
  }
  const up = bad === 'down' ? undefined : sustained(z, 1);
  const down = bad === 'up' ? undefined : sustained(z, -1);
  if (up === undefined && down === undefined) {
    return undefined;
  }
  const pick = down === undefined || (up !== undefined && up.score >= down.score) ? up : down;
  if (pick === undefined) {
    return undefined;
  }
  return {
    score: pick.score,
    direction: pick === up ? 'up' : 'down',
    onset: pick.onset,
    baselineMedian: median,
    scale,
  };
}

/** The largest level held for SUSTAIN consecutive numeric points in one direction, and where it first cleared ONSET_SIGMAS. */
function sustained(z: readonly number[], sign: 1 | -1): { score: number; onset: number | undefined } | undefined {
  const held: Array<[number, number]> = [];
  const numeric = z.filter((value) => !Number.isNaN(value)).length;
  if (numeric === 0) {
    return undefined;
  }
  // A window shorter than SUSTAIN numeric points is judged by what it has.
  const need = Math.min(SUSTAIN, numeric);
  for (let i = 0; i < z.length; i++) {
    if (Number.isNaN(z[i] ?? Number.NaN)) {
      continue;
    }
    let level = Number.POSITIVE_INFINITY;
    let count = 0;
    for (let j = i; j < z.length && count < need; j++) {
      const value = z[j] ?? Number.NaN;
      if (Number.isNaN(value)) {
        continue; // gaps neither break nor make a run
      }
      level = Math.min(level, sign * value);
      count++;
    }
    if (count === need) {
      held.push([i, level]);
    }
  }
  let score = 0;
  let onset: number | undefined;
  for (const [index, level] of held) {
    score = Math.max(score, level);
    if (onset === undefined && level >= ONSET_SIGMAS) {
      onset = index;
    }
  }
  return { score, onset };
}
