import { Type } from 'typebox';
import type { Static } from 'typebox';
import { redactUrl } from '../../observability/logger.ts';
import { quote, UpstreamError } from '../../sources/http.ts';
import type { ActionContext } from '../types.ts';
import { EgressError } from './guardedHttp.ts';
import { SECRET_NAME_PATTERN } from './secrets.ts';

/**
 * What the HTTP actions share: secret references in URLs and headers, JSON out, the Idempotency-Key header, dry
 * runs that describe the request instead of sending it, and outputs, errors and logs scrubbed of secret values.
 */

export const SecretName = Type.String({
  pattern: SECRET_NAME_PATTERN,
  description: 'The name of a secret (INTELOPS_SECRET_<NAME> or a file in INTELOPS_SECRETS_DIR), never its value',
});

export const SecretHeader = Type.Object(
  {
    secret: SecretName,
    prefix: Type.Optional(Type.String({ maxLength: 64, description: 'Written before the value, e.g. "Bearer "' })),
  },
  { additionalProperties: false }
);

export const HeaderValuesSchema = Type.Record(
  Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$" }),
  Type.Union([Type.String({ maxLength: 8192 }), SecretHeader]),
  {
    additionalProperties: false,
    maxProperties: 32,
    description: 'Header values as text, or {secret: NAME, prefix?} to send a secret',
  }
);
export type HeaderValues = Static<typeof HeaderValuesSchema>;

export const HttpMethodSchema = Type.Union([
  Type.Literal('POST'),
  Type.Literal('PUT'),
  Type.Literal('PATCH'),
  Type.Literal('DELETE'),
  Type.Literal('GET'),
]);
export type HttpMethod = Static<typeof HttpMethodSchema>;

/** Where to send: a URL written in the workflow, or one held by a secret (chat webhooks carry their token in the path). */
export type Target = { url: string } | { secret: string };

export interface OutboundCall {
  /** The action's name, for messages and logs. */
  action: string;
  method: HttpMethod;
  target: Target;
  headers?: HeaderValues | undefined;
  /** Sent as JSON; `reveal` gives a secret's value (its name, in a dry run) for bodies that carry one. */
  body?: (reveal: (secret: string) => string) => unknown;
  /** Whether a status counts as success (default: 2xx). */
  accept?: (status: number) => boolean;
}

/** What a dry run returns instead of acting: the request as it would go, secrets shown by name. */
export interface DryRunOutput {
  dryRun: true;
  request: { method: HttpMethod; url: string; headers: Record<string, string>; body?: unknown };
}

export interface SentOutput {
  status: number;
  /** The response body, parsed when it is JSON, scrubbed of secret values. */
  body: unknown;
}

/** A step that did not succeed; `retryable` says whether trying again may help (network, timeouts, 429, 5xx). */
export class ActionFailed extends Error {
  override name = 'ActionFailed';
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, retryable: boolean, status?: number) {
    super(message);
    this.retryable = retryable;
    this.status = status;
  }
}

/** Whether the runner should try a failed action again. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ActionFailed) {
    return error.retryable;
  }
  if (error instanceof EgressError) {
    return error.kind === 'timeout' || error.kind === 'unreachable';
  }
  if (error instanceof UpstreamError) {
    return error.kind === 'unavailable' || error.kind === 'timeout';
  }
  // Missing secrets, bad input and bugs do not mend themselves.
  return false;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Output bodies are kept in the run record: enough to read, not a copy of a large response. */
const MAX_OUTPUT_TEXT = 64 * 1024;

/** The target as it may be shown: a secret by name, a plain URL without secret query parameters. */
export function shownTarget(target: Target): string {
  return 'secret' in target ? `[secret ${target.secret}]` : redactUrl(target.url);
}

export async function sendJson(call: OutboundCall, context: ActionContext): Promise<DryRunOutput | SentOutput> {
  const shown = shownTarget(call.target);
  const shownHeaders: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': context.idempotencyKey,
  };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    shownHeaders[name.toLowerCase()] =
      typeof value === 'string' ? value : `${value.prefix ?? ''}[secret ${value.secret}]`;
  }
  if (context.dryRun) {
    const body = call.body?.((secret) => `[secret ${secret}]`);
    const request = { method: call.method, url: shown, headers: shownHeaders, ...(body === undefined ? {} : { body }) };
    return { dryRun: true, request: JSON.parse(context.secrets.redact(JSON.stringify(request))) };
  }
  const url = 'secret' in call.target ? context.secrets.get(call.target.secret) : call.target.url;
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9', ...shownHeaders };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    headers[name.toLowerCase()] =
      typeof value === 'string' ? value : `${value.prefix ?? ''}${context.secrets.get(value.secret)}`;
  }
  const started = Date.now();
  let response;
  try {
    response = await context.http.request({
      method: call.method,
      url,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body((secret) => context.secrets.get(secret))),
      timeoutMs: context.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: context.signal,
    });
  } catch (error) {
    if (error instanceof EgressError) {
      context.logger.warn(
        { action: call.action, target: context.secrets.redact(shown), reason: context.secrets.redact(error.message) },
        'action request failed'
      );
      throw new EgressError(error.kind, context.secrets.redact(`${call.action}: ${error.message}`));
    }
    throw error;
  }
  const text = context.secrets.redact(response.body);
  const accepted = (call.accept ?? ((status) => status >= 200 && status < 300))(response.status);
  context.logger.info(
    {
      action: call.action,
      method: call.method,
      target: context.secrets.redact(shown),
      status: response.status,
      durationMs: Date.now() - started,
    },
    'action request sent'
  );
  if (!accepted) {
    const retryable = response.status === 429 || response.status >= 500;
    throw new ActionFailed(
      context.secrets.redact(
        `${call.action}: ${shown} answered HTTP ${response.status}: ${quote(text || '(empty body)')}`
      ),
      retryable,
      response.status
    );
  }
  return { status: response.status, body: parseBody(text) };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.length > MAX_OUTPUT_TEXT ? `${text.slice(0, MAX_OUTPUT_TEXT)}…` : text;
  }
}

/** A sentence's worth of `text`, on one line, for describe(). */
export function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
}
