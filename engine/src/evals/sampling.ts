import { createHash } from 'node:crypto';

/**
 * Whether a run is in the sample: its id hashed to a number in [0, 1) below the rate. The same run is always in
 * or out, whichever engine replica sees it, so tests can pin it and a restart never judges a run twice.
 */
export function inSample(runId: string, rate: number): boolean {
  if (!(rate > 0)) {
    return false;
  }
  if (rate >= 1) {
    return true;
  }
  const position = createHash('sha256').update(runId).digest().readUInt32BE(0) / 2 ** 32;
  return position < rate;
}
