/** Narrowing helpers for upstream JSON, which is `unknown` until checked. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list, or empty for null/undefined (jsonpb and Go leave empty lists out or write null). */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** An object of string values, e.g. Prometheus `metric` or Loki `stream` labels. */
export function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      labels[key] = String(item);
    }
  }
  return labels;
}
