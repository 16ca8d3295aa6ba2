import { escapeGoString } from '../../sources/goString.ts';

/** TraceQL for a service's spans; the name is escaped as a Go string literal, as Tempo's lexer reads it. */
function serviceMatcher(service: string): string {
  return `resource.service.name = "${escapeGoString(service)}"`;
}

/** Spans of the service with error status. */
export function errorSpansQuery(service: string): string {
  return `{ ${serviceMatcher(service)} && status = error }`;
}

/** The service's server spans: the requests it handles. */
export function serverSpansQuery(service: string): string {
  return `{ ${serviceMatcher(service)} && kind = server }`;
}

/** The service's server spans slower than `ms` (whole milliseconds, at least 1). */
export function slowSpansQuery(service: string, ms: number): string {
  return `{ ${serviceMatcher(service)} && kind = server && duration > ${Math.max(1, Math.round(ms))}ms }`;
}
