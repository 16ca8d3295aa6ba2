import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { quote } from '../../invalidInput.ts';
import { AGENT_RUN_KINDS, AGENT_SPAN_KINDS } from '../../observability/agentRuns/agentRun.ts';
import type { AgentRunRecord, AgentSpanRecord } from '../../observability/agentRuns/agentRun.ts';
import { listAgentRuns, loadAgentRun } from '../../store/agentRuns.ts';
import type { Queryable } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';
import { TimeParam, enumListParam, timeRangeParams } from './incidents.ts';

export interface AgentRunRoutesOptions {
  store: Queryable;
}

export const DEFAULT_RUN_LIMIT = 100;
export const MAX_RUN_LIMIT = 1000;
const RUN_STATUSES = ['running', 'ok', 'error'] as const;

const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const JudgeSchema = Type.Object(
  {
    faithfulness: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'The share of the explanation’s claims the cited evidence supports',
    }),
    verdict: Type.String({ enum: ['faithful', 'partially_faithful', 'unfaithful'] }),
    unsupported: Type.Array(Type.String(), { description: 'Claims the evidence does not support' }),
    model: Type.String(),
    at: Time,
  },
  { title: 'AgentRunJudge' }
);

export const HumanVerdictSchema = Type.Object(
  {
    verdict: Type.String({ enum: ['confirm', 'reject'] }),
    service: Type.String(),
    rank: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()], {
      description: 'The cause’s place in the answer, or null when the service was not among them',
    }),
    by: Type.String(),
    at: Time,
  },
  { title: 'AgentRunHumanVerdict' }
);

const summaryProperties = {
  id: Type.String({ description: 'The run’s OpenTelemetry trace id' }),
  traceId: Type.String({ description: 'The same as id: the trace in Tempo when OTLP export is on' }),
  kind: Type.String({ enum: [...AGENT_RUN_KINDS] }),
  sessionId: Nullable(Type.String({ description: 'The investigation it belongs to (the incident id)' })),
  incidentId: Nullable(Type.String()),
  workflowRunId: Nullable(Type.String()),
  startedAt: Time,
  durationMs: Nullable(Type.Number({ minimum: 0 })),
  status: Type.String({ enum: [...RUN_STATUSES] }),
  error: Nullable(Type.String()),
  model: Nullable(Type.String({ description: 'The model of the first LLM call' })),
  llmCalls: Type.Integer({ minimum: 0 }),
  inputTokens: Type.Integer({ minimum: 0 }),
  outputTokens: Type.Integer({ minimum: 0 }),
  costUsd: Nullable(
    Type.Number({ minimum: 0, description: 'Estimated from a price table; null when no price is known' })
  ),
  ttftMs: Nullable(Type.Number({ minimum: 0, description: 'Time to first token of the first streamed LLM call' })),
  retrievalHit: Nullable(
    Type.Boolean({ description: 'Whether any retrieval hit cleared the relevance floor; null without retrieval' })
  ),
  citations: Type.Integer({ minimum: 0, description: 'Claims in the LLM’s answer the hallucination guard checked' }),
  citationsDropped: Type.Integer({
    minimum: 0,
    description: 'Of those, the ones it dropped for citing what does not exist',
  }),
  method: Nullable(Type.String({ enum: ['graph', 'llm'] })),
  judge: Nullable(JudgeSchema),
  human: Nullable(HumanVerdictSchema),
};

export const AgentRunSummarySchema = Type.Object(summaryProperties, { title: 'AgentRunSummary' });

const AttributeValue = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Boolean(),
  Type.Array(Type.String()),
  Type.Array(Type.Number()),
  Type.Array(Type.Boolean()),
]);

export const AgentSpanSchema = Type.Object(
  {
    spanId: Type.String(),
    parentSpanId: Nullable(Type.String()),
    name: Type.String(),
    kind: Type.String({ enum: [...AGENT_SPAN_KINDS], description: 'What the agent trace panel colours by' }),
    startTime: Type.Number({ description: 'Epoch milliseconds' }),
    durationMs: Type.Number({ minimum: 0 }),
    status: Type.String({ enum: ['unset', 'ok', 'error'] }),
    attributes: Type.Record(Type.String(), AttributeValue, {
      description: 'OpenTelemetry attributes (GenAI conventions, intelops.*), secrets redacted, texts capped',
    }),
    events: Type.Array(
      Type.Object({
        name: Type.String({
          description: 'e.g. gen_ai.client.inference.operation.details (prompt and completion), exception',
        }),
        time: Time,
        attributes: Type.Record(Type.String(), Type.Unknown()),
      })
    ),
  },
  { title: 'AgentSpan' }
);

export const AgentRunSchema = Type.Object(
  {
    ...summaryProperties,
    retrieval: Nullable(
      Type.Object({
        query: Type.String({ description: 'The queries of the run’s retrievals, joined by " | "' }),
        hits: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), score: Type.Number() }), {
          description: 'The best hits over all its retrievals, best first',
        }),
      })
    ),
    spans: Type.Array(AgentSpanSchema, {
      description: 'In start order; at most 500 (the root counts the rest in intelops.spans_dropped)',
    }),
  },
  { title: 'AgentRun' }
);

export const AgentRunListSchema = Type.Object({ runs: Type.Array(AgentRunSummarySchema) }, { title: 'AgentRunList' });

const ListParam = (what: string) =>
  Type.Optional(
    Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: `${what}; comma-separated or repeated` })
  );

const RunsQuerySchema = Type.Object(
  {
    from: TimeParam('Runs started at or after'),
    to: TimeParam('Runs started at or before'),
    kind: ListParam(`Kinds (${AGENT_RUN_KINDS.join(', ')})`),
    incident: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Runs about this incident' })),
    status: ListParam(`Statuses (${RUN_STATUSES.join(', ')})`),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_RUN_LIMIT,
        description: `At most this many, newest first (default ${DEFAULT_RUN_LIMIT})`,
      })
    ),
  },
  { additionalProperties: false }
);

export function runSummary(run: AgentRunRecord) {
  return {
    id: run.id,
    traceId: run.id,
    kind: run.kind,
    sessionId: run.sessionId,
    incidentId: run.incidentId,
    workflowRunId: run.workflowRunId,
    startedAt: run.startedAt.toISOString(),
    durationMs: run.durationMs,
    status: run.status,
    error: run.error,
    model: run.model,
    llmCalls: run.llmCalls,
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    costUsd: run.costUsd,
    ttftMs: run.ttftMs,
    retrievalHit: run.retrievalHit,
    citations: run.citations,
    citationsDropped: run.citationsDropped,
    method: run.method,
    judge: run.judge,
    human: run.human,
  };
}

function spanView(span: AgentSpanRecord) {
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    startTime: span.startTime.getTime(),
    durationMs: span.durationMs,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
  };
}

/** GET /runs and /runs/{id}: the agent runs the tracing recorded, for the agent trace panel and the Agent runs page. */
export const agentRunRoutes: FastifyPluginAsyncTypebox<AgentRunRoutesOptions> = async (app, { store }) => {
  app.get(
    '/runs',
    {
      schema: {
        summary: 'Agent runs (analyses, questions, drafts, judgements, workflow runs), newest first',
        description: 'Each run is one OpenTelemetry trace: its id is the trace id. Filters combine with AND.',
        tags: ['observability'],
        querystring: RunsQuerySchema,
        response: { 200: AgentRunListSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const query = request.query;
      const runs = await listAgentRuns(store, {
        ...timeRangeParams(query),
        kinds: enumListParam(query.kind, 'kind', AGENT_RUN_KINDS),
        incidentId: query.incident,
        statuses: enumListParam(query.status, 'status', RUN_STATUSES),
        limit: query.limit ?? DEFAULT_RUN_LIMIT,
      });
      return { runs: runs.map(runSummary) };
    }
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        summary: 'One agent run with its spans: prompts, completions, tool calls and retrieval (secrets redacted)',
        tags: ['observability'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: AgentRunSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const found = await loadAgentRun(store, request.params.id);
      if (found === undefined) {
        return reply.code(404).send(errorBody(404, `No agent run with id ${quote(request.params.id)}`));
      }
      return { ...runSummary(found.run), retrieval: found.run.retrieval, spans: found.spans.map(spanView) };
    }
  );
};
