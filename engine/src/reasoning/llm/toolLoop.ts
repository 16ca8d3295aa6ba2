import { performance } from 'node:perf_hooks';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { EngineLogger } from '../../observability/logger.ts';
import { GEN_AI, GEN_AI_OPERATION } from '../../observability/tracing/conventions.ts';
import { traceStep } from '../../observability/tracing/spans.ts';
import type { LlmClient } from './client.ts';
import { failureReason } from './failureReason.ts';
import { tracedChat } from './llmSpans.ts';
import { estimateTokens } from './prompt.ts';
import { MAX_CALLS_PER_ROUND, runToolCall, toolResult } from './tools.ts';
import type { LlmTool, TokenUsage } from './types.ts';

/** Rounds of tool calls before the model must answer. */
export const DEFAULT_MAX_TOOL_ROUNDS = 4;

/** The tools as the API declares them, and what declaring them costs in prompt tokens. */
export interface DeclaredTools {
  tools: readonly LlmTool[];
  definitions: ChatCompletionFunctionTool[];
  tokens: number;
}

export function declareTools(tools: readonly LlmTool[]): DeclaredTools {
  const definitions: ChatCompletionFunctionTool[] = tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  return { tools, definitions, tokens: definitions.length === 0 ? 0 : estimateTokens(JSON.stringify(definitions)) };
}

export interface ToolLoopOptions {
  declared: DeclaredTools;
  /** Rounds of tool calls before the model must answer (default 4); none when no tools are declared. */
  maxRounds?: number | undefined;
  /** The structured output the final answer must follow. */
  schema: { name: string; schema: Record<string, unknown> };
  stream?: boolean | undefined;
  signal?: AbortSignal | undefined;
  log?: EngineLogger | undefined;
}

/** What the loop did: the final content (not yet parsed) or why there is none, with the cost either way. */
export type ToolLoopOutcome = {
  usage: TokenUsage;
  ttftMs: number | undefined;
  /** Tool calls the model made, in order. */
  toolCalls: string[];
} & ({ ok: true; content: string } | { ok: false; reason: string });

/** Usage, time to first token and tool calls as outcomes carry them: the optional ones only when there are some. */
export function loopCost(loop: ToolLoopOutcome): { usage: TokenUsage; ttftMs?: number; toolCalls?: string[] } {
  return {
    usage: { ...loop.usage },
    ...(loop.ttftMs === undefined ? {} : { ttftMs: loop.ttftMs }),
    ...(loop.toolCalls.length === 0 ? {} : { toolCalls: [...loop.toolCalls] }),
  };
}

interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/** One completion, streamed or not, reduced to what the loop needs. */
interface Completion {
  content: string;
  toolCalls: ToolCallRequest[];
  finishReason: string | undefined;
  usage: TokenUsage | undefined;
  ttftMs: number | undefined;
  /** The model and response id the endpoint answered with. */
  model: string | undefined;
  id: string | undefined;
}

type RequestParams = Omit<ChatCompletionCreateParamsNonStreaming, 'stream'>;

/**
 * Runs a conversation to its final answer: the model may call the declared tools for a bounded number of rounds
 * (at most MAX_CALLS_PER_ROUND calls answered per round), each later round checked against the token budget before
 * it is sent. Every failure (abort, budget, time-out, HTTP error, a cut-off answer) comes back as `ok: false` with a
 * reason, never as an exception. `messages` grows with the tool calls and their results.
 */
export async function runToolLoop(
  client: LlmClient,
  messages: ChatCompletionMessageParam[],
  options: ToolLoopOptions
): Promise<ToolLoopOutcome> {
  const { declared, signal, log } = options;
  const maxRounds = declared.tools.length === 0 ? 0 : Math.max(0, options.maxRounds ?? DEFAULT_MAX_TOOL_ROUNDS);
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  const toolCalls: string[] = [];
  let ttftMs: number | undefined;
  const failed = (reason: string): ToolLoopOutcome => ({ ok: false, reason, usage, ttftMs, toolCalls });
  // Messages an earlier round's span already showed: each round's span shows only what is new.
  let shown = 0;

  try {
    for (let round = 0; ; round++) {
      if (signal?.aborted === true) {
        return failed('LLM call aborted');
      }
      // Later rounds resend the whole conversation: check it fits what is left of the budget before paying.
      if (round > 0) {
        const next = estimateTokens(JSON.stringify(messages)) + declared.tokens;
        const spent = usage.promptTokens + usage.completionTokens;
        if (spent + next > client.tokenBudget) {
          return failed(
            `LLM token budget exceeded: ${spent} tokens spent in ${round} round(s), the next needs about ${next}, budget ${client.tokenBudget}`
          );
        }
      }
      const last = round >= maxRounds;
      const params: RequestParams = {
        model: client.model,
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: options.schema.name, strict: true, schema: options.schema.schema },
        },
        // On the last round the tools stay declared (the history holds tool calls) but may not be called.
        ...(declared.definitions.length === 0
          ? {}
          : { tools: declared.definitions, tool_choice: last ? ('none' as const) : ('auto' as const) }),
      };
      const stream = options.stream === true;
      const completion = await tracedChat(
        client,
        { messages, omitted: shown, stream, signal },
        () => (stream ? streamed(client, params, signal) : plain(client, params, signal)),
        (reply) => reply
      );
      shown = messages.length;
      usage.promptTokens += completion.usage?.promptTokens ?? estimateTokens(JSON.stringify(messages));
      usage.completionTokens +=
        completion.usage?.completionTokens ?? estimateTokens(completion.content + JSON.stringify(completion.toolCalls));
      ttftMs ??= completion.ttftMs;
      log?.debug(
        {
          round,
          finishReason: completion.finishReason,
          toolCalls: completion.toolCalls.map((call) => call.name),
          usage,
        },
        'LLM round done'
      );

      if (completion.toolCalls.length > 0) {
        if (last) {
          return failed(
            maxRounds === 0
              ? 'LLM asked for tools although none were offered'
              : `LLM kept calling tools after ${maxRounds} rounds instead of answering`
          );
        }
        messages.push({
          role: 'assistant',
          content: completion.content === '' ? null : completion.content,
          tool_calls: completion.toolCalls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
        });
        // Every call gets an answer (the API requires one per id); those over the per-round cap get an error.
        for (const [index, call] of completion.toolCalls.entries()) {
          toolCalls.push(call.name);
          const result = await traceStep(
            `${GEN_AI_OPERATION.executeTool} ${call.name}`,
            'tool',
            {
              [GEN_AI.operationName]: GEN_AI_OPERATION.executeTool,
              [GEN_AI.toolName]: call.name,
              [GEN_AI.toolType]: 'function',
              [GEN_AI.toolCallId]: call.id,
              [GEN_AI.toolCallArguments]: client.redact(call.arguments),
            },
            async (span) => {
              const answered =
                index < MAX_CALLS_PER_ROUND
                  ? await runToolCall(declared.tools, call.name, call.arguments, signal)
                  : toolResult(
                      { error: `at most ${MAX_CALLS_PER_ROUND} tool calls per round; ask again in the next round` },
                      false
                    );
              span.set({ [GEN_AI.toolCallResult]: client.redact(answered.content) });
              if (!answered.ok) {
                span.fail(`tool ${call.name} answered with an error`);
              }
              return answered;
            }
          );
          messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
        }
        continue;
      }

      if (completion.finishReason === 'length') {
        return failed('LLM answer was cut off at the output token limit before the JSON was complete');
      }
      return { ok: true, content: completion.content, usage, ttftMs, toolCalls };
    }
  } catch (error) {
    return failed(failureReason(error, client, signal));
  }
}

async function plain(client: LlmClient, params: RequestParams, signal: AbortSignal | undefined): Promise<Completion> {
  const response = await client.openai.chat.completions.create({ ...params, stream: false }, { signal });
  const choice = response.choices[0];
  const toolCalls: ToolCallRequest[] = [];
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type === 'function') {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  return {
    content: choice?.message.content ?? '',
    toolCalls,
    finishReason: choice?.finish_reason,
    usage:
      response.usage === undefined
        ? undefined
        : { promptTokens: response.usage.prompt_tokens, completionTokens: response.usage.completion_tokens },
    ttftMs: undefined,
    model: response.model || undefined,
    id: response.id || undefined,
  };
}

/** A streamed completion: content and tool-call deltas accumulated, usage from the final chunk when sent. */
async function streamed(
  client: LlmClient,
  params: RequestParams,
  signal: AbortSignal | undefined
): Promise<Completion> {
  const started = performance.now();
  const stream = await client.openai.chat.completions.create(
    { ...params, stream: true, stream_options: { include_usage: true } },
    { signal }
  );
  let content = '';
  let finishReason: string | undefined;
  let usage: TokenUsage | undefined;
  let ttftMs: number | undefined;
  let model: string | undefined;
  let id: string | undefined;
  const toolCalls = new Map<number, ToolCallRequest>();
  for await (const chunk of stream) {
    model ||= chunk.model || undefined;
    id ||= chunk.id || undefined;
    if (chunk.usage !== undefined && chunk.usage !== null) {
      usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
    }
    const choice = chunk.choices[0];
    if (choice === undefined) {
      continue;
    }
    const { delta } = choice;
    if (ttftMs === undefined && ((delta.content ?? '') !== '' || (delta.tool_calls?.length ?? 0) > 0)) {
      ttftMs = Math.round(performance.now() - started);
    }
    content += delta.content ?? '';
    for (const part of delta.tool_calls ?? []) {
      const call = toolCalls.get(part.index) ?? { id: '', name: '', arguments: '' };
      call.id = part.id ?? call.id;
      call.name += part.function?.name ?? '';
      call.arguments += part.function?.arguments ?? '';
      toolCalls.set(part.index, call);
    }
    finishReason = choice.finish_reason ?? finishReason;
  }
  return {
    content,
    toolCalls: [...toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
    finishReason,
    usage,
    ttftMs,
    model,
    id,
  };
}
