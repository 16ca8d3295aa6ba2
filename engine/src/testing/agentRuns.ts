import type { AgentRunRecord, AgentSpanRecord } from '../observability/agentRuns/agentRun.ts';
import { insertAgentRun } from '../store/agentRuns.ts';
import type { Queryable } from '../store/store.ts';

let runs = 0;
let spans = 0;

/**
 * A stored agent run for tests: an LLM analysis of incident inc-1 that went well, with what the test sets on top.
 * Each gets a new id, and the ids sort in the order they were made.
 */
export function agentRunRecord(overrides: Partial<AgentRunRecord> = {}): AgentRunRecord {
  runs += 1;
  return {
    id: runs.toString(16).padStart(32, '0'),
    kind: 'analyze',
    sessionId: 'inc-1',
    incidentId: 'inc-1',
    workflowRunId: null,
    startedAt: new Date(),
    durationMs: 1000,
    status: 'ok',
    error: null,
    model: 'gpt-test',
    llmCalls: 1,
    inputTokens: 1000,
    outputTokens: 200,
    costUsd: null,
    ttftMs: null,
    retrieval: null,
    retrievalHit: null,
    citations: 0,
    citationsDropped: 0,
    method: 'llm',
    judge: null,
    human: null,
    ...overrides,
  };
}

/** A stored span for tests: one LLM call of run `runId`, with what the test sets on top. */
export function agentSpanRecord(runId: string, overrides: Partial<AgentSpanRecord> = {}): AgentSpanRecord {
  spans += 1;
  return {
    runId,
    spanId: spans.toString(16).padStart(16, '0'),
    parentSpanId: null,
    name: 'chat gpt-test',
    kind: 'llm',
    startTime: new Date(),
    durationMs: 100,
    status: 'ok',
    attributes: {},
    events: [],
    ...overrides,
  };
}

/** Writes runs without spans, in the order given. */
export async function insertRuns(db: Queryable, ...records: readonly AgentRunRecord[]): Promise<void> {
  for (const record of records) {
    await insertAgentRun(db, record, []);
  }
}
