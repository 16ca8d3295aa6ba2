import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import type { LogLevel } from '../config.ts';

/**
 * Paths pino censors wherever they appear in a log line: the Authorization header however a
 * request or response is serialized, and any field carrying a token, key, password or database URL.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-intelops-token"]',
  'headers["x-intelops-token"]',
  'request.headers.authorization',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  'authorization',
  'token',
  'apiKey',
  'password',
  'databaseUrl',
  '*.authorization',
  '*.token',
  '*.apiKey',
  '*.llmApiKey',
  '*.password',
  '*.databaseUrl',
  '*.webhookToken',
  '*.grafanaHmacSecret',
];

/** Query parameters that carry secrets (webhook senders that can only set a URL put the token there). */
const SECRET_QUERY_PARAMS = new Set(['token', 'access_token', 'api_key', 'apikey']);

function isSecretParam(rawKey: string): boolean {
  let key = rawKey;
  try {
    key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
  } catch {
    // Undecodable: judged as sent.
  }
  return SECRET_QUERY_PARAMS.has(key.trim().toLowerCase());
}

/** A URL safe to log: the values of secret query parameters replaced, however their names are encoded. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) {
    return url;
  }
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const key = equals < 0 ? part : part.slice(0, equals);
      return isSecretParam(key) ? `${key}=[redacted]` : part;
    })
    .join('&');
  return `${url.slice(0, start + 1)}${redacted}${hash < 0 ? '' : url.slice(hash)}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with secrets in the query string redacted. */
function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export type EngineLogger = Logger;

/** JSON lines on stdout (or on `destination`, which tests use to capture what would be logged). */
export function createLogger(level: LogLevel, destination?: DestinationStream): EngineLogger {
  const options = {
    level,
    base: { service: 'intelops-engine' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
