import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  GEN_AI,
  GEN_AI_INFERENCE_DETAILS_EVENT,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER_OPENAI,
  INTELOPS,
  SERVER_ADDRESS,
} from '../../observability/tracing/conventions.ts';
import { traceStep } from '../../observability/tracing/spans.ts';
import type { TraceSpan } from '../../observability/tracing/spans.ts';
import type { LlmClient } from './client.ts';
import { failureReason } from './failureReason.ts';
import type { TokenUsage } from './types.ts';

/** What one chat completion came back with, as its span records it. */
export interface ChatCallResult {
  content: string;
  toolCalls: ReadonlyArray<{ id: string; name: string; arguments: string }>;
  finishReason: string | null | undefined;
  usage: TokenUsage | undefined;
  /** The model the endpoint says answered. */
  model: string | undefined;
  id: string | undefined;
  ttftMs: number | undefined;
}

export interface ChatCallRequest {
  /** The messages sent; those before `omitted` were shown in an earlier call's event and are left out of this one's. */
  messages: readonly ChatCompletionMessageParam[];
  omitted?: number;
  stream: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * One LLM call as a `chat <model>` span (OpenTelemetry GenAI conventions): model, provider, tokens, finish reason,
 * time to first token, and the prompt and completion as one gen_ai.client.inference.operation.details event, the
 * API key scrubbed by the client and the engine's secrets by the tracing. A failed call fails the span with its
 * reason (the key scrubbed) and is rethrown as it was.
 */
export function tracedChat<T>(
  client: LlmClient,
  request: ChatCallRequest,
  call: () => Promise<T>,
  read: (result: T) => ChatCallResult
): Promise<T> {
  return traceStep(
    `${GEN_AI_OPERATION.chat} ${client.model}`,
    'llm',
    requestAttributes(client, request.stream),
    async (span) => {
      let result: T;
      try {
        result = await call();
      } catch (error) {
        span.fail(failureReason(error, client, request.signal));
        if (span.recording) {
          recordMessages(span, client, request, undefined);
        }
        throw error;
      }
      if (span.recording) {
        const reply = read(result);
        span.set({
          [GEN_AI.responseModel]: reply.model,
          [GEN_AI.responseId]: reply.id,
          [GEN_AI.inputTokens]: reply.usage?.promptTokens,
          [GEN_AI.outputTokens]: reply.usage?.completionTokens,
          [GEN_AI.finishReasons]:
            reply.finishReason === null || reply.finishReason === undefined ? undefined : [reply.finishReason],
          [INTELOPS.ttftMs]: reply.ttftMs,
          [GEN_AI.timeToFirstChunk]: reply.ttftMs === undefined ? undefined : reply.ttftMs / 1000,
        });
        recordMessages(span, client, request, reply);
      }
      return result;
    }
  );
}

function requestAttributes(client: LlmClient, stream: boolean) {
  return {
    [GEN_AI.operationName]: GEN_AI_OPERATION.chat,
    [GEN_AI.providerName]: GEN_AI_PROVIDER_OPENAI,
    [GEN_AI.system]: GEN_AI_PROVIDER_OPENAI,
    [GEN_AI.requestModel]: client.model,
    [GEN_AI.requestStream]: stream,
    [SERVER_ADDRESS]: hostOf(client.openai.baseURL),
  };
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function recordMessages(
  span: TraceSpan,
  client: LlmClient,
  request: ChatCallRequest,
  reply: ChatCallResult | undefined
): void {
  const omitted = request.omitted ?? 0;
  const shown = request.messages.slice(omitted);
  const system = shown.filter((message) => message.role === 'system' || message.role === 'developer');
  const input = shown.filter((message) => message.role !== 'system' && message.role !== 'developer');
  span.event(GEN_AI_INFERENCE_DETAILS_EVENT, {
    [GEN_AI.systemInstructions]:
      system.length === 0
        ? undefined
        : client.redact(JSON.stringify(system.map((message) => ({ type: 'text', content: textOf(message.content) })))),
    [GEN_AI.inputMessages]: client.redact(JSON.stringify(input.map(inputMessage))),
    [GEN_AI.outputMessages]: reply === undefined ? undefined : client.redact(JSON.stringify([outputMessage(reply)])),
    [INTELOPS.inputMessagesOmitted]: omitted > 0 ? omitted : undefined,
  });
}

type ContentParts = ChatCompletionMessageParam['content'];

/** A message's text: parts that are not text are named by their type. */
function textOf(content: ContentParts): string {
  if (content === null || content === undefined) {
    return '';
  }
  if (typeof content === 'string') {
    return content;
  }
  return content.map((part) => ('text' in part ? part.text : `[${part.type}]`)).join('');
}

/** JSON arguments as an object, as the conventions want them; as sent when they do not parse. */
function argumentsOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A message in the conventions' input schema: {role, parts: [text | tool_call | tool_call_response]}. */
function inputMessage(message: ChatCompletionMessageParam): Record<string, unknown> {
  if (message.role === 'tool') {
    return {
      role: 'tool',
      parts: [{ type: 'tool_call_response', id: message.tool_call_id, result: textOf(message.content) }],
    };
  }
  const parts: Array<Record<string, unknown>> = [];
  const text = textOf(message.content);
  if (text !== '') {
    parts.push({ type: 'text', content: text });
  }
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      if (call.type === 'function') {
        parts.push({
          type: 'tool_call',
          id: call.id,
          name: call.function.name,
          arguments: argumentsOf(call.function.arguments),
        });
      }
    }
  }
  return { role: message.role, parts };
}

function outputMessage(reply: ChatCallResult): Record<string, unknown> {
  return {
    role: 'assistant',
    parts: [
      ...(reply.content === '' ? [] : [{ type: 'text', content: reply.content }]),
      ...reply.toolCalls.map((call) => ({
        type: 'tool_call',
        id: call.id,
        name: call.name,
        arguments: argumentsOf(call.arguments),
      })),
    ],
    finish_reason: reply.finishReason ?? null,
  };
}
