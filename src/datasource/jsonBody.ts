import { EngineRequestError } from './engineClient';

// Small readers for engine JSON: the plugin checks what it uses and names what is missing.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A number, or null for JSON null and anything that is not a finite number (a gap in a series). */
export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Epoch milliseconds of an RFC 3339 time, or null when absent or unreadable. */
export function timeMs(value: unknown): number | null {
  if (typeof value !== 'string') {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) => (typeof item === 'string' ? [[key, item]] : []))
  );
}

/** A 200 answer whose body is not what the engine sends for `path`. */
export function invalidBody(path: string, detail: string): EngineRequestError {
  return new EngineRequestError('invalid-response', path, 200, detail);
}
