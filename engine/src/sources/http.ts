/** The one HTTP helper the source clients share: auth, tenant, timeouts, retries, a byte cap and typed errors. */

export type Upstream = 'prometheus' | 'loki' | 'tempo' | 'grafana';

export type UpstreamAuth = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

/**
 * bad_query: the upstream rejected the query (4xx, e.g. a parse error); unavailable: unreachable, 429 or 5xx after
 * retries; timeout: no answer in time; too_large: over the byte or series cap; auth: 401/403; bad_response: a body
 * that is not what the API documents.
 */
export type UpstreamErrorKind = 'bad_query' | 'unavailable' | 'timeout' | 'too_large' | 'auth' | 'bad_response';

export const UPSTREAM_NAMES: Record<Upstream, string> = { prometheus: 'Prometheus', loki: 'Loki', tempo: 'Tempo', grafana: 'Grafana' };

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly upstream: Upstream;
  readonly kind: UpstreamErrorKind;
  /** The HTTP status the upstream answered, or undefined when there was no answer. */
  readonly status: number | undefined;
  /** The upstream's Retry-After, in milliseconds, when it sent one. */
  retryAfterMs: number | undefined = undefined;

  constructor(upstream: Upstream, kind: UpstreamErrorKind, status: number | undefined, message: string) {
    super(message);
    this.upstream = upstream;
    this.kind = kind;
    this.status = status;
  }
}

export interface UpstreamHttpOptions {
  upstream: Upstream;
  baseUrl: string;
  auth?: UpstreamAuth | undefined;
  /** Sent as X-Scope-OrgID (Loki, Tempo, Mimir multi-tenancy). */
  tenant?: string | undefined;
  /** Per attempt, headers and body included (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts after the first on network errors, 429 and 5xx (default 2). */
  retries?: number;
  /** First backoff; doubles each attempt, with jitter (default 250 ms). */
  backoffMs?: number;
  /** A Retry-After longer than this ends the retries instead of waiting (default 10 s). */
  maxRetryAfterMs?: number;
  /** Response bodies over this many bytes are abandoned with a too_large error (default 32 MiB). */
  maxBytes?: number;
}

export interface UpstreamRequest {
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Sent as an application/x-www-form-urlencoded POST (long PromQL does not fit a URL). */
  form?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  maxBytes?: number;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** Error bodies are only quoted, so a little is enough. */
const ERROR_BODY_BYTES = 64 * 1024;
const QUOTE_CHARS = 500;

/** `user:password` (basic) or `Bearer <token>`; undefined when the text is neither. */
export function parseUpstreamAuth(text: string): UpstreamAuth | undefined {
  const trimmed = text.trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(trimmed);
  if (bearer?.[1] !== undefined) {
    return { kind: 'bearer', token: bearer[1] };
  }
  const colon = trimmed.indexOf(':');
  if (colon > 0 && !/\s/.test(trimmed)) {
    return { kind: 'basic', username: trimmed.slice(0, colon), password: trimmed.slice(colon + 1) };
  }
  return undefined;
}

export class UpstreamHttp {
  readonly upstream: Upstream;
  /** The base URL without credentials, safe to show. */
  readonly baseUrl: string;
  readonly #authorization: string | undefined;
  readonly #secrets: string[];
  readonly #tenant: string | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #backoffMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #maxBytes: number;

  constructor(options: UpstreamHttpOptions) {
    this.upstream = options.upstream;
    const url = new URL(options.baseUrl);
    // fetch refuses URLs with credentials: credentials written into the URL become basic auth.
    let auth = options.auth;
    if (auth === undefined && url.username !== '') {
      auth = { kind: 'basic', username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
    }
    url.username = '';
    url.password = '';
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.#authorization = auth === undefined ? undefined : authorizationHeader(auth);
    // What must never show in a message: the secret itself and the header that carries it (base64 included).
    this.#secrets =
      auth === undefined
        ? []
        : [
            auth.kind === 'basic' ? auth.password : auth.token,
            this.#authorization ?? '',
            this.#authorization?.split(' ')[1] ?? '',
          ];
    this.#tenant = options.tenant;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retries = options.retries ?? 2;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  get name(): string {
    return UPSTREAM_NAMES[this.upstream];
  }

  /** A 2xx response with its whole body; anything else, after retries, throws UpstreamError. */
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const url = this.#url(request);
    for (let attempt = 0; ; attempt++) {
      request.signal?.throwIfAborted();
      let outcome: UpstreamResponse | UpstreamError;
      try {
        outcome = await this.#attempt(url, request);
      } catch (error) {
        outcome = this.#failure(error, request.signal);
      }
      if (!(outcome instanceof UpstreamError)) {
        return outcome;
      }
      const wait = this.#retryDelay(outcome, attempt);
      if (wait === undefined) {
        throw outcome;
      }
      await sleep(wait, request.signal);
    }
  }

  /** The body as JSON; a body that is not JSON is a bad_response. */
  async json(request: UpstreamRequest): Promise<unknown> {
    const response = await this.request(request);
    try {
      return JSON.parse(response.body.toString('utf8'));
    } catch {
      throw this.error(
        'bad_response',
        response.status,
        `answered with a body that is not JSON: ${quote(response.body.toString('utf8'))}`
      );
    }
  }

  /** An UpstreamError whose message names the upstream (and never holds a secret). */
  error(kind: UpstreamErrorKind, status: number | undefined, what: string): UpstreamError {
    return new UpstreamError(this.upstream, kind, status, this.#redact(`${this.name} (${this.baseUrl}) ${what}`));
  }

  #url(request: UpstreamRequest): URL {
    const url = new URL(this.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    return url;
  }

  async #attempt(url: URL, request: UpstreamRequest): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.#authorization !== undefined) {
      headers.authorization = this.#authorization;
    }
    if (this.#tenant !== undefined) {
      headers['x-scope-orgid'] = this.#tenant;
    }
    let body: string | undefined;
    if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = formBody(request.form);
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body,
      signal,
      redirect: 'follow',
    });
    if (response.ok) {
      return {
        status: response.status,
        headers: response.headers,
        body: await this.#readBody(response, request.maxBytes ?? this.#maxBytes),
      };
    }
    const text = await readCapped(response, ERROR_BODY_BYTES).then(
      (read) => read.body.toString('utf8'),
      () => ''
    );
    throw this.#statusError(response, text);
  }

  async #readBody(response: Response, maxBytes: number): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw this.#tooLarge(response.status, maxBytes);
    }
    const read = await readCapped(response, maxBytes);
    if (read.overflow) {
      throw this.#tooLarge(response.status, maxBytes);
    }
    return read.body;
  }

  #tooLarge(status: number, maxBytes: number): UpstreamError {
    return this.error(
      'too_large',
      status,
      `answered with more than ${formatBytes(maxBytes)}; narrow the query (shorter range, fewer series or streams)`
    );
  }

  #statusError(response: Response, text: string): UpstreamError {
    const status = response.status;
    const said = upstreamSays(text);
    const retryAfter = response.headers.get('retry-after');
    const error = this.error(
      kindForStatus(status, said.errorType),
      status,
      `answered HTTP ${status}${said.errorType === undefined ? '' : ` (${said.errorType})`}: ${quote(said.message)}`
    );
    if (retryAfter !== null) {
      error.retryAfterMs = parseRetryAfter(retryAfter);
    }
    return error;
  }

  #failure(error: unknown, callerSignal: AbortSignal | undefined): UpstreamError {
    if (callerSignal?.aborted === true) {
      // The caller gave up: its reason, not ours.
      throw callerSignal.reason;
    }
    if (error instanceof UpstreamError) {
      return error;
    }
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return this.error('timeout', undefined, `did not answer within ${this.#timeoutMs / 1000} s`);
    }
    return this.error('unavailable', undefined, `could not be reached: ${networkReason(error)}`);
  }

  /** Milliseconds to wait before the next attempt, or undefined to give up. */
  #retryDelay(error: UpstreamError, attempt: number): number | undefined {
    const retryable =
      error.kind === 'unavailable' && (error.status === undefined || error.status === 429 || error.status >= 500);
    if (!retryable || attempt >= this.#retries) {
      return undefined;
    }
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs <= this.#maxRetryAfterMs ? error.retryAfterMs : undefined;
    }
    const ceiling = this.#backoffMs * 2 ** attempt;
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  #redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      // Shorter strings would blank out ordinary words; such secrets are guessable anyway.
      if (secret.length >= 4) {
        result = result.split(secret).join('***');
      }
    }
    return result;
  }
}

function authorizationHeader(auth: UpstreamAuth): string {
  return auth.kind === 'bearer'
    ? `Bearer ${auth.token}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function formBody(form: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  return params.toString();
}

/** Reads the body chunk by chunk and stops (cancelling the stream) once it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<{ body: Buffer; overflow: boolean }> {
  if (response.body === null) {
    return { body: Buffer.alloc(0), overflow: false };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return { body: Buffer.concat(chunks, size), overflow: false };
    }
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { body: Buffer.concat(chunks), overflow: true };
    }
    chunks.push(value);
  }
}

/** Prometheus answers errors as JSON {status:"error",errorType,error}; Loki and Tempo as plain text. */
export function upstreamSays(text: string): { message: string; errorType: string | undefined } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'string') {
      const errorType = 'errorType' in parsed && typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
      return { message: parsed.error, errorType };
    }
  } catch {
    // Plain text, as Loki and Tempo send.
  }
  return { message: text.trim() === '' ? '(empty body)' : text.trim(), errorType: undefined };
}

function kindForStatus(status: number, errorType: string | undefined): UpstreamErrorKind {
  if (errorType === 'timeout' || errorType === 'canceled' || status === 408 || status === 504) {
    return 'timeout';
  }
  if (status === 401 || status === 403 || status === 407) {
    return 'auth';
  }
  if (status === 413) {
    return 'too_large';
  }
  // 400 is a parse or parameter error; Prometheus answers 422 for a query that cannot be evaluated.
  if (status === 400 || status === 422) {
    return 'bad_query';
  }
  return 'unavailable';
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkReason(error: unknown): string {
  // undici puts the useful part (ECONNREFUSED, "other side closed") in the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause !== undefined && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return code !== undefined && !message.includes(code) ? `${code} ${message}` : message;
}

/** What the upstream said, on one line and short enough to read. */
export function quote(text: string): string {
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > QUOTE_CHARS ? `${oneLine.slice(0, QUOTE_CHARS)}…` : oneLine;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(0)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(0)} KiB`
      : `${bytes} bytes`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
