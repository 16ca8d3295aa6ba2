import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_DESCRIPTION_CHARS, draftWorkflow } from '../../execution/workflows/draftWorkflow.ts';
import type { Actions } from '../../execution/workflows/parseWorkflow.ts';
import { failureReason } from '../../reasoning/llm/failureReason.ts';
import type { LlmChoice } from '../../reasoning/llm/llmFromSettings.ts';
import { AGENT_NAMES, GEN_AI, GEN_AI_OPERATION } from '../../observability/tracing/conventions.ts';
import { traceRun } from '../../observability/tracing/spans.ts';
import type { AgentTracing } from '../../observability/tracing/spans.ts';
import type { Settings } from '../../settings/settings.ts';
import { loadSettings } from '../../store/settings.ts';
import type { Queryable } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface WorkflowDraftRoutesOptions {
  store: Queryable;
  /** The resolver analyses use (settings over configuration). */
  llm: (settings: Settings['llm']) => LlmChoice;
  /** The actions drafts may use: the engine's. */
  actions: Actions;
  /** Each draft becomes an agent run (a trace) when given. */
  tracing?: AgentTracing | undefined;
}

const DraftBody = Type.Object(
  {
    description: Type.String({
      minLength: 1,
      maxLength: MAX_DESCRIPTION_CHARS,
      description: 'What the workflow should do, in words, e.g. "every morning check p95 latency and error rate of the checkout path and post a summary to #ops"',
    }),
  },
  { additionalProperties: false, title: 'WorkflowDraftRequest' }
);

export const DraftSchema = Type.Object(
  {
    yaml: Type.String({ description: 'The drafted workflow; save it with PUT /api/v1/workflows/{name} once a person accepts it' }),
    valid: Type.Boolean({ description: 'Whether it checks against the schema, the actions and their inputs' }),
    errors: Type.Array(Type.String(), { description: 'Why it does not check, naming the line and the field; empty when valid' }),
    dryRun: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String(),
            action: Type.String(),
            sideEffect: Type.Boolean(),
            approval: Type.Enum(['auto', 'required'] as const),
            if: Type.Optional(Type.String()),
            description: Type.String({ description: 'What the step would do, as the approval list says it' }),
          },
          { additionalProperties: false }
        ),
        { description: 'What each step would do, when the draft is valid' }
      )
    ),
    repaired: Type.Boolean({ description: 'Whether the first draft did not check and the LLM was given its error once to repair it' }),
    model: Type.String(),
    usage: Type.Object({ promptTokens: Type.Integer({ minimum: 0 }), completionTokens: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  },
  { additionalProperties: false, title: 'WorkflowDraft' }
);

/** POST /workflows/draft: a workflow drafted by the LLM from words, checked, never saved. */
export const workflowDraftRoutes: FastifyPluginAsyncTypebox<WorkflowDraftRoutesOptions> = async (app, { store, llm, actions, tracing }) => {
  app.post(
    '/workflows/draft',
    {
      schema: {
        summary: 'Draft a workflow from a description in words with the LLM (not saved)',
        description:
          'The LLM writes YAML from the published schema, the actions and examples; the draft is checked like PUT /workflows/{name} ' +
          'would, and a draft that does not check gets one repair round with the error. 200 with valid: false and the errors when ' +
          'it still does not check; 409 when no LLM is configured; 502 when the LLM fails. Nothing is saved.',
        tags: ['execution'],
        body: DraftBody,
        response: { 200: DraftSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 409: ErrorResponseSchema, 502: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const choice = llm((await loadSettings(store)).llm);
      if (choice.client === undefined) {
        return reply.code(409).send(errorBody(409, `Drafting workflows needs an LLM. ${choice.unavailable}.`));
      }
      const { client } = choice;
      try {
        const draft = await traceRun(
          tracing,
          {
            kind: 'draft',
            name: `${GEN_AI_OPERATION.invokeAgent} ${AGENT_NAMES.draft}`,
            attributes: { [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent, [GEN_AI.agentName]: AGENT_NAMES.draft },
          },
          () => draftWorkflow(client, request.body.description, actions)
        );
        request.log.info({ model: draft.model, valid: draft.valid, repaired: draft.repaired, usage: draft.usage }, 'workflow drafted');
        return draft;
      } catch (error) {
        const reason = failureReason(error, client);
        request.log.warn({ reason }, 'drafting a workflow failed');
        return reply.code(502).send(errorBody(502, `The LLM did not draft a workflow: ${reason}`));
      }
    }
  );
};
