import type { EngineReader } from './incidents';
import { finiteOr, invalidBody, isRecord, numberOrNull, stringOr, timeMs } from './jsonBody';

export const AGENT_RUNS_PATH = '/api/v1/runs';

/** What the engine's AI did (engine/src/observability/agentRuns/agentRun.ts). */
export const AGENT_RUN_KINDS = ['analyze', 'ask', 'draft', 'judge', 'workflow'] as const;
export type AgentRunKind = (typeof AGENT_RUN_KINDS)[number];

export const AGENT_RUN_STATUSES = ['running', 'ok', 'error'] as const;

/** What the agent trace colours spans by. */
export const AGENT_SPAN_KINDS = ['perception', 'retrieval', 'llm', 'tool', 'action', 'other'] as const;
export type AgentSpanKind = (typeof AGENT_SPAN_KINDS)[number];

/** An LLM-as-judge's reading of an analysis: is the explanation supported by the evidence it cites? */
export interface JudgeVerdict {
  /** In [0, 1]. */
  faithfulness: number;
  verdict: 'faithful' | 'partially_faithful' | 'unfaithful';
  unsupported: string[];
  model: string;
  at: string;
}

/** A person's verdict on the analysis from the root cause panel. */
export interface HumanVerdict {
  verdict: 'confirm' | 'reject';
  service: string;
  rank: number | null;
  by: string;
  at: string;
}

/** One row of GET /api/v1/runs. */
export interface AgentRunSummary {
  id: string;
  /** The run's OpenTelemetry trace id (the same as its id). */
  traceId: string;
  /** analyze, ask, draft, judge or workflow; kept as sent so a newer engine's kind still shows. */
  kind: string;
  sessionId: string | null;
  incidentId: string | null;
  workflowRunId: string | null;
  startedAt: string;
  durationMs: number | null;
  /** running, ok or error. */
  status: string;
  error: string | null;
  model: string | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftMs: number | null;
  retrievalHit: boolean | null;
  citations: number;
  citationsDropped: number;
  method: 'graph' | 'llm' | null;
  judge: JudgeVerdict | null;
  human: HumanVerdict | null;
}

export type SpanAttributeValue = string | number | boolean | string[] | number[] | boolean[];

export interface AgentSpanEvent {
  name: string;
  time: string;
  attributes: Record<string, unknown>;
}

/** One span of GET /api/v1/runs/{id}; attributes and events are redacted by the engine. */
export interface AgentSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  /** Epoch milliseconds. */
  startTime: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  attributes: Record<string, SpanAttributeValue>;
  events: AgentSpanEvent[];
}

export interface AgentRunRetrieval {
  query: string;
  hits: Array<{ id: string; title: string; score: number }>;
}

/** GET /api/v1/runs/{id}: the summary with its retrieval and spans. */
export interface AgentRun extends AgentRunSummary {
  retrieval: AgentRunRetrieval | null;
  spans: AgentSpan[];
}

/** What to ask GET /api/v1/runs for; times in epoch milliseconds. */
export interface AgentRunsRequest {
  from?: number;
  to?: number;
  kind?: string;
  incident?: string;
  status?: string;
  limit?: number;
}

export function agentRunPath(id: string) {
  return `${AGENT_RUNS_PATH}/${encodeURIComponent(id)}` as const;
}

/** Query parameters as the engine reads them: times RFC 3339, one value per filter, empty filters left out. */
export function agentRunsParams(request: AgentRunsRequest): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (request.from !== undefined) {
    params.from = new Date(request.from).toISOString();
  }
  if (request.to !== undefined) {
    params.to = new Date(request.to).toISOString();
  }
  for (const key of ['kind', 'incident', 'status'] as const) {
    const value = request[key]?.trim();
    if (value) {
      params[key] = value;
    }
  }
  if (request.limit !== undefined) {
    params.limit = request.limit;
  }
  return params;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function parseJudge(value: unknown): JudgeVerdict | null {
  if (!isRecord(value) || typeof value.faithfulness !== 'number') {
    return null;
  }
  const verdict = value.verdict;
  return {
    faithfulness: Math.min(1, Math.max(0, value.faithfulness)),
    verdict: verdict === 'faithful' || verdict === 'unfaithful' ? verdict : 'partially_faithful',
    unsupported: Array.isArray(value.unsupported)
      ? value.unsupported.filter((claim): claim is string => typeof claim === 'string')
      : [],
    model: stringOr(value.model, ''),
    at: stringOr(value.at, ''),
  };
}

function parseHuman(value: unknown): HumanVerdict | null {
  if (!isRecord(value) || (value.verdict !== 'confirm' && value.verdict !== 'reject')) {
    return null;
  }
  return {
    verdict: value.verdict,
    service: stringOr(value.service, ''),
    rank: numberOrNull(value.rank),
    by: stringOr(value.by, ''),
    at: stringOr(value.at, ''),
  };
}

/** Checks one run summary; id, kind, status and startedAt are required, the figures default to none. */
export function parseAgentRunSummary(value: unknown, path: string, what = 'the run'): AgentRunSummary {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '') {
    throw invalidBody(path, `${what} has no id`);
  }
  const { id } = value;
  if (typeof value.kind !== 'string' || typeof value.status !== 'string') {
    throw invalidBody(path, `run ${id} has no kind or status`);
  }
  if (timeMs(value.startedAt) === null) {
    throw invalidBody(path, `run ${id} has no valid startedAt`);
  }
  return {
    id,
    traceId: textOrNull(value.traceId) ?? id,
    kind: value.kind,
    sessionId: textOrNull(value.sessionId),
    incidentId: textOrNull(value.incidentId),
    workflowRunId: textOrNull(value.workflowRunId),
    startedAt: stringOr(value.startedAt, ''),
    durationMs: numberOrNull(value.durationMs),
    status: value.status,
    error: textOrNull(value.error),
    model: textOrNull(value.model),
    llmCalls: finiteOr(value.llmCalls, 0),
    inputTokens: finiteOr(value.inputTokens, 0),
    outputTokens: finiteOr(value.outputTokens, 0),
    costUsd: numberOrNull(value.costUsd),
    ttftMs: numberOrNull(value.ttftMs),
    retrievalHit: typeof value.retrievalHit === 'boolean' ? value.retrievalHit : null,
    citations: finiteOr(value.citations, 0),
    citationsDropped: finiteOr(value.citationsDropped, 0),
    method: value.method === 'graph' || value.method === 'llm' ? value.method : null,
    judge: parseJudge(value.judge),
    human: parseHuman(value.human),
  };
}

export function parseAgentRunList(body: unknown): AgentRunSummary[] {
  if (!isRecord(body) || !Array.isArray(body.runs)) {
    throw invalidBody(AGENT_RUNS_PATH, 'the body has no runs list');
  }
  return body.runs.map((run, index) => parseAgentRunSummary(run, AGENT_RUNS_PATH, `run ${index + 1}`));
}

function isAttributeValue(value: unknown): value is SpanAttributeValue {
  if (Array.isArray(value)) {
    return value.every((item) => ['string', 'number', 'boolean'].includes(typeof item));
  }
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
  );
}

function parseAttributes(value: unknown): Record<string, SpanAttributeValue> {
  if (!isRecord(value)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, SpanAttributeValue] => isAttributeValue(entry[1]))
  );
}

function parseEvent(value: unknown): AgentSpanEvent[] {
  if (!isRecord(value) || typeof value.name !== 'string') {
    return [];
  }
  return [
    {
      name: value.name,
      time: stringOr(value.time, ''),
      attributes: isRecord(value.attributes) ? value.attributes : {},
    },
  ];
}

function parseSpan(value: unknown, path: string, index: number): AgentSpan {
  if (!isRecord(value) || typeof value.spanId !== 'string' || value.spanId === '') {
    throw invalidBody(path, `span ${index + 1} has no spanId`);
  }
  if (typeof value.startTime !== 'number' || !Number.isFinite(value.startTime)) {
    throw invalidBody(path, `span ${value.spanId} has no startTime`);
  }
  const status = value.status === 'ok' || value.status === 'error' ? value.status : 'unset';
  return {
    spanId: value.spanId,
    parentSpanId: textOrNull(value.parentSpanId),
    name: stringOr(value.name, value.spanId),
    kind: stringOr(value.kind, 'other'),
    startTime: value.startTime,
    durationMs: Math.max(0, finiteOr(value.durationMs, 0)),
    status,
    attributes: parseAttributes(value.attributes),
    events: Array.isArray(value.events) ? value.events.flatMap(parseEvent) : [],
  };
}

function parseRetrieval(value: unknown): AgentRunRetrieval | null {
  if (!isRecord(value) || typeof value.query !== 'string') {
    return null;
  }
  const hits = Array.isArray(value.hits)
    ? value.hits.flatMap((hit) =>
        isRecord(hit) && typeof hit.id === 'string'
          ? [{ id: hit.id, title: stringOr(hit.title, hit.id), score: finiteOr(hit.score, 0) }]
          : []
      )
    : [];
  return { query: value.query, hits };
}

/** Checks GET /api/v1/runs/{id}: the summary's rules, and a spans list whose spans have an id and a start. */
export function parseAgentRun(body: unknown, path: string): AgentRun {
  const summary = parseAgentRunSummary(body, path);
  if (!isRecord(body) || !Array.isArray(body.spans)) {
    throw invalidBody(path, `run ${summary.id} has no spans list`);
  }
  return {
    ...summary,
    retrieval: parseRetrieval(body.retrieval),
    spans: body.spans.map((span, index) => parseSpan(span, path, index)),
  };
}

export async function fetchAgentRuns(client: EngineReader, request: AgentRunsRequest): Promise<AgentRunSummary[]> {
  return parseAgentRunList(await client.get(AGENT_RUNS_PATH, agentRunsParams(request)));
}

export async function fetchAgentRun(client: EngineReader, id: string): Promise<AgentRun> {
  const path = agentRunPath(id);
  return parseAgentRun(await client.get(path), path);
}

/** Tokens in and out of every LLM call of the run. */
export function totalTokens(run: Pick<AgentRunSummary, 'inputTokens' | 'outputTokens'>): number {
  return run.inputTokens + run.outputTokens;
}

/** The run's verdict in a word or two: a person's first, else the judge's, else none. */
export function verdictText(run: Pick<AgentRunSummary, 'judge' | 'human'>): string | null {
  if (run.human) {
    return run.human.verdict === 'confirm' ? `confirmed ${run.human.service}` : `rejected ${run.human.service}`;
  }
  if (run.judge) {
    return run.judge.verdict.replace('_', ' ');
  }
  return null;
}
