import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { quote } from '../../invalidInput.ts';
import { ANALYSIS_STEPS } from '../../reasoning/analyze/analyzeIncident.ts';
import type { AnalysisProgress, RcaService } from '../../reasoning/analyze/rcaService.ts';
import { INDICATORS } from '../../reasoning/rootCause.ts';
import type { Feedback } from '../../store/rca.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface RcaRoutesOptions {
  rca: RcaService;
}

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const Usage = Type.Object({
  promptTokens: Type.Integer({ minimum: 0 }),
  completionTokens: Type.Integer({ minimum: 0 }),
});

export const RootCauseSchema = Type.Object(
  {
    service: Type.String(),
    indicator: Type.String({ enum: [...INDICATORS] }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    evidence: Type.Array(Type.String(), { description: 'Ids of the evidence items and changes the cause rests on' }),
    explanation: Type.String(),
    actions: Type.Array(Type.String(), { description: 'What to do, most useful first' }),
  },
  { additionalProperties: false, title: 'RootCause' }
);

export const RcaResultSchema = Type.Object(
  {
    incidentId: Type.String(),
    causes: Type.Array(RootCauseSchema, { maxItems: 3, description: 'At most 3, strongest first' }),
    method: Type.String({
      enum: ['graph', 'llm'],
      description: 'graph: the deterministic ranking answered; llm: the LLM refined it',
    }),
    hallucinationsDropped: Type.Integer({
      minimum: 0,
      description: 'LLM causes dropped for citing unknown evidence or services',
    }),
    fallbackReason: Type.Optional(Type.String({ description: 'Why the LLM did not answer, when method is graph' })),
    analyzedAt: Type.String({ format: 'date-time' }),
    durationMs: Type.Integer({ minimum: 0 }),
    model: Type.Optional(Type.String()),
    usage: Type.Optional(Usage),
    documents: Type.Array(
      Type.Object({ id: Type.String(), title: Type.String(), score: Type.Number() }, { additionalProperties: false }),
      { description: 'Runbooks and resolved incidents retrieved for the incident' }
    ),
    graph: Type.Object(
      {
        nodes: Type.Array(
          Type.Object(
            {
              service: Type.String(),
              score: Type.Number(),
              rank: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: 'Its place among the causes' })),
              inIncident: Type.Boolean({ description: 'An alert of the incident names it' }),
            },
            { additionalProperties: false }
          )
        ),
        edges: Type.Array(
          Type.Object({ client: Type.String(), server: Type.String() }, { additionalProperties: false })
        ),
      },
      { additionalProperties: false, description: 'The services ranked and the calls between them' }
    ),
    traceId: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{32}$',
        description:
          'The analysis’ OpenTelemetry trace id, which is its agent run id (GET /api/v1/runs/{id}; Tempo has it when OTLP is set)',
      })
    ),
  },
  { additionalProperties: false, title: 'RcaResult' }
);

export const SemanticPayloadSchema = Type.Object(
  {
    incidentId: Type.String(),
    title: Type.String(),
    severity: Type.String(),
    service: Type.Optional(Type.String({ description: 'The first service the incident’s alerts name' })),
    services: Type.Array(Type.String()),
    owner: Type.Optional(Type.String()),
    team: Type.Optional(Type.String()),
    tier: Type.Optional(Type.String()),
    startsAt: Type.String({ format: 'date-time' }),
    changeWindow: Type.Optional(
      Type.Object(
        {
          changeId: Type.String(),
          service: Type.String(),
          kind: Type.String(),
          title: Type.String(),
          startsAt: Type.String({ format: 'date-time' }),
          endsAt: Type.Optional(Type.String({ format: 'date-time' })),
        },
        { description: 'The change to one of its services whose window the incident started in' }
      )
    ),
    bizTags: Type.Array(Type.String(), {
      description: 'Business context: capabilities, customer-facing, business tags from rules',
    }),
    tags: Type.Record(Type.String(), Type.String()),
    evidence: Type.Array(Type.String(), { description: 'Evidence and change ids, strongest first' }),
  },
  { title: 'SemanticPayload' }
);

const AnalysisStatusSchema = Type.Object(
  {
    running: Type.Boolean(),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    steps: Type.Array(
      Type.Object({
        name: Type.String({ enum: [...ANALYSIS_STEPS], description: 'context, perception, reasoning, then llm when one is configured' }),
        state: Type.String({ enum: ['done', 'running', 'pending'] }),
        finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      })
    ),
  },
  { title: 'AnalysisStatus' }
);

/** Each step of the analysis in flight: those finished, the one running, those to come. */
function statusView(progress: AnalysisProgress | undefined) {
  if (progress === undefined) {
    return { running: false, startedAt: null, steps: [] };
  }
  const names = ANALYSIS_STEPS.filter((name) => name !== 'llm' || progress.withLlm);
  return {
    running: true,
    startedAt: progress.startedAt.toISOString(),
    steps: names.map((name, index) => {
      const finished = progress.finished.find((entry) => entry.step === name);
      const state = finished !== undefined ? 'done' : index === progress.finished.length ? 'running' : 'pending';
      return { name, state, finishedAt: finished?.at.toISOString() ?? null };
    }),
  };
}

const FeedbackBody = Type.Object(
  {
    service: Type.String({ minLength: 1, maxLength: 253, description: 'The cause the verdict is about' }),
    verdict: Type.Union([Type.Literal('confirm'), Type.Literal('reject')]),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Who says so (the Grafana user)' })),
    remediation: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'What fixed it; kept with the confirmed cause for the next similar incident',
      })
    ),
    comment: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false, title: 'RcaFeedback' }
);

const FeedbackListSchema = Type.Object({
  feedback: Type.Array(
    Type.Object({
      service: Type.String(),
      verdict: Type.String({ enum: ['confirm', 'reject'] }),
      by: Type.Union([Type.String(), Type.Null()]),
      at: Type.String({ format: 'date-time' }),
      comment: Type.Union([Type.String(), Type.Null()]),
      remediation: Type.Union([Type.String(), Type.Null()]),
    })
  ),
});

function feedbackView(list: Feedback[]) {
  return {
    feedback: list.map((one) => ({
      service: one.service,
      verdict: one.verdict,
      by: one.by ?? null,
      at: one.at.toISOString(),
      comment: one.comment ?? null,
      remediation: one.remediation ?? null,
    })),
  };
}

/** POST …/analyze, GET …/rca and POST/GET …/feedback for one incident. */
export const rcaRoutes: FastifyPluginAsyncTypebox<RcaRoutesOptions> = async (app, { rca }) => {
  const notFound = (id: string) => errorBody(404, `No incident with id ${quote(id)}`);

  app.post(
    '/incidents/:id/analyze',
    {
      schema: {
        summary: 'Rank the incident’s root causes now (collecting its evidence again)',
        description:
          'Synchronous by default; with ?async=true it answers 202 at once and GET …/rca has the result when done.',
        tags: ['reasoning'],
        params: Params,
        querystring: Type.Object({
          async: Type.Optional(Type.Boolean({ description: 'Answer 202 at once and analyse in the background' })),
        }),
        response: {
          200: RcaResultSchema,
          202: Type.Object({ status: Type.Literal('running'), incidentId: Type.String() }),
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const incident = await rca.incident(id);
      if (incident === undefined) {
        return reply.code(404).send(notFound(id));
      }
      if (request.query.async === true) {
        rca.start(incident);
        return reply.code(202).send({ status: 'running' as const, incidentId: id });
      }
      return rca.analyze(incident);
    }
  );

  app.get(
    '/incidents/:id/rca',
    {
      schema: {
        summary: 'The incident’s latest root-cause analysis',
        tags: ['reasoning'],
        params: Params,
        response: { 200: RcaResultSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((await rca.incident(id)) === undefined) {
        return reply.code(404).send(notFound(id));
      }
      const result = await rca.result(id);
      if (result === undefined) {
        const state = rca.isRunning(id) ? 'is running; ask again shortly' : 'has not been run: POST …/analyze';
        return reply.code(404).send(errorBody(404, `The analysis of incident ${quote(id)} ${state}`));
      }
      return result;
    }
  );

  app.get(
    '/incidents/:id/analysis',
    {
      schema: {
        summary: 'Progress of the incident’s analysis in flight: which steps finished, which runs',
        tags: ['reasoning'],
        params: Params,
        response: { 200: AnalysisStatusSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((await rca.incident(id)) === undefined) {
        return reply.code(404).send(notFound(id));
      }
      return statusView(rca.progress(id));
    }
  );

  app.get(
    '/incidents/:id/payload',
    {
      schema: {
        summary: 'The incident as the LLM and workflows read it: owner, change window, business tags and evidence ids',
        description: 'Made by each analysis; 404 until the incident has been analysed.',
        tags: ['reasoning'],
        params: Params,
        response: { 200: SemanticPayloadSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const payload = (await rca.incident(id)) === undefined ? undefined : await rca.payload(id);
      if (payload === undefined) {
        return reply.code(404).send(errorBody(404, `No analysed incident with id ${quote(id)}: POST …/analyze first`));
      }
      return payload;
    }
  );

  app.post(
    '/incidents/:id/feedback',
    {
      schema: {
        summary: 'Confirm or reject a root cause',
        description:
          'A confirmed cause is added to the knowledge base as a resolved incident, so the next similar incident finds it.',
        tags: ['reasoning'],
        params: Params,
        body: FeedbackBody,
        response: {
          200: FeedbackListSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const incident = await rca.incident(id);
      if (incident === undefined) {
        return reply.code(404).send(notFound(id));
      }
      const { service, verdict, by, comment, remediation } = request.body;
      return feedbackView(await rca.feedback(incident, { service, verdict, by, comment, remediation }));
    }
  );

  app.get(
    '/incidents/:id/feedback',
    {
      schema: {
        summary: 'What SREs said of the incident’s root causes, oldest first',
        tags: ['reasoning'],
        params: Params,
        response: { 200: FeedbackListSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((await rca.incident(id)) === undefined) {
        return reply.code(404).send(notFound(id));
      }
      return feedbackView(await rca.listFeedback(id));
    }
  );
};
