/**
 * Dashboard variables in PromQL and LogQL: a single value is placed inside a double-quoted string, so quotes and
 * backslashes are escaped; a multi-value (or All) variable is meant for `=~`, so its values become an escaped
 * regex alternation, as Grafana's Prometheus and Loki datasources do it.
 */

/** The part of Grafana's variable model the format function reads. */
export interface QueryVariable {
  multi?: boolean;
  includeAll?: boolean;
}

/** Escapes a value for the inside of a double-quoted PromQL/LogQL string. */
export function escapeQueryString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Escapes RE2 metacharacters, then the result for a double-quoted string (`a.b` becomes `a\\.b`). */
export function escapeQueryRegex(value: string): string {
  return escapeQueryString(value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '');
}

/** TemplateSrv's format function for query text: Grafana calls it with the value and the variable. */
export function formatQueryVariable(value: unknown, variable?: QueryVariable): string {
  const regex = Array.isArray(value) || variable?.multi === true || variable?.includeAll === true;
  if (!regex) {
    return escapeQueryString(asText(value));
  }
  const values = Array.isArray(value) ? value.map(asText) : [asText(value)];
  return values.map(escapeQueryRegex).join('|');
}
