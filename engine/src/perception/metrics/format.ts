import type { SignalUnit } from './goldenSignals.ts';

/** Three significant digits, without exponent noise: 0.000123, 12.3, 1230. */
function significant(value: number): string {
  if (value === 0) {
    return '0';
  }
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return String(Number(value.toFixed(Math.min(digits, 12))));
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A value as a person reads it in a summary: "120 ms", "2.5%", "34 req/s", "0.42 cores", "512 MiB". */
export function formatValue(value: number, unit: SignalUnit): string {
  switch (unit) {
    case 'seconds':
      return Math.abs(value) < 1 ? `${significant(value * 1000)} ms` : `${significant(value)} s`;
    case 'ratio':
      return `${significant(value * 100)}%`;
    case 'requests_per_second':
      return `${significant(value)} req/s`;
    case 'cores':
      return `${significant(value)} cores`;
    case 'bytes': {
      let scaled = value;
      let index = 0;
      while (Math.abs(scaled) >= 1024 && index < BYTE_UNITS.length - 1) {
        scaled /= 1024;
        index++;
      }
      return `${significant(scaled)} ${BYTE_UNITS[index] ?? 'B'}`;
    }
  }
}

/** "10:02 UTC". */
export function formatClock(t: number): string {
  return `${new Date(t).toISOString().slice(11, 16)} UTC`;
}

/** A ratio or a percentage: one decimal below 10, whole above. */
function rounded(value: number): string {
  return Math.abs(value) < 10 ? value.toFixed(1) : value.toFixed(0);
}

/** How a value moved from its expected level: "rose 4.2× from 120 ms to 504 ms", "fell 80% from …", "rose from 0 to …". */
export function describeChange(expected: number, value: number, unit: SignalUnit): string {
  const span = `from ${formatValue(expected, unit)} to ${formatValue(value, unit)}`;
  const verb = value >= expected ? 'rose' : 'fell';
  if (expected <= 0 || value < 0) {
    return `${verb} ${span}`;
  }
  if (value >= expected) {
    return value / expected >= 1.5
      ? `${verb} ${rounded(value / expected)}× ${span}`
      : `${verb} ${rounded((value / expected - 1) * 100)}% ${span}`;
  }
  return `${verb} ${rounded((1 - value / expected) * 100)}% ${span}`;
}
