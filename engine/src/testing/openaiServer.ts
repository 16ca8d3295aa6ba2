import type { LlmConfig } from '../config.ts';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One scripted answer: a message (content and/or tool calls), or an HTTP error (`status` with `body`). */
export interface ScriptedReply {
  content?: string;
  toolCalls?: Array<{ name: string; arguments: string; id?: string }>;
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Reported token usage; default: estimated from the request and the reply (4 characters a token). */
  usage?: { promptTokens: number; completionTokens: number } | null;
  /** An error status instead of a completion (e.g. 429, 500); `body` is sent as JSON. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (to hit the client's timeout). */
  delayMs?: number;
  /** For streamed replies: the wait between chunks. */
  chunkDelayMs?: number;
}

export interface RecordedLlmRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The JSON body as sent. */
  body: Record<string, unknown>;
  rawBody: string;
  /** Whether it was answered as a stream (server-sent events). */
  streamed: boolean;
}

export interface OpenAiServer {
  /** The base URL to give the client, ending in /v1. */
  baseUrl: string;
  requests: RecordedLlmRequest[];
  /** Chat completions answered in order; when the queue is empty the `always` reply, or a 500. */
  enqueue(...replies: ScriptedReply[]): void;
  always(reply: ScriptedReply | undefined): void;
  /** Embedding replies (errors) answered in order; when empty, vectors made from the texts' words. */
  enqueueEmbeddings(...replies: ScriptedReply[]): void;
  chatRequests(): RecordedLlmRequest[];
  close(): Promise<void>;
}

export const EMBEDDING_DIMENSIONS = 32;

/**
 * A local server speaking the OpenAI chat-completions (JSON and server-sent-event streams) and embeddings
 * protocol, answering scripted replies and recording every request, so the LLM path is tested through the real
 * `openai` client over real HTTP.
 */
export async function startOpenAiServer(): Promise<OpenAiServer> {
  const chatQueue: ScriptedReply[] = [];
  const embeddingQueue: ScriptedReply[] = [];
  let fallback: ScriptedReply | undefined;
  const requests: RecordedLlmRequest[] = [];
  let counter = 0;

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
          body = { ...parsed };
        }
      } catch {
        // Recorded as sent; the handlers below answer 400.
      }
      const url = new URL(incoming.url ?? '/', 'http://llm');
      const path = url.pathname;
      const streamed = body['stream'] === true;
      requests.push({ path, query: url.searchParams, headers: incoming.headers, body, rawBody, streamed });
      const handle = async () => {
        if (incoming.method !== 'POST') {
          sendJson(response, 405, errorBody('method not allowed'));
        } else if (path.endsWith('/chat/completions')) {
          const reply = chatQueue.shift() ?? fallback;
          if (reply === undefined) {
            sendJson(response, 500, errorBody('no scripted reply left'));
            return;
          }
          counter += 1;
          await answerChat(response, body, reply, `chatcmpl-${counter}`, streamed);
        } else if (path.endsWith('/embeddings')) {
          await answerEmbeddings(response, body, embeddingQueue.shift());
        } else {
          sendJson(response, 404, errorBody(`no route for ${path}`));
        }
      };
      handle().catch((error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, errorBody(error instanceof Error ? error.message : String(error)));
        } else {
          response.destroy();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...replies) => chatQueue.push(...replies),
    always: (reply) => {
      fallback = reply;
    },
    enqueueEmbeddings: (...replies) => embeddingQueue.push(...replies),
    chatRequests: () => requests.filter((request) => request.path.endsWith('/chat/completions')),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      );
    },
  };
}

function errorBody(message: string, type = 'invalid_request_error') {
  return { error: { message, type, param: null, code: null } };
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Waits, unless the client went away first (a timed-out request must not keep the test waiting). */
async function delay(response: ServerResponse, ms: number | undefined): Promise<boolean> {
  if (ms === undefined || ms <= 0) {
    return !response.destroyed;
  }
  const gone = new AbortController();
  response.once('close', () => gone.abort());
  await sleep(ms, undefined, { signal: gone.signal }).catch(() => undefined);
  return !response.destroyed && !response.writableEnded && !gone.signal.aborted;
}

function estimate(text: string): number {
  return Math.ceil(text.length / 4);
}

async function answerChat(
  response: ServerResponse,
  body: Record<string, unknown>,
  reply: ScriptedReply,
  id: string,
  streamed: boolean
): Promise<void> {
  if (!(await delay(response, reply.delayMs))) {
    return;
  }
  if (reply.status !== undefined) {
    sendJson(response, reply.status, reply.body ?? errorBody(`scripted ${reply.status}`), reply.headers);
    return;
  }
  const model = typeof body['model'] === 'string' ? body['model'] : 'unknown';
  const created = Math.floor(Date.now() / 1000);
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${id}_${index}`,
    type: 'function' as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  const content = reply.content ?? null;
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const usage =
    reply.usage === null
      ? undefined
      : (reply.usage ?? {
          promptTokens: estimate(JSON.stringify(body['messages'] ?? [])),
          completionTokens: estimate((content ?? '') + JSON.stringify(toolCalls)),
        });
  const usageBody =
    usage === undefined
      ? undefined
      : {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.promptTokens + usage.completionTokens,
        };

  if (!streamed) {
    sendJson(
      response,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content,
              refusal: null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: finishReason,
            logprobs: null,
          },
        ],
        ...(usageBody === undefined ? {} : { usage: usageBody }),
      },
      reply.headers
    );
    return;
  }

  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' }, null)];
  // Content in a few pieces, tool calls as the API sends them: name first, then the arguments in parts.
  for (const piece of split(content ?? '', 3)) {
    events.push(chunk({ content: piece }, null));
  }
  toolCalls.forEach((call, index) => {
    events.push(
      chunk(
        {
          tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
        },
        null
      )
    );
    for (const piece of split(call.function.arguments, 2)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  });
  events.push(chunk({}, finishReason));
  const options = body['stream_options'];
  if (
    usageBody !== undefined &&
    typeof options === 'object' &&
    options !== null &&
    'include_usage' in options &&
    options.include_usage === true
  ) {
    events.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usageBody });
  }
  for (const event of events) {
    if (!(await delay(response, reply.chunkDelayMs))) {
      return;
    }
    response.write(`data: ${JSON.stringify(event)}\n\n`);
  }
  response.end('data: [DONE]\n\n');
}

function split(text: string, parts: number): string[] {
  if (text === '') {
    return [];
  }
  const size = Math.ceil(text.length / parts);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) {
    pieces.push(text.slice(start, start + size));
  }
  return pieces;
}

async function answerEmbeddings(
  response: ServerResponse,
  body: Record<string, unknown>,
  reply: ScriptedReply | undefined
): Promise<void> {
  if (!(await delay(response, reply?.delayMs))) {
    return;
  }
  if (reply?.status !== undefined) {
    sendJson(response, reply.status, reply.body ?? errorBody(`scripted ${reply.status}`), reply.headers);
    return;
  }
  const input = body['input'];
  const texts =
    typeof input === 'string'
      ? [input]
      : Array.isArray(input) && input.every((item) => typeof item === 'string')
        ? input
        : undefined;
  if (texts === undefined) {
    sendJson(response, 400, errorBody('input must be a string or a list of strings'));
    return;
  }
  // Listed in reverse: clients must place vectors by their index, not by position.
  const data = texts.map((text, index) => ({ object: 'embedding', index, embedding: wordVector(text) })).reverse();
  const tokens = texts.reduce((sum, text) => sum + estimate(text), 0);
  sendJson(response, 200, {
    object: 'list',
    data,
    model: body['model'],
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** A bag of words hashed into a few dimensions and normalised: texts sharing words point the same way. */
export function wordVector(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const bucket = createHash('sha256').update(word).digest().readUInt32BE(0) % EMBEDDING_DIMENSIONS;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/** An LLM configuration pointing at a test server: no retries, short timeouts, no embeddings; override what a test needs. */
export function testLlmConfig(baseUrl: string, overrides: Partial<LlmConfig> = {}): LlmConfig {
  return {
    baseUrl,
    model: 'gpt-test',
    apiKey: undefined,
    timeoutMs: 5000,
    maxRetries: 0,
    tokenBudget: 12_000,
    embeddingModel: undefined,
    apiVersion: undefined,
    ...overrides,
  };
}
