import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertSource } from '../perception/alerts/types.ts';
import { errorBody } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a POST alert intake route: the webhook token (and, for Grafana, its HMAC signature) is accepted there too. */
    intake?: AlertSource;
  }
}

export const API_PREFIX = '/api/v1';

export interface AuthPluginOptions {
  /** undefined only in insecure mode: then /api/v1 is open. */
  token: string | undefined;
  /** Accepted on the intake routes only, as a bearer token, an X-IntelOps-Token header or a `token` query parameter. */
  webhookToken?: string;
  /** Verifies X-Grafana-Alerting-Signature on POST /api/v1/alerts/grafana. */
  grafanaHmacSecret?: string;
  /** Milliseconds since the epoch, for the signature timestamp check. */
  now?: () => number;
}

export const WEBHOOK_TOKEN_HEADER = 'x-intelops-token';
export const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';
/** Grafana's "Timestamp Header" has no default name: these are the names its docs use. */
export const GRAFANA_TIMESTAMP_HEADERS = ['x-grafana-alerting-signature-timestamp', 'x-grafana-alerting-timestamp'];
/** A signed request older (or newer) than this is refused, so that a captured one cannot be replayed later. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export function isApiPath(path: string): boolean {
  return path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);
}

/**
 * The path as the router sees it (percent-decoded, repeated slashes folded, lower-cased), so that
 * /%61pi/v1/x or //api/v1/x cannot slip past the prefix check.
 */
export function normalizedPath(url: string): string {
  const raw = url.split('?')[0] ?? url;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  return decoded.replace(/\/{2,}/g, '/').toLowerCase();
}

function needsToken(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return (route !== undefined && isApiPath(route)) || isApiPath(normalizedPath(request.url));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares fixed-length digests, so the time taken says nothing about the token. */
export function tokenMatcher(token: string): (presented: string) => boolean {
  const expected = digest(token);
  return (presented) => timingSafeEqual(digest(presented), expected);
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every place a webhook sender may have put the webhook token. */
function webhookCredentials(request: FastifyRequest, bearer: string | undefined): string[] {
  const query: unknown = request.query;
  const fromQuery = typeof query === 'object' && query !== null && 'token' in query ? query.token : undefined;
  return [bearer, header(request, WEBHOOK_TOKEN_HEADER), typeof fromQuery === 'string' ? fromQuery : undefined].filter(
    (value): value is string => value !== undefined && value !== ''
  );
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Grafana's webhook HMAC: hex HMAC-SHA256 with the shared secret over the raw body, or over
 * "<timestamp>:<body>" when Grafana is set to send a timestamp header (Unix seconds, checked for age).
 */
export function verifyGrafanaSignature(secret: string, body: Buffer, signature: string, timestamp: string | undefined, nowMs: number): SignatureCheck {
  if (timestamp !== undefined) {
    if (!/^\d{1,12}$/.test(timestamp.trim())) {
      return { ok: false, reason: 'The signature timestamp header must hold Unix seconds' };
    }
    if (Math.abs(nowMs - Number(timestamp.trim()) * 1000) > SIGNATURE_MAX_AGE_MS) {
      return { ok: false, reason: `The signature timestamp is more than ${SIGNATURE_MAX_AGE_MS / 60_000} minutes away from the engine's clock` };
    }
  }
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) {
    mac.update(`${timestamp.trim()}:`);
  }
  const expected = mac.update(body).digest();
  const presented = /^[0-9a-f]+$/i.test(signature.trim()) ? Buffer.from(signature.trim(), 'hex') : Buffer.alloc(0);
  return presented.length === expected.length && timingSafeEqual(presented, expected) ? { ok: true } : { ok: false, reason: 'Invalid Grafana webhook signature' };
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, presented: string | undefined, message: string) {
  request.log.info({ reason: message }, 'unauthorized API request');
  const challenge = presented === undefined ? 'Bearer realm="intelops"' : 'Bearer realm="intelops", error="invalid_token"';
  return reply.code(401).header('www-authenticate', challenge).send(errorBody(401, message));
}

/**
 * Bearer authentication for every path under /api/v1, matched by prefix on each request so that
 * unknown /api/v1 paths answer 401 without a token (and 404 only with it). The alert intake routes also
 * take the webhook token, and Grafana's route a valid HMAC signature, checked once the body is read.
 */
const auth: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  const { token, webhookToken, grafanaHmacSecret } = options;
  if (token === undefined) {
    return;
  }
  const now = options.now ?? Date.now;
  const matches = tokenMatcher(token);
  const matchesWebhook = webhookToken === undefined ? undefined : tokenMatcher(webhookToken);
  const awaitingSignature = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    if (!needsToken(request)) {
      return;
    }
    const presented = bearerToken(request.headers.authorization);
    if (presented !== undefined && matches(presented)) {
      return;
    }
    const intake = request.method === 'POST' ? request.routeOptions.config?.intake : undefined;
    if (intake !== undefined) {
      if (matchesWebhook !== undefined && webhookCredentials(request, presented).some(matchesWebhook)) {
        return;
      }
      if (intake === 'grafana' && grafanaHmacSecret !== undefined && header(request, GRAFANA_SIGNATURE_HEADER) !== undefined) {
        awaitingSignature.add(request);
        return;
      }
    }
    const message =
      presented === undefined
        ? intake === undefined
          ? 'Missing API token: send the header "Authorization: Bearer <token>" with the engine token (INTELOPS_TOKEN)'
          : 'Missing token: send "Authorization: Bearer <token>" with the engine token or the webhook token (INTELOPS_WEBHOOK_TOKEN), the header X-IntelOps-Token, or ?token=<webhook token>'
        : 'Invalid API token';
    return unauthorized(request, reply, presented, message);
  });

  if (grafanaHmacSecret !== undefined) {
    // The signature covers the raw body, so it can only be checked once the body has been read.
    app.addHook('preValidation', async (request, reply) => {
      if (!awaitingSignature.has(request)) {
        return;
      }
      awaitingSignature.delete(request);
      const signature = header(request, GRAFANA_SIGNATURE_HEADER) ?? '';
      const timestamp = GRAFANA_TIMESTAMP_HEADERS.map((name) => header(request, name)).find((value) => value !== undefined);
      const check = verifyGrafanaSignature(grafanaHmacSecret, request.rawBody ?? Buffer.alloc(0), signature, timestamp, now());
      if (!check.ok) {
        return unauthorized(request, reply, signature, check.reason);
      }
    });
  }
};

export const authPlugin = fp(auth, { name: 'intelops-auth' });
