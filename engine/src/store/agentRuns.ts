import type {
  AgentRunKind,
  AgentRunRecord,
  AgentSpanKind,
  AgentSpanRecord,
  HumanVerdictRecord,
  JudgeRecord,
  RetrievalRecord,
} from '../observability/agentRuns/agentRun.ts';
import { AGENT_SPAN_KINDS } from '../observability/agentRuns/agentRun.ts';
import type { Queryable } from './store.ts';

/**
 * Agent runs and their spans (migration 013): written once by the tracing's recorder when a run's root span ends,
 * then only annotated (LLM-as-judge, a person's verdict) and pruned.
 */

export interface AgentRunFilter {
  /** Runs started at or after. */
  from?: Date | undefined;
  /** Runs started at or before. */
  to?: Date | undefined;
  kinds?: readonly AgentRunKind[] | undefined;
  incidentId?: string | undefined;
  statuses?: ReadonlyArray<AgentRunRecord['status']> | undefined;
  limit: number;
}

interface RunRow {
  id: string;
  kind: AgentRunKind;
  session_id: string | null;
  incident_id: string | null;
  workflow_run_id: string | null;
  started_at: Date;
  duration_ms: number | null;
  status: AgentRunRecord['status'];
  error: string | null;
  model: string | null;
  llm_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  ttft_ms: number | null;
  retrieval: RetrievalRecord | null;
  retrieval_hit: boolean | null;
  citations: number;
  citations_dropped: number;
  method: 'graph' | 'llm' | null;
  judge: JudgeRecord | null;
  human: HumanVerdictRecord | null;
}

interface SpanRow {
  run_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  start_time: Date;
  duration_ms: number;
  status: AgentSpanRecord['status'];
  attributes: AgentSpanRecord['attributes'];
  events: AgentSpanRecord['events'];
}

const RUN_COLUMNS =
  'id, kind, session_id, incident_id, workflow_run_id, started_at, duration_ms, status, error, model, llm_calls, input_tokens, ' +
  'output_tokens, cost_usd, ttft_ms, retrieval, retrieval_hit, citations, citations_dropped, method, judge, human';

function toRun(row: RunRow): AgentRunRecord {
  return {
    id: row.id,
    kind: row.kind,
    sessionId: row.session_id,
    incidentId: row.incident_id,
    workflowRunId: row.workflow_run_id,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    status: row.status,
    error: row.error,
    model: row.model,
    llmCalls: row.llm_calls,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    ttftMs: row.ttft_ms,
    retrieval: row.retrieval,
    retrievalHit: row.retrieval_hit,
    citations: row.citations,
    citationsDropped: row.citations_dropped,
    method: row.method,
    judge: row.judge,
    human: row.human,
  };
}

function spanKind(kind: string): AgentSpanKind {
  return AGENT_SPAN_KINDS.find((known) => known === kind) ?? 'other';
}

function toSpan(row: SpanRow): AgentSpanRecord {
  return {
    runId: row.run_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: spanKind(row.kind),
    startTime: row.start_time,
    durationMs: row.duration_ms,
    status: row.status,
    attributes: row.attributes,
    events: row.events,
  };
}

/** Writes a run and its spans; a run already stored (the same trace recorded twice) is left as it is. */
export async function insertAgentRun(
  db: Queryable,
  run: AgentRunRecord,
  spans: readonly AgentSpanRecord[]
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into agent_runs (${RUN_COLUMNS})
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, $18, $19, $20, $21::jsonb, $22::jsonb)
     on conflict (id) do nothing`,
    [
      run.id,
      run.kind,
      run.sessionId,
      run.incidentId,
      run.workflowRunId,
      run.startedAt,
      run.durationMs,
      run.status,
      run.error,
      run.model,
      run.llmCalls,
      run.inputTokens,
      run.outputTokens,
      run.costUsd,
      run.ttftMs,
      run.retrieval === null ? null : JSON.stringify(run.retrieval),
      run.retrievalHit,
      run.citations,
      run.citationsDropped,
      run.method,
      run.judge === null ? null : JSON.stringify(run.judge),
      run.human === null ? null : JSON.stringify(run.human),
    ]
  );
  if (rowCount === 0 || spans.length === 0) {
    return rowCount > 0;
  }
  // One statement for all the spans: a run has up to a few hundred.
  await db.query(
    `insert into agent_spans (run_id, span_id, parent_span_id, name, kind, start_time, duration_ms, status, attributes, events)
     select $1, s.span_id, s.parent_span_id, s.name, s.kind, s.start_time, s.duration_ms, s.status, s.attributes, s.events
     from jsonb_to_recordset($2::jsonb) as s(span_id text, parent_span_id text, name text, kind text, start_time timestamptz,
       duration_ms double precision, status text, attributes jsonb, events jsonb)
     on conflict (run_id, span_id) do nothing`,
    [
      run.id,
      JSON.stringify(
        spans.map((span) => ({
          span_id: span.spanId,
          parent_span_id: span.parentSpanId,
          name: span.name,
          kind: span.kind,
          start_time: span.startTime.toISOString(),
          duration_ms: span.durationMs,
          status: span.status,
          attributes: span.attributes,
          events: span.events,
        }))
      ),
    ]
  );
  return true;
}

/** Runs matching the filter, newest first. */
export async function listAgentRuns(db: Queryable, filter: AgentRunFilter): Promise<AgentRunRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.from !== undefined) {
    where.push(`started_at >= ${param(filter.from)}`);
  }
  if (filter.to !== undefined) {
    where.push(`started_at <= ${param(filter.to)}`);
  }
  if (filter.kinds !== undefined && filter.kinds.length > 0) {
    where.push(`kind = any(${param(filter.kinds)}::text[])`);
  }
  if (filter.incidentId !== undefined) {
    where.push(`incident_id = ${param(filter.incidentId)}`);
  }
  if (filter.statuses !== undefined && filter.statuses.length > 0) {
    where.push(`status = any(${param(filter.statuses)}::text[])`);
  }
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from agent_runs ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
     order by started_at desc, id limit ${param(filter.limit)}`,
    params
  );
  return rows.map(toRun);
}

/** The runs of these ids, without their spans, in the order of `ids` (ids with no run are left out). */
export async function loadAgentRunsByIds(db: Queryable, ids: readonly string[]): Promise<AgentRunRecord[]> {
  const { rows } = await db.query<RunRow>(`select ${RUN_COLUMNS} from agent_runs where id = any($1::text[])`, [ids]);
  const byId = new Map(rows.map((row) => [row.id, toRun(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One run with its spans in start order, or undefined. */
export async function loadAgentRun(
  db: Queryable,
  id: string
): Promise<{ run: AgentRunRecord; spans: AgentSpanRecord[] } | undefined> {
  const { rows } = await db.query<RunRow>(`select ${RUN_COLUMNS} from agent_runs where id = $1`, [id]);
  const row = rows[0];
  if (row === undefined) {
    return undefined;
  }
  const spans = await db.query<SpanRow>(
    `select run_id, span_id, parent_span_id, name, kind, start_time, duration_ms, status, attributes, events
     from agent_spans where run_id = $1 order by start_time, span_id`,
    [id]
  );
  return { run: toRun(row), spans: spans.rows.map(toSpan) };
}

/** The incident's latest run of a kind (its latest analysis, say), or undefined. */
export async function latestRunOf(
  db: Queryable,
  incidentId: string,
  kind: AgentRunKind
): Promise<AgentRunRecord | undefined> {
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from agent_runs where incident_id = $1 and kind = $2 order by started_at desc, id desc limit 1`,
    [incidentId, kind]
  );
  const row = rows[0];
  return row === undefined ? undefined : toRun(row);
}

/** Records the LLM-as-judge's reading of a run; false when there is no such run. */
export async function setJudge(db: Queryable, runId: string, judge: JudgeRecord): Promise<boolean> {
  const { rowCount } = await db.query('update agent_runs set judge = $2::jsonb where id = $1', [
    runId,
    JSON.stringify(judge),
  ]);
  return rowCount > 0;
}

/** Records a person's verdict on a run; false when there is no such run. */
export async function setHumanVerdict(db: Queryable, runId: string, verdict: HumanVerdictRecord): Promise<boolean> {
  const { rowCount } = await db.query('update agent_runs set human = $2::jsonb where id = $1', [
    runId,
    JSON.stringify(verdict),
  ]);
  return rowCount > 0;
}

/** Deletes runs (and their spans) started before `before`, then all but the newest `maxRuns`; returns how many. */
export async function pruneAgentRuns(db: Queryable, limits: { before: Date; maxRuns: number }): Promise<number> {
  const old = await db.query('delete from agent_runs where started_at < $1', [limits.before]);
  const over = await db.query(
    `delete from agent_runs where id in (select id from agent_runs order by started_at desc, id desc offset $1)`,
    [limits.maxRuns]
  );
  return old.rowCount + over.rowCount;
}
