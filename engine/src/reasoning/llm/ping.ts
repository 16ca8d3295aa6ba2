import { BadRequestError } from 'openai';
import type { LlmClient } from './client.ts';
import { failureReason } from './failureReason.ts';

/** What one tiny chat completion came to: the endpoint answered (with its reply), or why it did not. */
export type LlmPing =
  | { ok: true; model: string; latencyMs: number; reply: string }
  | { ok: false; model: string; latencyMs: number; error: string };

/** The reply is shown next to a button: a few words are enough to see the model answered. */
export const MAX_REPLY_CHARS = 200;

const PROMPT = 'Reply with OK.';
// Enough for "OK" in any tokenizer; small, so a test costs next to nothing.
const MAX_TOKENS = 16;

/**
 * Sends one tiny chat completion through the client (its timeout and retries apply) and times it. Endpoints that
 * refuse max_tokens (newer OpenAI models want max_completion_tokens) are asked again without it.
 */
export async function pingLlm(client: LlmClient, signal?: AbortSignal): Promise<LlmPing> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const ask = (limit: boolean) =>
    client.openai.chat.completions.create(
      {
        model: client.model,
        messages: [{ role: 'user', content: PROMPT }],
        ...(limit ? { max_tokens: MAX_TOKENS } : {}),
      },
      { signal }
    );
  try {
    const completion = await ask(true).catch((error: unknown) => {
      if (!refusesMaxTokens(error)) {
        throw error;
      }
      return ask(false);
    });
    const content = completion.choices[0]?.message.content ?? '';
    return { ok: true, model: client.model, latencyMs: elapsed(), reply: clip(client.redact(content.trim())) };
  } catch (error) {
    return { ok: false, model: client.model, latencyMs: elapsed(), error: failureReason(error, client, signal) };
  }
}

/** Whether an endpoint refused max_tokens (newer OpenAI models want max_completion_tokens). */
export function refusesMaxTokens(error: unknown): boolean {
  return error instanceof BadRequestError && (error.param === 'max_tokens' || /max_tokens/.test(error.message));
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_REPLY_CHARS ? `${flat.slice(0, MAX_REPLY_CHARS - 1)}…` : flat;
}
