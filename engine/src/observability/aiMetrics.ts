import type { AgentRunRecord, AgentSpanRecord } from './agentRuns/agentRun.ts';
import type { AiMetrics } from './metrics.ts';
import type { ModelPrice } from '../settings/evalsSettings.ts';
import { GEN_AI } from './tracing/conventions.ts';

/** gen_ai.operation.name values the conventions define; anything else is counted as "other". */
const GEN_AI_OPERATIONS = new Set([
  'chat',
  'create_agent',
  'embeddings',
  'execute_tool',
  'generate_content',
  'invoke_agent',
  'invoke_workflow',
  'retrieval',
  'text_completion',
]);

/** The model label for series not named by the settings or configuration: keeps cardinality bounded. */
export const OTHER_MODEL = 'other';

export interface ObserveOptions {
  /** The run's spans: each LLM span gives one GenAI operation duration and its token usage. */
  spans?: readonly AgentSpanRecord[];
  /** The models the settings and configuration name: the only model label values besides "other". */
  models?: ReadonlySet<string>;
  /** Prices per million tokens, for runs stored without a cost. */
  prices?: Readonly<Record<string, ModelPrice>> | undefined;
}

/**
 * Turns one recorded agent run (and its spans) into Prometheus metrics. Called once per run after it is stored,
 * so the metrics count exactly what the runs list shows. Runs still running are not counted.
 */
export function observeRun(metrics: AiMetrics, run: AgentRunRecord, options: ObserveOptions = {}): void {
  if (run.status === 'running') {
    return;
  }
  const models = options.models ?? new Set<string>();
  const label = (model: string | null | undefined) =>
    model !== null && model !== undefined && models.has(model) ? model : OTHER_MODEL;
  const runLabels = { kind: run.kind, status: run.status };
  metrics.runs.inc(runLabels);
  if (run.durationMs !== null) {
    metrics.runDuration.observe(runLabels, run.durationMs / 1000);
  }
  if (run.ttftMs !== null) {
    metrics.timeToFirstToken.observe({ model: label(run.model) }, run.ttftMs / 1000);
  }
  const cost = run.costUsd ?? costUsd(run, options.prices);
  if (cost !== undefined && cost > 0) {
    metrics.costUsd.inc({ model: label(run.model) }, cost);
  }
  if (run.retrievalHit !== null) {
    metrics.retrievals.inc({ hit: String(run.retrievalHit) });
  }
  const dropped = Math.max(0, run.citationsDropped);
  const kept = Math.max(0, run.citations - dropped);
  if (kept > 0) {
    metrics.citations.inc({ outcome: 'kept' }, kept);
  }
  if (dropped > 0) {
    metrics.citations.inc({ outcome: 'dropped' }, dropped);
  }
  for (const span of options.spans ?? []) {
    if (span.kind === 'llm') {
      observeLlmCall(metrics, span, label(stringAttribute(span, GEN_AI.requestModel) ?? run.model));
    }
  }
}

function observeLlmCall(metrics: AiMetrics, span: AgentSpanRecord, model: string): void {
  const operation = stringAttribute(span, GEN_AI.operationName) ?? 'chat';
  metrics.operationDuration.observe(
    { gen_ai_operation_name: GEN_AI_OPERATIONS.has(operation) ? operation : 'other', gen_ai_request_model: model },
    span.durationMs / 1000
  );
  const input = numberAttribute(span, GEN_AI.inputTokens);
  if (input !== undefined) {
    metrics.tokenUsage.observe({ gen_ai_token_type: 'input', gen_ai_request_model: model }, input);
  }
  const output = numberAttribute(span, GEN_AI.outputTokens);
  if (output !== undefined) {
    metrics.tokenUsage.observe({ gen_ai_token_type: 'output', gen_ai_request_model: model }, output);
  }
}

/** The run's cost from the prices per million tokens, or undefined when its model has no price. */
export function costUsd(
  run: Pick<AgentRunRecord, 'model' | 'inputTokens' | 'outputTokens'>,
  prices: Readonly<Record<string, ModelPrice>> | undefined
): number | undefined {
  const price = run.model === null ? undefined : prices?.[run.model];
  if (price === undefined) {
    return undefined;
  }
  return (run.inputTokens * price.input + run.outputTokens * price.output) / 1_000_000;
}

function stringAttribute(span: AgentSpanRecord, name: string): string | undefined {
  const value = span.attributes[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberAttribute(span: AgentSpanRecord, name: string): number | undefined {
  const value = span.attributes[name];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
