import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import type { LlmClient } from './client.ts';

// An endpoint's error message is quoted up to here: enough to act on, short enough for a panel.
const MAX_MESSAGE_CHARS = 200;

/** Why a call failed, in a sentence a person can act on; the API key is scrubbed even if an endpoint echoes it. */
export function failureReason(
  error: unknown,
  client: Pick<LlmClient, 'timeoutMs' | 'maxRetries' | 'redact'>,
  signal?: AbortSignal
): string {
  return client.redact(describe(error, client, signal));
}

function describe(
  error: unknown,
  client: Pick<LlmClient, 'timeoutMs' | 'maxRetries'>,
  signal: AbortSignal | undefined
): string {
  if (signal?.aborted === true || error instanceof APIUserAbortError) {
    return 'LLM call aborted';
  }
  const retries = client.maxRetries === 1 ? '1 retry' : `${client.maxRetries} retries`;
  if (error instanceof APIConnectionTimeoutError) {
    return `LLM timed out after ${client.timeoutMs} ms${client.maxRetries > 0 ? ` (${retries})` : ''}`;
  }
  if (error instanceof RateLimitError) {
    return `LLM rate limited (429) after ${retries}${short(endpointMessage(error))}`;
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return `LLM endpoint unreachable: ${clip(cause)}`;
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return `LLM endpoint answered HTTP ${error.status}${short(endpointMessage(error))}`;
  }
  return `LLM call failed: ${clip(error instanceof Error ? error.message : String(error))}`;
}

/** The endpoint's own message (OpenAI's `error.message`), not the client's wrapper text with the status. */
function endpointMessage(error: APIError): string {
  const body: unknown = error.error;
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  return error.message.replace(/^\d{3}\s*/, '');
}

function short(message: string): string {
  const text = clip(message);
  return text === '' ? '' : `: ${text}`;
}

function clip(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_CHARS ? `${flat.slice(0, MAX_MESSAGE_CHARS - 1)}…` : flat;
}
