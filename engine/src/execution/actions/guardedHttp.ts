import { lookup } from 'node:dns/promises';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { GuardedHttp } from '../types.ts';
import { checkAddress, checkHost, unbracket } from './egressRules.ts';
import type { EgressPolicy } from './egressRules.ts';

/**
 * Outbound HTTP for actions. The host is checked against the allowlist, resolved once, every address checked, and
 * the connection made to those checked addresses (a custom lookup), so a DNS answer cannot change between the
 * check and the connect. Redirects are followed only within the same origin; bodies are capped; one timeout covers
 * resolving, connecting and reading. Messages name the origin only: webhook URLs carry secrets in their paths.
 */

export type EgressErrorKind = 'refused' | 'timeout' | 'too_large' | 'unreachable';

export class EgressError extends Error {
  override name = 'EgressError';
  readonly kind: EgressErrorKind;

  constructor(kind: EgressErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to, in the resolver's order. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedHttpOptions extends EgressPolicy {
  /** DNS resolution (default: the system resolver, as every other client of this machine sees it). */
  resolve?: Resolve;
  /** Response bodies over this many bytes fail with too_large (default 1 MiB). */
  maxResponseBytes?: number;
  /** Same-origin redirects followed before giving up (default 3). */
  maxRedirects?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Method = Parameters<GuardedHttp['request']>[0]['method'];
type Response = Awaited<ReturnType<GuardedHttp['request']>>;

const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export class GuardedHttpClient implements GuardedHttp {
  readonly #policy: EgressPolicy;
  readonly #resolve: Resolve;
  readonly #maxBytes: number;
  readonly #maxRedirects: number;

  constructor(options: GuardedHttpOptions) {
    this.#policy = { rules: options.rules, allowPrivate: options.allowPrivate };
    this.#resolve = options.resolve ?? systemResolve;
    this.#maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  }

  async request(request: Parameters<GuardedHttp['request']>[0]): Promise<Response> {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([timeout, request.signal]);
    let url = parseUrl(request.url);
    let method: Method = request.method;
    let body = request.body;
    for (let hop = 0; ; hop++) {
      let response: Response;
      try {
        const addresses = await this.#addresses(url, signal);
        response = await send(url, addresses, method, request.headers ?? {}, body, signal, this.#maxBytes);
      } catch (error) {
        throw failure(error, url, request.signal, request.timeoutMs);
      }
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || location === undefined) {
        return response;
      }
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        throw new EgressError(
          'refused',
          `egress to ${url.origin} refused: it redirected to ${next.origin}, and redirects may not leave the host they start at`
        );
      }
      if (hop >= this.#maxRedirects) {
        throw new EgressError('refused', `egress to ${url.origin} refused: more than ${this.#maxRedirects} redirects`);
      }
      // As browsers do: 303, and 301/302 after a POST, repeat as a GET without the body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  }

  /** The checked addresses to connect to; an EgressError naming the rule when the host or an address is refused. */
  async #addresses(url: URL, signal: AbortSignal): Promise<ResolvedAddress[]> {
    const hostRefusal = checkHost(this.#policy, url.hostname);
    if (hostRefusal !== undefined) {
      throw new EgressError('refused', `egress to ${url.origin} refused: ${hostRefusal.reason}`);
    }
    const host = unbracket(url.hostname);
    const version = isIP(host);
    const literal = version !== 0;
    const addresses = literal
      ? [{ address: host, family: version === 6 ? 6 : 4 } as const]
      : await abortable(this.#resolve(host), signal);
    if (addresses.length === 0) {
      throw new EgressError('unreachable', `egress to ${url.origin} failed: ${host} resolved to no address`);
    }
    for (const { address } of addresses) {
      const refusal = checkAddress(this.#policy, address);
      if (refusal !== undefined) {
        const subject = literal ? address : `${url.origin} (${host} resolves to ${address})`;
        throw new EgressError('refused', `egress to ${subject} refused: ${refusal.reason}`);
      }
    }
    return addresses;
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EgressError('refused', 'egress refused: the URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EgressError(
      'refused',
      `egress refused: only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}`
    );
  }
  return url;
}

/** Connects only to `addresses`, already checked, whatever DNS would answer now. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const [first] = addresses;
    if (options.all === true) {
      callback(null, addresses);
    } else if (first !== undefined) {
      callback(null, first.address, first.family);
    }
  };
}

function send(
  url: URL,
  addresses: ResolvedAddress[],
  method: Method,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
  maxBytes: number
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = { ...headers };
    if (body !== undefined) {
      outgoing['content-length'] = String(Buffer.byteLength(body));
    }
    const client = url.protocol === 'https:' ? https : http;
    // agent: false, so no pooled socket to an address checked for another request is reused.
    const request = client.request(
      url,
      { method, headers: outgoing, agent: false, lookup: pinnedLookup(addresses), signal },
      (response) => {
        const tooLarge = () =>
          new EgressError('too_large', `egress to ${url.origin} failed: the response is over ${maxBytes} bytes`);
        if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
          response.destroy();
          reject(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let ended = false;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy();
            reject(tooLarge());
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          ended = true;
          resolve({
            status: response.statusCode ?? 0,
            headers: flatHeaders(response.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', reject);
        response.on('close', () => {
          if (!ended) {
            reject(new Error('the connection closed before the response ended'));
          }
        });
      }
    );
    request.on('error', reject);
    request.end(body);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return flat;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function failure(error: unknown, url: URL, callerSignal: AbortSignal | undefined, timeoutMs: number): unknown {
  if (error instanceof EgressError) {
    return error;
  }
  if (callerSignal?.aborted === true) {
    // The caller gave up (the step's own deadline or a cancel): its reason, not ours.
    return callerSignal.reason;
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new EgressError('timeout', `egress to ${url.origin} failed: no answer within ${timeoutMs / 1000} s`);
  }
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages name the address and port, never the path.
  return new EgressError(
    'unreachable',
    `egress to ${url.origin} failed: ${message.startsWith(code.trim()) ? message : code + message}`
  );
}
