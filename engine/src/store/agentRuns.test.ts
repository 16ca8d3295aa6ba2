import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AgentRunRecord, AgentSpanRecord } from '../observability/agentRuns/agentRun.ts';
import { agentRunRecord } from '../testing/agentRuns.ts';
import { sharedPgliteStore } from '../testing/stores.ts';
import {
  insertAgentRun,
  latestRunOf,
  listAgentRuns,
  loadAgentRun,
  pruneAgentRuns,
  setHumanVerdict,
  setJudge,
} from './agentRuns.ts';

const store = sharedPgliteStore();
const T = Date.parse('2026-11-20T10:00:00Z');

/** Set values in every column, so that a column read back into the wrong field shows. */
const run = (id: string, minutes: number, overrides: Partial<AgentRunRecord> = {}): AgentRunRecord =>
  agentRunRecord({
    id: id.padEnd(32, '0'),
    sessionId: 'inc_1',
    incidentId: 'inc_1',
    startedAt: new Date(T + minutes * 60_000),
    durationMs: 1200.5,
    llmCalls: 2,
    inputTokens: 2170,
    outputTokens: 130,
    costUsd: 0.0123,
    ttftMs: 85,
    retrieval: { query: 'checkout errors', hits: [{ id: 'runbook:a.md', title: 'A', score: 12.5 }] },
    retrievalHit: true,
    citations: 2,
    citationsDropped: 1,
    ...overrides,
  });

function span(runId: string, spanId: string, parentSpanId: string | null, offsetMs: number): AgentSpanRecord {
  return {
    runId,
    spanId,
    parentSpanId,
    name: parentSpanId === null ? 'invoke_agent intelops.analyze' : `chat ${spanId}`,
    kind: parentSpanId === null ? 'other' : 'llm',
    startTime: new Date(T + offsetMs),
    durationMs: 12.25,
    status: 'unset',
    attributes: {
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10,
    },
    events: [
      {
        name: 'gen_ai.client.inference.operation.details',
        time: new Date(T + offsetMs).toISOString(),
        attributes: { x: 'y' },
      },
    ],
  };
}

describe('agent run store', () => {
  const a = run('a', 0);
  const b = run('b', 5, { kind: 'ask', status: 'error', error: 'LLM failed' });
  const c = run('c', 10, { incidentId: 'inc_2', sessionId: 'inc_2' });
  const d = run('d', 15, {
    kind: 'workflow',
    incidentId: null,
    sessionId: null,
    workflowRunId: 'wf_1',
    model: null,
    costUsd: null,
    retrieval: null,
    retrievalHit: null,
    method: null,
  });

  before(async () => {
    await insertAgentRun(store(), a, [
      span(a.id, '00000000000000a2', '00000000000000a1', 5),
      span(a.id, '00000000000000a1', null, 0),
    ]);
    for (const one of [b, c, d]) {
      await insertAgentRun(store(), one, []);
    }
  });

  it('reads a run back as written, with its spans in start order', async () => {
    const found = await loadAgentRun(store(), a.id);
    assert.deepEqual(found?.run, a);
    assert.deepEqual(
      found?.spans.map((one) => [one.spanId, one.parentSpanId, one.kind]),
      [
        ['00000000000000a1', null, 'other'],
        ['00000000000000a2', '00000000000000a1', 'llm'],
      ]
    );
    assert.deepEqual(found?.spans[1], span(a.id, '00000000000000a2', '00000000000000a1', 5));
    assert.equal(await loadAgentRun(store(), 'nope'), undefined);
  });

  it('writes a run once: the same trace recorded again changes nothing', async () => {
    assert.equal(
      await insertAgentRun(store(), { ...a, llmCalls: 99 }, [span(a.id, '00000000000000a3', null, 0)]),
      false
    );
    const found = await loadAgentRun(store(), a.id);
    assert.equal(found?.run.llmCalls, 2);
    assert.equal(found?.spans.length, 2);
  });

  it('lists newest first, filtered by time, kind, incident and status, up to the limit', async () => {
    const ids = async (filter: Parameters<typeof listAgentRuns>[1]) =>
      (await listAgentRuns(store(), filter)).map((one) => one.id[0]);
    assert.deepEqual(await ids({ limit: 10 }), ['d', 'c', 'b', 'a']);
    assert.deepEqual(await ids({ limit: 2 }), ['d', 'c']);
    assert.deepEqual(await ids({ limit: 10, from: new Date(T + 5 * 60_000), to: new Date(T + 10 * 60_000) }), [
      'c',
      'b',
    ]);
    assert.deepEqual(await ids({ limit: 10, kinds: ['analyze', 'workflow'] }), ['d', 'c', 'a']);
    assert.deepEqual(await ids({ limit: 10, incidentId: 'inc_1' }), ['b', 'a']);
    assert.deepEqual(await ids({ limit: 10, statuses: ['error'] }), ['b']);
  });

  it('takes the judge’s reading and a person’s verdict, and finds an incident’s latest run of a kind', async () => {
    const judge = {
      faithfulness: 0.5,
      verdict: 'partially_faithful' as const,
      unsupported: ['the cache'],
      model: 'judge-1',
      at: '2026-11-20T11:00:00.000Z',
    };
    const human = {
      verdict: 'confirm' as const,
      service: 'checkout',
      rank: 1,
      by: 'alice',
      at: '2026-11-20T11:05:00.000Z',
    };
    assert.equal(await setJudge(store(), a.id, judge), true);
    assert.equal(await setHumanVerdict(store(), a.id, human), true);
    assert.equal(await setJudge(store(), 'missing', judge), false);
    const found = await loadAgentRun(store(), a.id);
    assert.deepEqual(found?.run.judge, judge);
    assert.deepEqual(found?.run.human, human);
    assert.equal((await latestRunOf(store(), 'inc_1', 'analyze'))?.id, a.id);
    assert.equal((await latestRunOf(store(), 'inc_1', 'ask'))?.id, b.id);
    assert.equal(await latestRunOf(store(), 'inc_1', 'draft'), undefined);
  });

  it('prunes by age and by count, spans with their runs', async () => {
    assert.equal(await pruneAgentRuns(store(), { before: new Date(T + 1), maxRuns: 2 }), 2);
    assert.deepEqual(
      (await listAgentRuns(store(), { limit: 10 })).map((one) => one.id[0]),
      ['d', 'c']
    );
    const { rows } = await store().query<{ n: number }>('select count(*)::int as n from agent_spans');
    assert.equal(rows[0]?.n, 0);
  });
});
