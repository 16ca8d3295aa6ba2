import { lastValueFrom, type Observable } from 'rxjs';
import { type BackendSrvRequest, getBackendSrv, isFetchError } from '@grafana/runtime';

/** The part of a response the client reads; Grafana's FetchResponse satisfies it. */
export interface EngineResponse {
  status: number;
  data: unknown;
}

/** Sends one request; getBackendSrv().fetch in Grafana, a fake in tests. */
export type EngineFetch = (request: BackendSrvRequest) => Observable<EngineResponse>;

/** Every engine API path is versioned. */
export type EnginePath = `/api/v1/${string}`;

export type EngineErrorKind =
  /** Grafana's proxy could not connect (502/503/504) or the request never got an answer. */
  | 'unreachable'
  /** The engine refused the token (401/403; Grafana turns an upstream 401 into a 400 with a fixed text). */
  | 'unauthorized'
  /** Nothing at that path: usually not an IntelOps engine behind the URL. */
  | 'not-found'
  /** The engine answered 400 with its own message: bad PromQL/LogQL or a bad field, said by the engine or upstream. */
  | 'rejected'
  /** The engine answered 502/503/504 itself: its Prometheus, Loki or Tempo failed; the message names which. */
  | 'upstream'
  /** Any other non-2xx status. */
  | 'http'
  /** A 2xx whose body is not what the engine sends. */
  | 'invalid-response';

// Grafana's data proxy replaces an upstream 401 with a 400 carrying this text, so the Grafana session survives.
const GRAFANA_PROXY_AUTH_FAILURE = 'Authentication to data source failed';

export class EngineRequestError extends Error {
  readonly kind: EngineErrorKind;
  readonly path: string;
  readonly status?: number;
  readonly detail?: string;

  constructor(kind: EngineErrorKind, path: string, status?: number, detail?: string) {
    const answered = status === undefined ? 'no answer' : `status ${status}`;
    super(`IntelOps engine request ${path} failed (${kind}, ${answered})${detail ? `: ${detail}` : ''}`);
    this.name = 'EngineRequestError';
    this.kind = kind;
    this.path = path;
    this.status = status;
    this.detail = detail;
  }
}

export function isEngineRequestError(error: unknown): error is EngineRequestError {
  return error instanceof EngineRequestError;
}

/**
 * Turns a failed status (or none) and the body's message into the kind of failure it means.
 * `fromEngine`: the body is the engine's own error JSON, so Grafana's proxy did reach the engine.
 */
export function classifyFailure(
  status: number | undefined,
  detail: string | undefined,
  fromEngine = false
): EngineErrorKind {
  const gatewayFailure = status === 502 || status === 503 || status === 504;
  if (fromEngine && gatewayFailure) {
    return 'upstream';
  }
  if (status === undefined || status <= 0 || gatewayFailure) {
    return 'unreachable';
  }
  if (status === 401 || status === 403 || (status === 400 && detail?.includes(GRAFANA_PROXY_AUTH_FAILURE))) {
    return 'unauthorized';
  }
  if (status === 400 && fromEngine) {
    return 'rejected';
  }
  if (status === 404) {
    return 'not-found';
  }
  return 'http';
}

/** The human-readable message in an error body: engine JSON `{message}`/`{error}`, or Grafana's plain text. */
export function messageFromBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? undefined : text.slice(0, 300);
  }
  if (typeof body === 'object' && body !== null) {
    for (const key of ['message', 'error']) {
      const value: unknown = Reflect.get(body, key);
      if (typeof value === 'string' && value.trim() !== '') {
        return value.trim().slice(0, 300);
      }
    }
  }
  return undefined;
}

/** The engine's error body `{statusCode, error, message}` (Fastify's shape); Grafana's own errors differ. */
export function isEngineErrorBody(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof Reflect.get(body, 'statusCode') === 'number' &&
    typeof Reflect.get(body, 'error') === 'string' &&
    typeof Reflect.get(body, 'message') === 'string'
  );
}

const grafanaFetch: EngineFetch = (request) => getBackendSrv().fetch<unknown>(request);

/**
 * HTTP client for the engine API, bound to the datasource's data-proxy route.
 * The browser never holds the engine token: Grafana's server adds it to each proxied request (plugin.json routes).
 */
export class EngineClient {
  readonly baseUrl: string;
  private readonly send: EngineFetch;

  constructor(baseUrl: string, send: EngineFetch = grafanaFetch) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.send = send;
  }

  get(path: EnginePath, params?: Record<string, string | number>): Promise<unknown> {
    return this.request({ method: 'GET', url: `${this.baseUrl}${path}`, params }, path);
  }

  /** Sends `body` as JSON; Grafana's backendSrv sets the content type for an object body. */
  post(path: EnginePath, body: object): Promise<unknown> {
    return this.request({ method: 'POST', url: `${this.baseUrl}${path}`, data: body }, path);
  }

  /** Replaces the resource at `path` with `body`, sent as JSON (PUT /api/v1/settings takes the whole document). */
  put(path: EnginePath, body: object): Promise<unknown> {
    return this.request({ method: 'PUT', url: `${this.baseUrl}${path}`, data: body }, path);
  }

  /** Sends `text` as is with its content type: the engine keeps a workflow's YAML as written, comments included. */
  putText(path: EnginePath, text: string, contentType: string): Promise<unknown> {
    const headers = { 'Content-Type': contentType };
    return this.request({ method: 'PUT', url: `${this.baseUrl}${path}`, data: text, headers }, path);
  }

  delete(path: EnginePath): Promise<unknown> {
    return this.request({ method: 'DELETE', url: `${this.baseUrl}${path}` }, path);
  }

  private async request(request: BackendSrvRequest, path: EnginePath): Promise<unknown> {
    try {
      const response = await lastValueFrom(this.send({ ...request, showErrorAlert: false, showSuccessAlert: false }));
      return response.data;
    } catch (error) {
      throw toEngineError(error, path);
    }
  }
}

function toEngineError(error: unknown, path: string): EngineRequestError {
  if (isEngineRequestError(error)) {
    return error;
  }
  if (isFetchError(error)) {
    const status = typeof error.status === 'number' ? error.status : undefined;
    const detail = messageFromBody(error.data) ?? error.statusText ?? error.message;
    return new EngineRequestError(classifyFailure(status, detail, isEngineErrorBody(error.data)), path, status, detail);
  }
  const detail = error instanceof Error ? error.message : undefined;
  return new EngineRequestError('unreachable', path, undefined, detail);
}
