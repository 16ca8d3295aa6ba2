import type { Sample } from '../../sources/types.ts';

export { gaussian, seededRandom } from '../../testing/random.ts';

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
