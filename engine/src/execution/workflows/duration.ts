/** Step timeouts as written in workflows ("500ms", "30s", "5m", "1h"). */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
type Unit = keyof typeof UNIT_MS;
export const MAX_TIMEOUT_MS = 24 * 3_600_000;

function isUnit(unit: string | undefined): unit is Unit {
  return unit !== undefined && Object.hasOwn(UNIT_MS, unit);
}

/** Milliseconds of a duration, or a message saying what is wrong with it. */
export function parseDuration(text: string): { ms: number } | { problem: string } {
  const match = /^(\d{1,9})(ms|s|m|h)$/.exec(text);
  const unit = match?.[2];
  if (match === null || !isUnit(unit)) {
    return { problem: 'must be a number and a unit: ms, s, m or h (e.g. 30s, 5m)' };
  }
  const ms = Number(match[1]) * UNIT_MS[unit];
  if (ms <= 0) {
    return { problem: 'must be more than zero' };
  }
  if (ms > MAX_TIMEOUT_MS) {
    return { problem: 'must be at most 24h' };
  }
  return { ms };
}
