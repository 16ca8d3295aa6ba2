import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { quote } from '../../invalidInput.ts';
import type { AskOutcome, AskRequest } from '../../reasoning/analyze/askIncident.ts';
import { MAX_HISTORY_TURNS, MAX_QUESTION_CHARS } from '../../reasoning/llm/answerQuestion.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface AskRoutesOptions {
  ask: (incidentId: string, request: AskRequest, signal?: AbortSignal) => Promise<AskOutcome>;
}

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

const Question = Type.String({ minLength: 1, maxLength: MAX_QUESTION_CHARS });

const AskBody = Type.Object(
  {
    question: Type.String({
      minLength: 1,
      maxLength: MAX_QUESTION_CHARS,
      description: 'What to ask about the incident, e.g. “Why was checkout slow before the deploy?”',
    }),
    history: Type.Optional(
      Type.Array(
        Type.Object({ question: Question, answer: Type.String({ maxLength: 8000 }) }, { additionalProperties: false }),
        { maxItems: MAX_HISTORY_TURNS, description: 'Earlier questions and answers of this conversation, oldest first' }
      )
    ),
  },
  { additionalProperties: false, title: 'IncidentQuestion' }
);

const AnswerSchema = Type.Object(
  {
    answer: Type.String(),
    evidence: Type.Array(Type.String(), {
      description: 'Ids of the incident’s evidence and changes the answer rests on',
    }),
    toolCalls: Type.Array(Type.String(), { description: 'Data-catalog tools the model called, in order' }),
    model: Type.String(),
    usage: Type.Object(
      { promptTokens: Type.Integer({ minimum: 0 }), completionTokens: Type.Integer({ minimum: 0 }) },
      { additionalProperties: false }
    ),
    hallucinationsDropped: Type.Integer({
      minimum: 0,
      description: 'Cited ids that are not the incident’s evidence or changes, dropped',
    }),
    traceId: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{32}$',
        description: 'The answer’s OpenTelemetry trace id, which is its agent run id',
      })
    ),
  },
  { additionalProperties: false, title: 'IncidentAnswer' }
);

/** POST …/ask: a follow-up question about an analysed incident, answered by the configured LLM. */
export const askRoutes: FastifyPluginAsyncTypebox<AskRoutesOptions> = async (app, { ask }) => {
  app.post(
    '/incidents/:id/ask',
    {
      schema: {
        summary: 'Ask the LLM a follow-up question about an analysed incident',
        description:
          'The LLM reads the latest analysis (evidence, changes, causes, CMDB) and may query the data catalog (runbooks, evidence, services, metrics, logs) for a few rounds. 409 when no LLM is configured or the incident has not been analysed; 502 when the LLM fails.',
        tags: ['reasoning'],
        params: Params,
        body: AskBody,
        response: {
          200: AnswerSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
          502: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { question, history = [] } = request.body;
      const outcome = await ask(id, { question, history });
      switch (outcome.kind) {
        case 'answered':
          return outcome.answer;
        case 'unknown_incident':
          return reply.code(404).send(errorBody(404, `No incident with id ${quote(id)}`));
        case 'no_llm':
          return reply.code(409).send(errorBody(409, `Questions need an LLM. ${outcome.message}`));
        case 'not_analysed':
          return reply
            .code(409)
            .send(errorBody(409, `Incident ${quote(id)} has not been analysed yet: POST …/analyze first`));
        case 'llm_failed':
          return reply.code(502).send(errorBody(502, `The LLM did not answer: ${outcome.reason}`));
      }
    }
  );
};
