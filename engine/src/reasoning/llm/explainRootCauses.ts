import { performance } from 'node:perf_hooks';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { ANSWER_SCHEMA, ANSWER_SCHEMA_NAME, parseAnswer } from './answer.ts';
import type { LlmClient } from './client.ts';
import { failureReason } from './failureReason.ts';
import { guardCauses } from './guard.ts';
import { buildPrompt, estimateTokens } from './prompt.ts';
import { MAX_CALLS_PER_ROUND, runToolCall, toolResult } from './tools.ts';
import type { ExplainOptions, LlmRcaInput, LlmRcaOutcome, TokenUsage } from './types.ts';

/** Rounds of tool calls before the model must answer. */
export const DEFAULT_MAX_TOOL_ROUNDS = 4;

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
}

type RequestParams = Omit<ChatCompletionCreateParamsNonStreaming, 'stream'>;

/**
 * Asks the LLM for the top root causes of one incident, given compressed evidence and the deterministic
 * ranking. The model may call tools for a bounded number of rounds, then must answer with JSON that the guard
 * checks: causes citing evidence or services that do not exist are dropped and counted. Every failure (time-out,
 * rate limit, HTTP error, invalid answer, budget) comes back as `ok: false` with a reason, never as an exception,
 * so the caller falls back to the deterministic ranking and says why.
 */
export async function explainRootCauses(
  client: LlmClient,
  input: LlmRcaInput,
  options: ExplainOptions = {}
): Promise<LlmRcaOutcome> {
  const tools = options.tools ?? [];
  const maxRounds = tools.length === 0 ? 0 : Math.max(0, options.maxToolCalls ?? DEFAULT_MAX_TOOL_ROUNDS);
  const toolDefinitions: ChatCompletionFunctionTool[] = tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
  const toolTokens = toolDefinitions.length === 0 ? 0 : estimateTokens(JSON.stringify(toolDefinitions));
  const built = buildPrompt(input, client.tokenBudget, toolTokens);
  if (!built.ok) {
    return { ok: false, reason: built.reason, hallucinationsDropped: 0 };
  }
  const log = options.logger?.child({ component: 'llm', incidentId: input.payload.incidentId, model: client.model });
  log?.debug(
    {
      promptTokens: built.prompt.estimatedTokens,
      evidenceShown: built.prompt.evidenceShown,
      evidenceDropped: built.prompt.evidenceDropped,
    },
    'LLM prompt built'
  );

  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: built.prompt.system },
    { role: 'user', content: built.prompt.user },
  ];
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  const calls: string[] = [];
  let ttftMs: number | undefined;
  const failed = (reason: string, hallucinationsDropped = 0): LlmRcaOutcome => {
    const safe = client.redact(reason);
    log?.warn({ reason: safe, hallucinationsDropped }, 'LLM answer not used');
    return {
      ok: false,
      reason: safe,
      hallucinationsDropped,
      usage: { ...usage },
      ...(ttftMs === undefined ? {} : { ttftMs }),
      ...(calls.length === 0 ? {} : { toolCalls: calls }),
    };
  };

  try {
    for (let round = 0; ; round++) {
      if (options.signal?.aborted === true) {
        return failed('LLM call aborted');
      }
      // Later rounds resend the whole conversation: check it fits what is left of the budget before paying.
      if (round > 0) {
        const next = estimateTokens(JSON.stringify(messages)) + toolTokens;
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
          json_schema: { name: ANSWER_SCHEMA_NAME, strict: true, schema: ANSWER_SCHEMA },
        },
        // On the last round the tools stay declared (the history holds tool calls) but may not be called.
        ...(toolDefinitions.length === 0
          ? {}
          : { tools: toolDefinitions, tool_choice: last ? ('none' as const) : ('auto' as const) }),
      };
      const completion =
        options.stream === true
          ? await streamed(client, params, options.signal)
          : await plain(client, params, options.signal);
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
          calls.push(call.name);
          const result =
            index < MAX_CALLS_PER_ROUND
              ? await runToolCall(tools, call.name, call.arguments, options.signal)
              : toolResult(
                  { error: `at most ${MAX_CALLS_PER_ROUND} tool calls per round; ask again in the next round` },
                  false
                );
          messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
        }
        continue;
      }

      if (completion.finishReason === 'length') {
        return failed('LLM answer was cut off at the output token limit before the JSON was complete');
      }
      const parsed = parseAnswer(completion.content);
      if (!parsed.ok) {
        return failed(parsed.reason);
      }
      const guarded = guardCauses(parsed.answer.causes, input);
      if (guarded.hallucinationsDropped > 0) {
        log?.info({ dropped: guarded.dropped }, 'LLM causes dropped by the guard');
      }
      if (guarded.causes.length === 0) {
        const reason =
          guarded.hallucinationsDropped === 0
            ? 'LLM answered with no causes'
            : guarded.dropped.every((drop) => drop.reason.startsWith('unknown service'))
              ? 'every cause named an unknown service'
              : 'every cause cited unknown evidence';
        return failed(reason, guarded.hallucinationsDropped);
      }
      return {
        ok: true,
        causes: guarded.causes,
        hallucinationsDropped: guarded.hallucinationsDropped,
        model: client.model,
        usage: { ...usage },
        ...(ttftMs === undefined ? {} : { ttftMs }),
        ...(calls.length === 0 ? {} : { toolCalls: calls }),
      };
    }
  } catch (error) {
    return failed(failureReason(error, client, options.signal));
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
  const toolCalls = new Map<number, ToolCallRequest>();
  for await (const chunk of stream) {
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
  };
}
