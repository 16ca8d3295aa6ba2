import { invalidInput, quote } from './invalidInput.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** The range of a JS Date. */
const MAX_TIME = 8.64e15;

/** Epoch milliseconds from an RFC 3339 time or epoch milliseconds; a 400 naming `where` (body/from) otherwise. */
export function parseTimeInput(value: string | number, where: string): number {
  const time =
    typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value) ? Number(value) : RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(time) || Math.abs(time) > MAX_TIME) {
    throw invalidInput(`${where} must be an RFC 3339 time or epoch milliseconds; got ${quote(String(value))}`);
  }
  return time;
}
