/** A --min-* flag's number in [0, 1]: undefined when absent, null (after saying why) when malformed. */
export function fraction(flag: string, value: string | undefined): number | undefined | null {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    console.error(`--${flag} takes a number between 0 and 1; got "${value}"`);
    return null;
  }
  return n;
}
