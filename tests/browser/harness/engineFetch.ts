import { from, mergeMap, of, throwError } from 'rxjs';
import type { EngineFetch } from '../../../src/datasource/engineClient';

/**
 * The datasource's requests sent with the browser's fetch to the harness server, which answers on the same
 * data-proxy paths Grafana serves; failures take the shape Grafana's backendSrv gives them ({status, data, ...}).
 */
export const browserEngineFetch: EngineFetch = (request) => {
  const url = new URL(request.url, window.location.origin);
  for (const [key, value] of Object.entries(request.params ?? {})) {
    url.searchParams.set(key, String(value));
  }
  // backendSrv sends an object body as JSON and a string as is with the caller's content type; so does this stand-in.
  const text = typeof request.data === 'string';
  const body = request.data === undefined ? undefined : text ? request.data : JSON.stringify(request.data);
  const headers = body === undefined ? undefined : text ? request.headers : { 'content-type': 'application/json' };
  return from(fetch(url, { method: request.method ?? 'GET', body, headers })).pipe(
    mergeMap(async (response) => {
      const text = await response.text();
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // Grafana's proxy answers some failures in plain text; keep it as text.
      }
      return { status: response.status, statusText: response.statusText, data };
    }),
    mergeMap((response) =>
      response.status >= 200 && response.status < 300
        ? of({ status: response.status, data: response.data })
        : throwError(() => ({ ...response, config: request }))
    )
  );
};
