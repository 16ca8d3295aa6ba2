import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { INTELOPS } from '../../observability/tracing/conventions.ts';
import { currentRun } from '../../observability/tracing/spans.ts';
import { ANSWER_SCHEMA, ANSWER_SCHEMA_NAME, parseAnswer } from './answer.ts';
import type { LlmClient } from './client.ts';
import { guardCauses } from './guard.ts';
import { buildPrompt } from './prompt.ts';
import { declareTools, loopCost, runToolLoop } from './toolLoop.ts';
import type { ExplainOptions, LlmRcaInput, LlmRcaOutcome } from './types.ts';

export { DEFAULT_MAX_TOOL_ROUNDS } from './toolLoop.ts';

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
  const declared = declareTools(options.tools ?? []);
  const built = buildPrompt(input, client.tokenBudget, declared.tokens);
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
  const loop = await runToolLoop(client, messages, {
    declared,
    maxRounds: options.maxToolCalls,
    schema: { name: ANSWER_SCHEMA_NAME, schema: ANSWER_SCHEMA },
    stream: options.stream,
    signal: options.signal,
    log,
  });
  const failed = (reason: string, hallucinationsDropped = 0): LlmRcaOutcome => {
    const safe = client.redact(reason);
    log?.warn({ reason: safe, hallucinationsDropped }, 'LLM answer not used');
    return { ok: false, reason: safe, hallucinationsDropped, ...loopCost(loop) };
  };
  if (!loop.ok) {
    return failed(loop.reason);
  }
  const parsed = parseAnswer(loop.content);
  if (!parsed.ok) {
    return failed(parsed.reason);
  }
  const guarded = guardCauses(parsed.answer.causes, input);
  // The run's hallucination figures: every cause the model put forward was a claim the guard checked.
  currentRun().set({
    [INTELOPS.citations]: parsed.answer.causes.length,
    [INTELOPS.citationsDropped]: guarded.hallucinationsDropped,
  });
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
    ...loopCost(loop),
  };
}
