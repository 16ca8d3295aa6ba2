import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { llmSettingsWith } from '../../reasoning/llm/llmFromSettings.ts';
import type { LlmChoice } from '../../reasoning/llm/llmFromSettings.ts';
import { MAX_REPLY_CHARS, pingLlm } from '../../reasoning/llm/ping.ts';
import { HttpUrl } from '../../settings/settings.ts';
import type { Settings } from '../../settings/settings.ts';
import { loadSettings } from '../../store/settings.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface LlmTestRoutesOptions {
  store: Store;
  /** The resolver analyses use: the test builds its client the same way, key and limits included. */
  llm: (settings: Settings['llm']) => LlmChoice;
}

const LlmTestBody = Type.Object(
  {
    baseUrl: Type.Optional({ ...HttpUrl, description: 'An endpoint to try before saving it; default: the saved one' }),
    model: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'A model to try before saving it; default: the saved one' })
    ),
  },
  { additionalProperties: false, title: 'LlmTestRequest' }
);

const LlmTestResult = Type.Union(
  [
    Type.Object(
      {
        ok: Type.Literal(true),
        model: Type.String(),
        latencyMs: Type.Integer({ minimum: 0 }),
        reply: Type.String({ maxLength: MAX_REPLY_CHARS, description: 'What the model answered, cut short' }),
      },
      { additionalProperties: false }
    ),
    Type.Object(
      {
        ok: Type.Literal(false),
        model: Type.Optional(Type.String()),
        latencyMs: Type.Integer({ minimum: 0 }),
        error: Type.String({ description: 'Why the call failed, in words (timeout, HTTP status, unreachable…)' }),
      },
      { additionalProperties: false }
    ),
  ],
  { title: 'LlmTestResult' }
);

/** POST /api/v1/llm/test: one tiny chat completion, so an admin sees the endpoint, model and key work together. */
export const llmTestRoutes: FastifyPluginAsyncTypebox<LlmTestRoutesOptions> = async (app, { store, llm }) => {
  app.post(
    '/llm/test',
    {
      schema: {
        summary: 'Send the LLM one tiny chat completion and say whether it answered',
        description:
          'Uses the saved settings over the engine configuration; baseUrl and model in the body try values not saved ' +
          'yet. The API key always comes from the engine environment (INTELOPS_LLM_API_KEY). 200 with ok: false when ' +
          'the endpoint fails (the reason says why); 409 when no LLM is configured.',
        tags: ['reasoning'],
        body: LlmTestBody,
        response: { 200: LlmTestResult, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
      // The body is optional: without one, the saved settings are tested.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const saved = await loadSettings(store);
      const choice = llm(llmSettingsWith(saved.llm, request.body));
      if (choice.client === undefined) {
        return reply.code(409).send(errorBody(409, `Nothing to test. ${choice.unavailable}.`));
      }
      const result = await pingLlm(choice.client);
      const origin = new URL(choice.client.openai.baseURL).origin;
      if (result.ok) {
        request.log.info({ baseUrl: origin, model: result.model, latencyMs: result.latencyMs }, 'LLM test call answered');
      } else {
        request.log.warn(
          { baseUrl: origin, model: result.model, latencyMs: result.latencyMs, reason: result.error },
          'LLM test call failed'
        );
      }
      return result;
    }
  );
};
