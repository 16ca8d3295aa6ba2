import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../observability/logger.ts';
import { GEN_AI } from '../../observability/tracing/conventions.ts';
import { openTracing } from '../../observability/tracing/openTracing.ts';
import type { EngineTracing } from '../../observability/tracing/openTracing.ts';
import { currentRun, traceRun, traceStep } from '../../observability/tracing/spans.ts';
import { agentRunRecord, insertRuns } from '../../testing/agentRuns.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { bodiesPlugin } from '../bodies.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { compileBodyValidator, createValidatorCompiler } from '../validation.ts';
import { AgentRunListSchema, AgentRunSchema, agentRunRoutes } from './agentRuns.ts';

const store = sharedPgliteStore();

interface Summary {
  id: string;
  traceId: string;
  kind: string;
  incidentId: string | null;
  status: string;
  llmCalls: number;
  inputTokens: number;
  citations: number;
  citationsDropped: number;
  retrievalHit: boolean | null;
}

describe('GET /api/v1/runs and /api/v1/runs/{id}', () => {
  let app: FastifyInstance;
  let tracing: EngineTracing;
  let analysisId = '';
  let questionId = '';

  before(async () => {
    tracing = openTracing({ store: store(), logger: createLogger('silent'), version: 'test', env: {} });
    analysisId = await traceRun(
      tracing,
      {
        kind: 'analyze',
        name: 'invoke_agent intelops.analyze',
        attributes: { 'intelops.incident.id': 'inc_1', 'session.id': 'inc_1' },
      },
      async (run) => {
        await traceStep(
          'retrieval knowledge',
          'retrieval',
          { [GEN_AI.retrievalQueryText]: 'checkout errors' },
          async (span) => {
            span.set({ 'intelops.retrieval.relevant_hits': 1 });
            span.event('intelops.retrieval.hits', {
              [GEN_AI.retrievalDocuments]: JSON.stringify([{ id: 'runbook:a.md', title: 'A', score: 12.5 }]),
            });
          }
        );
        await traceStep(
          'chat gpt-test',
          'llm',
          {
            [GEN_AI.requestModel]: 'gpt-test',
            [GEN_AI.inputTokens]: 900,
            [GEN_AI.outputTokens]: 40,
            [GEN_AI.finishReasons]: ['stop'],
          },
          async (span) => {
            span.event('gen_ai.client.inference.operation.details', {
              [GEN_AI.inputMessages]: '[{"role":"user","parts":[]}]',
            });
          }
        );
        currentRun().set({ 'intelops.citations': 3, 'intelops.citations_dropped': 1, 'intelops.method': 'llm' });
        return run.traceId ?? '';
      }
    );
    questionId = await traceRun(
      tracing,
      { kind: 'ask', name: 'invoke_agent intelops.ask', attributes: { 'intelops.incident.id': 'inc_2' } },
      async (run) => {
        run.fail('the LLM did not answer');
        return run.traceId ?? '';
      }
    );
    await tracing.flush();
    app = Fastify({ schemaErrorFormatter: formatValidationError });
    app.setValidatorCompiler(createValidatorCompiler());
    await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
    await app.register(bodiesPlugin);
    await app.register(agentRunRoutes, { prefix: '/api/v1', store: store() });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await tracing.close();
  });

  const list = async (query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/runs${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ runs: Summary[] }>().runs;
  };

  it('lists runs newest first as summaries the schema accepts, filtered by kind, incident, status and time', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/runs' });
    const body: unknown = response.json();
    assert.ok(compileBodyValidator(AgentRunListSchema)(body));
    const runs = await list('');
    assert.deepEqual(
      runs.map((run) => run.id),
      [questionId, analysisId]
    );
    const analysis = runs[1];
    assert.equal(analysis?.traceId, analysisId);
    assert.deepEqual(
      {
        kind: analysis?.kind,
        incidentId: analysis?.incidentId,
        llmCalls: analysis?.llmCalls,
        inputTokens: analysis?.inputTokens,
      },
      { kind: 'analyze', incidentId: 'inc_1', llmCalls: 1, inputTokens: 900 }
    );
    assert.deepEqual([analysis?.citations, analysis?.citationsDropped, analysis?.retrievalHit], [3, 1, true]);
    assert.deepEqual(
      (await list('?kind=ask,judge')).map((run) => run.id),
      [questionId]
    );
    assert.deepEqual(
      (await list('?incident=inc_1')).map((run) => run.id),
      [analysisId]
    );
    assert.deepEqual(
      (await list('?status=error')).map((run) => run.status),
      ['error']
    );
    assert.deepEqual(
      (await list('?limit=1')).map((run) => run.id),
      [questionId]
    );
    assert.deepEqual(await list('?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z'), []);
    assert.equal((await list(`?from=${Date.now() - 3_600_000}`)).length, 2);
  });

  it('answers one run with its retrieval and its spans, as the schema says', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/runs/${analysisId}` });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{
      retrieval: unknown;
      spans: Array<{
        name: string;
        kind: string;
        parentSpanId: string | null;
        startTime: number;
        attributes: Record<string, unknown>;
        events: Array<{ name: string; time: string }>;
      }>;
    }>();
    assert.ok(compileBodyValidator(AgentRunSchema)(body));
    assert.deepEqual(body.retrieval, {
      query: 'checkout errors',
      hits: [{ id: 'runbook:a.md', title: 'A', score: 12.5 }],
    });
    assert.deepEqual(
      body.spans.map((span) => [span.name, span.kind]),
      [
        ['invoke_agent intelops.analyze', 'other'],
        ['retrieval knowledge', 'retrieval'],
        ['chat gpt-test', 'llm'],
      ]
    );
    const chat = body.spans[2];
    assert.equal(typeof chat?.startTime, 'number');
    assert.deepEqual(chat?.attributes[GEN_AI.finishReasons], ['stop']);
    assert.equal(chat?.events[0]?.name, 'gen_ai.client.inference.operation.details');
    assert.match(chat?.events[0]?.time ?? '', /^\d{4}-\d{2}-\d{2}T/);
    const failed = (await app.inject({ method: 'GET', url: `/api/v1/runs/${questionId}` })).json<{
      status: string;
      error: string;
    }>();
    assert.deepEqual([failed.status, failed.error], ['error', 'the LLM did not answer']);
  });

  it('answers 404 for an unknown run and 400 naming a bad filter', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/runs/0123' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json<{ message: string }>().message, /No agent run with id "0123"/);
    const cases: Array<[string, RegExp]> = [
      ['?kind=chat', /querystring\/kind "chat" is not one of analyze, ask, draft, judge, workflow/],
      ['?status=done', /querystring\/status "done" is not one of running, ok, error/],
      ['?from=yesterday', /querystring\/from must be an RFC 3339 time or epoch milliseconds/],
      ['?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', /from must not be after querystring\/to/],
      ['?limit=0', /querystring\/limit must be >= 1/],
      ['?sort=asc', /querystring has unknown property "sort"/],
    ];
    for (const [query, message] of cases) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/runs${query}` });
      assert.equal(response.statusCode, 400, query);
      assert.match(response.json<{ message: string }>().message, message, query);
    }
  });

  it('shows a run written without spans (pruned or capped) with an empty span list', async () => {
    const id = 'e'.repeat(32);
    await insertRuns(
      store(),
      agentRunRecord({ id, kind: 'workflow', workflowRunId: 'wf_9', durationMs: null, status: 'running', method: null })
    );
    const body = (await app.inject({ method: 'GET', url: `/api/v1/runs/${id}` })).json<{
      spans: unknown[];
      workflowRunId: string;
      durationMs: null;
    }>();
    assert.deepEqual([body.spans, body.workflowRunId, body.durationMs], [[], 'wf_9', null]);
  });
});
