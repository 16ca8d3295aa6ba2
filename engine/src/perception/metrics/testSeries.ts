import type { Sample } from '../../sources/types.ts';

/** Deterministic series for tests: a seeded PRNG (mulberry32) and Gaussian noise (Box–Muller). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** Samples of `value(t)` on a step grid over [from, to); undefined values leave gaps. */
export function sampleSeries(
  from: number,
  to: number,
  stepMs: number,
  value: (t: number) => number | undefined
): Sample[] {
  const samples: Sample[] = [];
  for (let t = Math.ceil(from / stepMs) * stepMs; t < to; t += stepMs) {
    const v = value(t);
    if (v !== undefined) {
      samples.push({ t, v });
    }
  }
  return samples;
}
