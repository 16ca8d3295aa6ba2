import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentRunRecord, agentSpanRecord } from '../testing/agentRuns.ts';
import type { AgentRunRecord, AgentSpanRecord } from './agentRuns/agentRun.ts';
import { OTHER_MODEL, costUsd, observeRun } from './aiMetrics.ts';
import { createMetrics } from './metrics.ts';

const run = (overrides: Partial<AgentRunRecord> = {}): AgentRunRecord =>
  agentRunRecord({
    durationMs: 2500,
    model: 'gpt-4o-mini',
    inputTokens: 3000,
    outputTokens: 500,
    ttftMs: 420,
    retrievalHit: true,
    citations: 5,
    citationsDropped: 1,
    ...overrides,
  });

const llmSpan = (durationMs: number, attributes: AgentSpanRecord['attributes']): AgentSpanRecord =>
  agentSpanRecord('run', { durationMs, attributes });

/** One sample's value from the registry's JSON, or undefined when the series does not exist. */
async function sample(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string>
): Promise<number | undefined> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = metrics.registry.getSingleMetric(metrics.registry.getSingleMetric(name) === undefined ? base : name);
  assert.ok(metric !== undefined, `${base} is registered`);
  const { values } = await metric.get();
  const found = values.find(
    (value) =>
      ('metricName' in value && typeof value.metricName === 'string' ? value.metricName : name) === name &&
      Object.keys(labels).length === Object.keys(value.labels).length &&
      Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected)
  );
  return found?.value;
}

describe('observeRun', () => {
  const models = new Set(['gpt-4o-mini']);

  it('counts the run, its duration, first token, retrieval and citations', async () => {
    const metrics = createMetrics();
    observeRun(metrics.ai, run(), { models });
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'analyze', status: 'ok' }), 1);
    assert.equal(
      await sample(metrics, 'intelops_agent_run_duration_seconds_count', { kind: 'analyze', status: 'ok' }),
      1
    );
    assert.equal(
      await sample(metrics, 'intelops_agent_run_duration_seconds_sum', { kind: 'analyze', status: 'ok' }),
      2.5
    );
    assert.equal(await sample(metrics, 'intelops_llm_time_to_first_token_seconds_sum', { model: 'gpt-4o-mini' }), 0.42);
    assert.equal(await sample(metrics, 'intelops_retrieval_queries_total', { hit: 'true' }), 1);
    assert.equal(await sample(metrics, 'intelops_llm_citations_total', { outcome: 'kept' }), 4);
    assert.equal(await sample(metrics, 'intelops_llm_citations_total', { outcome: 'dropped' }), 1);
    assert.equal(
      await sample(metrics, 'intelops_llm_cost_usd_total', { model: 'gpt-4o-mini' }),
      undefined,
      'no price, no cost'
    );
  });

  it('observes each LLM span as one GenAI operation with its input and output tokens', async () => {
    const metrics = createMetrics();
    const spans = [
      llmSpan(800, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 2000,
        'gen_ai.usage.output_tokens': 100,
      }),
      llmSpan(1200, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 400,
      }),
      { ...llmSpan(50, {}), kind: 'tool' as const, name: 'get_service' },
    ];
    observeRun(metrics.ai, run(), { models, spans });
    const model = { gen_ai_request_model: 'gpt-4o-mini' };
    assert.equal(
      await sample(metrics, 'gen_ai_client_operation_duration_seconds_count', {
        gen_ai_operation_name: 'chat',
        ...model,
      }),
      2,
      'the tool span is not an LLM call'
    );
    assert.equal(
      await sample(metrics, 'gen_ai_client_operation_duration_seconds_sum', {
        gen_ai_operation_name: 'chat',
        ...model,
      }),
      2
    );
    assert.equal(
      await sample(metrics, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'input', ...model }),
      3000
    );
    assert.equal(
      await sample(metrics, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'output', ...model }),
      500
    );
    assert.equal(
      await sample(metrics, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'output', ...model }),
      2
    );
  });

  it('labels models the settings do not name, and unknown operations, as other', async () => {
    const metrics = createMetrics();
    const spans = [llmSpan(300, { 'gen_ai.operation.name': 'summon', 'gen_ai.request.model': 'some-fine-tune-7f3a' })];
    observeRun(metrics.ai, run({ model: 'some-fine-tune-7f3a' }), { models, spans });
    assert.equal(await sample(metrics, 'intelops_llm_time_to_first_token_seconds_count', { model: OTHER_MODEL }), 1);
    assert.equal(
      await sample(metrics, 'gen_ai_client_operation_duration_seconds_count', {
        gen_ai_operation_name: 'other',
        gen_ai_request_model: OTHER_MODEL,
      }),
      1
    );
    const text = await metrics.registry.metrics();
    assert.ok(!text.includes('some-fine-tune-7f3a'), 'the unknown model name never becomes a label value');
  });

  it('adds the estimated cost from the prices, or the cost the run was stored with', async () => {
    const metrics = createMetrics();
    const prices = { 'gpt-4o-mini': { input: 0.15, output: 0.6 } };
    observeRun(metrics.ai, run(), { models, prices });
    const expected = (3000 * 0.15 + 500 * 0.6) / 1e6;
    const first = (await sample(metrics, 'intelops_llm_cost_usd_total', { model: 'gpt-4o-mini' })) ?? 0;
    assert.ok(Math.abs(first - expected) < 1e-12, `${first}`);
    observeRun(metrics.ai, run({ costUsd: 0.5 }), { models, prices });
    const total = (await sample(metrics, 'intelops_llm_cost_usd_total', { model: 'gpt-4o-mini' })) ?? 0;
    assert.ok(Math.abs(total - (expected + 0.5)) < 1e-12, `${total}`);
  });

  it('counts failed runs by status, and skips runs still running', async () => {
    const metrics = createMetrics();
    observeRun(
      metrics.ai,
      run({ kind: 'ask', status: 'error', error: 'LLM timed out', retrievalHit: false, ttftMs: null }),
      { models }
    );
    observeRun(metrics.ai, run({ status: 'running', durationMs: null }), { models });
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'ask', status: 'error' }), 1);
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'analyze', status: 'running' }), undefined);
    assert.equal(await sample(metrics, 'intelops_retrieval_queries_total', { hit: 'false' }), 1);
    assert.equal(
      await sample(metrics, 'intelops_llm_time_to_first_token_seconds_count', { model: 'gpt-4o-mini' }),
      undefined
    );
  });

  it('graph analyses without an LLM count the run and nothing of the LLM', async () => {
    const metrics = createMetrics();
    observeRun(
      metrics.ai,
      run({
        method: 'graph',
        model: null,
        llmCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        ttftMs: null,
        citations: 0,
        citationsDropped: 0,
      }),
      { models, prices: { 'gpt-4o-mini': { input: 1, output: 1 } } }
    );
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'analyze', status: 'ok' }), 1);
    const text = await metrics.registry.metrics();
    assert.ok(!/^intelops_llm_(citations|cost_usd)_total\{/m.test(text), text);
  });
});

describe('costUsd', () => {
  it('prices input and output tokens per million, and leaves unpriced models out', () => {
    const prices = { 'gpt-4o-mini': { input: 0.15, output: 0.6 } };
    assert.equal(costUsd({ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 1_000_000 }, prices), 0.75);
    assert.equal(costUsd({ model: 'gpt-4o', inputTokens: 10, outputTokens: 10 }, prices), undefined);
    assert.equal(costUsd({ model: null, inputTokens: 10, outputTokens: 10 }, prices), undefined);
    assert.equal(costUsd({ model: 'gpt-4o-mini', inputTokens: 10, outputTokens: 10 }, undefined), undefined);
  });
});
