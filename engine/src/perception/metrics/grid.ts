import type { Sample, TimeRange } from '../../sources/types.ts';

// Exporters write ±MaxFloat64 or 1e308-style values for "no data"; no real measurement is that large.
const SENTINEL_MAGNITUDE = 1e300;

/** A value that is a measurement: finite and not a "no data" sentinel. */
export function isMeasurement(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) < SENTINEL_MAGNITUDE;
}

export interface GridSeries {
  timestamps: number[];
  /** null where the series has no usable sample. */
  values: Array<number | null>;
}

/** Step-aligned instants in [from, to): the same instants Prometheus evaluates an aligned query_range at. */
export function gridTimestamps(range: TimeRange, stepMs: number): number[] {
  const timestamps: number[] = [];
  for (let t = Math.ceil(range.from / stepMs) * stepMs; t < range.to; t += stepMs) {
    timestamps.push(t);
  }
  return timestamps;
}

/**
 * Places samples on the step grid of a range, each on the nearest instant within half a step; gaps, NaN and
 * sentinels become null, or `fillMissing` when given (a missing error-rate series means no errors).
 */
export function toGrid(samples: readonly Sample[], range: TimeRange, stepMs: number, fillMissing?: number): GridSeries {
  const timestamps = gridTimestamps(range, stepMs);
  const values: Array<number | null> = timestamps.map(() => fillMissing ?? null);
  const first = timestamps[0];
  if (first === undefined) {
    return { timestamps, values };
  }
  for (const { t, v } of samples) {
    const index = Math.round((t - first) / stepMs);
    if (index >= 0 && index < values.length && isMeasurement(v)) {
      values[index] = v;
    }
  }
  return { timestamps, values };
}

/** The non-null values. */
export function present(values: ReadonlyArray<number | null>): number[] {
  return values.filter((value): value is number => value !== null);
}

/** Fills nulls by linear interpolation between neighbours, holding the edge values; undefined when all are null. */
export function interpolateGaps(values: ReadonlyArray<number | null>): number[] | undefined {
  const filled: number[] = new Array<number>(values.length);
  let previous = -1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? null;
    if (value === null) {
      continue;
    }
    const before = previous < 0 ? value : (values[previous] ?? value);
    // Points between the previous known value and this one lie on the line joining them (or hold this one at the start).
    for (let gap = previous + 1; gap < i; gap++) {
      filled[gap] = previous < 0 ? value : before + ((value - before) * (gap - previous)) / (i - previous);
    }
    filled[i] = value;
    previous = i;
  }
  if (previous < 0) {
    return undefined;
  }
  const last = filled[previous] ?? 0;
  for (let gap = previous + 1; gap < values.length; gap++) {
    filled[gap] = last;
  }
  return filled;
}
