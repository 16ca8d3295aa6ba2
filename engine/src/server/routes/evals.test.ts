import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { OnlineEvals } from '../../evals/onlineEvals.ts';
import type { AgentRunRecord } from '../../observability/agentRuns/agentRun.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { createLlmClient } from '../../reasoning/llm/client.ts';
import type { LlmChoice } from '../../reasoning/llm/llmFromSettings.ts';
import type { RcaResult, SemanticPayload } from '../../reasoning/rootCause.ts';
import { saveRca } from '../../store/rca.ts';
import { saveSettings } from '../../store/settings.ts';
import { agentRunRecord, insertRuns } from '../../testing/agentRuns.ts';
import { captureLogs } from '../../testing/logs.ts';
import { startOpenAiServer, testLlmConfig } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { compileBodyValidator, createValidatorCompiler } from '../validation.ts';
import { EvalsSchema, evalsRoutes } from './evals.ts';

const store = sharedPgliteStore();
const NOW = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;

/** A good LLM analysis an hour ago, retrieval and citations included. */
const run = (overrides: Partial<AgentRunRecord> = {}): AgentRunRecord =>
  agentRunRecord({
    startedAt: new Date(NOW.getTime() - HOUR),
    durationMs: 1500,
    inputTokens: 900,
    outputTokens: 100,
    costUsd: 0.0002,
    ttftMs: 350,
    retrieval: { query: 'checkout latency', hits: [{ id: 'rb-1', title: 'Checkout', score: 0.7 }] },
    retrievalHit: true,
    citations: 4,
    ...overrides,
  });

describe('GET /api/v1/evals and POST /api/v1/runs/{id}/judge', () => {
  let app: FastifyInstance;
  let llm: OpenAiServer;
  let choice: LlmChoice;
  const valid = compileBodyValidator(EvalsSchema);

  before(async () => {
    llm = await startOpenAiServer();
    const evals = new OnlineEvals({
      store: store(),
      metrics: createMetrics().ai,
      logger: createLogger('silent', captureLogs()),
      llm: () => choice,
      clock: () => NOW,
    });
    app = Fastify({ schemaErrorFormatter: formatValidationError });
    app.setValidatorCompiler(createValidatorCompiler());
    await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
    await app.register(evalsRoutes, {
      prefix: '/api/v1',
      store: store(),
      clock: () => NOW,
      judge: (id) => evals.judge(id),
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await llm.close();
  });
  beforeEach(async () => {
    choice = { client: createLlmClient(testLlmConfig(llm.baseUrl)) };
    await store().query('delete from agent_runs');
    await saveSettings(store(), {});
  });

  it('scores the last 24 hours by default, against the default thresholds', async () => {
    await insertRuns(
      store(),
      run({ durationMs: 5000, retrievalHit: false }),
      run({ startedAt: new Date(NOW.getTime() - 25 * HOUR) })
    );
    const response = await app.inject({ method: 'GET', url: '/api/v1/evals' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<Record<string, unknown>>();
    assert.ok(valid(body), JSON.stringify(valid.errors));
    assert.equal(body['from'], '2026-11-19T12:00:00.000Z');
    assert.equal(body['to'], NOW.toISOString());
    assert.equal(body['runs'], 1, 'the run of 25 hours ago is out of the window');
    assert.deepEqual(body['thresholds'], {
      p95LatencyMs: 3000,
      errorRate: 0.05,
      ttftMs: 2000,
      retrievalHitRate: 0.7,
      hallucinationRate: 0.1,
      accuracy: 0.6,
      faithfulness: 0.8,
    });
    assert.deepEqual(body['verdict'], {
      status: 'attention',
      findings: [
        { metric: 'p95LatencyMs', value: 5000, threshold: 3000, advice: 'optimise the retrieval path' },
        { metric: 'retrievalHitRate', value: 0, threshold: 0.7, advice: 'add indexes or improve tagging' },
      ],
      summary:
        'P95 latency 5,000 ms is over 3,000 ms: optimise the retrieval path; retrieval hit rate 0% is under 70%: add indexes or improve tagging.',
    });
    assert.equal(body['stepMs'], 30 * 60_000);
    assert.equal((body['trend'] as unknown[]).length, 48);
    const [worst] = body['worst'] as Array<Record<string, unknown>>;
    assert.equal(worst?.['traceId'], worst?.['id']);
    assert.equal(worst?.['durationMs'], 5000);
  });

  it('takes a window and the thresholds saved in the settings, and is stable within them', async () => {
    await saveSettings(store(), { evals: { thresholds: { p95LatencyMs: 6000, retrievalHitRate: 0 } } });
    await insertRuns(store(), run({ durationMs: 5000, retrievalHit: false }));
    const from = new Date(NOW.getTime() - 2 * HOUR).toISOString();
    const response = await app.inject({ method: 'GET', url: `/api/v1/evals?from=${from}&to=${NOW.getTime()}` });
    const body = response.json<{
      verdict: { status: string; summary: string };
      thresholds: Record<string, number>;
      trend: unknown[];
      stepMs: number;
    }>();
    assert.equal(body.verdict.status, 'stable', body.verdict.summary);
    assert.equal(body.thresholds['p95LatencyMs'], 6000);
    assert.equal(body.thresholds['hallucinationRate'], 0.1);
    assert.equal(body.stepMs, 5 * 60_000);
    assert.equal(body.trend.length, 24);
  });

  it('says no_data for a window without runs, and refuses a window that ends before it starts', async () => {
    const empty = (await app.inject({ method: 'GET', url: '/api/v1/evals' })).json<{
      verdict: { status: string };
      scores: Record<string, unknown>;
    }>();
    assert.equal(empty.verdict.status, 'no_data');
    assert.ok(Object.values(empty.scores).every((score) => score === null));
    for (const [url, message] of [
      [
        '/api/v1/evals?from=2026-11-20T12:00:00Z&to=2026-11-20T11:00:00Z',
        'querystring/from must be before querystring/to',
      ],
      [
        '/api/v1/evals?from=yesterday',
        'querystring/from must be an RFC 3339 time or epoch milliseconds; got "yesterday"',
      ],
      ['/api/v1/evals?window=1h', 'querystring has unknown property "window" (allowed: from, to)'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400, url);
      assert.equal(response.json<{ message: string }>().message, message);
    }
  });

  it('judges one analysis on demand: 200 with the judgement, else 404, 400, 409 or 502 saying why', async () => {
    await store().query(
      `insert into incidents (id, title, severity, status, services, starts_at, quiet_since, alert_count, updated_at)
       values ('inc-1', 'Checkout slow', 'critical', 'open', '{checkout}', $1, $1, 1, $1) on conflict (id) do nothing`,
      [NOW]
    );
    const analysis = run();
    const ask = run({ kind: 'ask', method: null });
    await insertRuns(store(), analysis, ask);
    const answer: RcaResult = {
      incidentId: 'inc-1',
      causes: [
        {
          service: 'checkout',
          indicator: 'latency',
          confidence: 0.7,
          evidence: [],
          explanation: 'Checkout is slow.',
          actions: [],
        },
      ],
      method: 'llm',
      hallucinationsDropped: 0,
      analyzedAt: NOW.toISOString(),
      durationMs: 1500,
      documents: [],
      graph: { nodes: [], edges: [] },
      traceId: analysis.id,
    };
    const payload: SemanticPayload = {
      incidentId: 'inc-1',
      title: 'Checkout slow',
      severity: 'critical',
      service: 'checkout',
      services: ['checkout'],
      owner: undefined,
      team: undefined,
      tier: undefined,
      startsAt: NOW.toISOString(),
      changeWindow: undefined,
      bizTags: [],
      tags: {},
      evidence: [],
    };
    await saveRca(store(), answer, payload);
    const judge = (id: string) => app.inject({ method: 'POST', url: `/api/v1/runs/${id}/judge` });

    llm.enqueue({
      content: JSON.stringify({
        faithfulness: 0.2,
        verdict: 'unfaithful',
        unsupported: ['checkout is slow: nothing is cited'],
      }),
    });
    const judged = await judge(analysis.id);
    assert.equal(judged.statusCode, 200, judged.body);
    assert.deepEqual(judged.json(), {
      faithfulness: 0.2,
      verdict: 'unfaithful',
      unsupported: ['checkout is slow: nothing is cited'],
      model: 'gpt-test',
      at: NOW.toISOString(),
    });

    const unknown = await judge('0'.repeat(32));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json<{ message: string }>().message, `No agent run with id "${'0'.repeat(32)}"`);
    const notAnalysis = await judge(ask.id);
    assert.equal(notAnalysis.statusCode, 400);
    assert.match(notAnalysis.json<{ message: string }>().message, /only analyses the LLM answered are judged/);

    llm.enqueue({ status: 500 });
    const failed = await judge(analysis.id);
    assert.equal(failed.statusCode, 502);
    assert.match(
      failed.json<{ message: string }>().message,
      /^The LLM judge did not answer: LLM endpoint answered HTTP 500/
    );

    const newer = run({ startedAt: NOW });
    await insertRuns(store(), newer);
    await saveRca(store(), { ...answer, traceId: newer.id }, payload);
    const replaced = await judge(analysis.id);
    assert.equal(replaced.statusCode, 409);
    assert.match(
      replaced.json<{ message: string }>().message,
      /A newer analysis of incident inc-1 replaced the answer/
    );

    choice = { unavailable: 'No LLM is configured: set its base URL and model in the settings' };
    const noLlm = await judge(newer.id);
    assert.equal(noLlm.statusCode, 409);
    assert.equal(
      noLlm.json<{ message: string }>().message,
      'No LLM is configured: set its base URL and model in the settings'
    );
  });
});
