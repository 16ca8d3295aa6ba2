import { APIConnectionError, APIError, RateLimitError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmClient } from './client.ts';
import { tracedChat } from './llmSpans.ts';
import { refusesMaxTokens } from './ping.ts';
import type { TokenUsage } from './types.ts';

/** What one chat completion answered. */
export interface ChatReply {
  content: string;
  /** The model the endpoint says answered (deployments may name a version), else the configured one. */
  model: string;
  /** As the endpoint reported it; undefined when it reported none. */
  usage: TokenUsage | undefined;
  /** `length` means the reply was cut at the token limit. */
  finishReason: string | null;
}

/**
 * One non-streamed chat completion through the client (its timeout and retries apply), traced as a `chat` span
 * inside a run. Endpoints that refuse max_tokens are asked again without it. Errors are the client's own;
 * `failureReason` says them in words.
 */
export async function chatOnce(
  client: LlmClient,
  messages: ChatCompletionMessageParam[],
  options: { maxTokens?: number; signal?: AbortSignal } = {}
): Promise<ChatReply> {
  const ask = (limit: boolean) =>
    client.openai.chat.completions.create(
      {
        model: client.model,
        messages,
        ...(limit && options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
      },
      { signal: options.signal }
    );
  const call = async (): Promise<ChatReply> => {
    const completion = await ask(true).catch((error: unknown) => {
      if (options.maxTokens === undefined || !refusesMaxTokens(error)) {
        throw error;
      }
      return ask(false);
    });
    const choice = completion.choices[0];
    return {
      content: choice?.message.content ?? '',
      model: completion.model || client.model,
      usage:
        completion.usage === undefined
          ? undefined
          : { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens },
      finishReason: choice?.finish_reason ?? null,
    };
  };
  return tracedChat(client, { messages, stream: false, signal: options.signal }, call, (reply) => ({
    content: reply.content,
    toolCalls: [],
    finishReason: reply.finishReason,
    usage: reply.usage,
    model: reply.model,
    id: undefined,
    ttftMs: undefined,
  }));
}

/** Whether trying the call again later may help: unreachable, timed out, rate limited or a server error. */
export function isTransientLlmError(error: unknown): boolean {
  if (error instanceof APIConnectionError || error instanceof RateLimitError) {
    return true;
  }
  return error instanceof APIError && typeof error.status === 'number' && (error.status === 408 || error.status >= 500);
}
