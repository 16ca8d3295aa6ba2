import { of, throwError } from 'rxjs';
import type { BackendSrvRequest } from '@grafana/runtime';
import type { EngineFetch } from '../engineClient';

/** What the fake answers: a status with a body, or a network failure before any answer. */
export type FakeReply = { status: number; data: unknown } | { networkError: string };

/**
 * Stands in for getBackendSrv().fetch the way Grafana's behaves: 2xx emits a response,
 * anything else errors with a FetchError-shaped object ({status, data, statusText, config}).
 */
export function fakeEngineFetch(reply: (request: BackendSrvRequest) => FakeReply) {
  const requests: BackendSrvRequest[] = [];
  const fetch: EngineFetch = (request) => {
    requests.push(request);
    const answer = reply(request);
    if ('networkError' in answer) {
      return throwError(() => new TypeError(answer.networkError));
    }
    if (answer.status >= 200 && answer.status < 300) {
      return of({ status: answer.status, data: answer.data });
    }
    return throwError(() => ({ status: answer.status, data: answer.data, statusText: '', config: request }));
  };
  return { fetch, requests };
}

export const ENGINE_STATUS = {
  version: '0.1.0',
  apiVersion: 1,
  store: 'pglite',
  startedAt: '2026-11-23T21:00:00.000Z',
  uptimeSeconds: 42,
};
