import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { EngineLogger } from '../observability/logger.ts';
import type { LlmClient } from '../reasoning/llm/client.ts';
import { declareTools, runToolLoop } from '../reasoning/llm/toolLoop.ts';
import type { TokenUsage } from '../reasoning/llm/types.ts';
import { JUDGE_SCHEMA, JUDGE_SCHEMA_NAME, parseJudgeAnswer } from './judgeAnswer.ts';
import type { JudgeAnswer } from './judgeAnswer.ts';
import { buildJudgePrompt } from './judgePrompt.ts';
import type { JudgeInput } from './judgePrompt.ts';

export type JudgeOutcome =
  | { ok: true; answer: JudgeAnswer; model: string; usage: TokenUsage }
  | { ok: false; outcome: 'llm_failed' | 'invalid_answer'; reason: string };

const NO_TOOLS = declareTools([]);

/**
 * Asks the LLM, as a judge, how faithful an analysis's explanations are to the evidence they cite. Every failure
 * (prompt over budget, time-out, HTTP error, an answer off its schema) comes back as `ok: false` with a reason in
 * which the API key never appears.
 */
export async function judgeFaithfulness(
  client: LlmClient,
  input: JudgeInput,
  options: { signal?: AbortSignal; logger?: EngineLogger } = {}
): Promise<JudgeOutcome> {
  const prompt = buildJudgePrompt(input, client.tokenBudget);
  if (!prompt.ok) {
    return { ok: false, outcome: 'llm_failed', reason: prompt.reason };
  }
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
  ];
  const log = options.logger?.child({ component: 'llm-judge', incidentId: input.incidentId, model: client.model });
  const loop = await runToolLoop(client, messages, {
    declared: NO_TOOLS,
    schema: { name: JUDGE_SCHEMA_NAME, schema: JUDGE_SCHEMA },
    signal: options.signal,
    log,
  });
  if (!loop.ok) {
    return { ok: false, outcome: 'llm_failed', reason: client.redact(loop.reason) };
  }
  const parsed = parseJudgeAnswer(loop.content);
  if (!parsed.ok) {
    return { ok: false, outcome: 'invalid_answer', reason: client.redact(parsed.reason) };
  }
  return { ok: true, answer: parsed.answer, model: client.model, usage: loop.usage };
}
