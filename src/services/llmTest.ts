import { isEngineRequestError } from '../datasource/engineClient';
import type { EngineReader } from '../datasource/incidents';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { EXAMPLE_URLS, type SourceSettingsValues, urlProblem } from './engineSettings';
import { type EngineRead, readFromEngine } from './incidents';

export const LLM_TEST_PATH = '/api/v1/llm/test';

/** What one test call came to: the model answered, the endpoint failed (with why), or there is no LLM to test. */
export type LlmTestOutcome =
  | { state: 'answered'; model: string; latencyMs: number; reply: string }
  | { state: 'failed'; model?: string; latencyMs: number; error: string }
  | { state: 'unconfigured'; message: string }
  /** Not sent, or refused by the engine: the base URL or model is not one it accepts. */
  | { state: 'refused'; message: string };

/** The client call the test needs; the datasource's EngineClient has it. */
export type EnginePoster = EngineReader & { post: (path: `/api/v1/${string}`, body: object) => Promise<unknown> };

/** The body: the form's base URL and model as typed (possibly unsaved); empty ones fall back to the saved settings. */
export function llmTestBody(values: Pick<SourceSettingsValues, 'llmBaseUrl' | 'llmModel'>): {
  baseUrl?: string;
  model?: string;
} {
  const baseUrl = values.llmBaseUrl.trim();
  const model = values.llmModel.trim();
  return { ...(baseUrl === '' ? {} : { baseUrl }), ...(model === '' ? {} : { model }) };
}

/** Reads the engine's answer to POST /api/v1/llm/test. */
export function parseLlmTest(body: unknown): LlmTestOutcome {
  if (!isRecord(body) || typeof body.ok !== 'boolean' || typeof body.latencyMs !== 'number') {
    throw invalidBody(LLM_TEST_PATH, 'the body has no ok and latencyMs');
  }
  const model = typeof body.model === 'string' ? body.model : undefined;
  if (body.ok) {
    if (model === undefined) {
      throw invalidBody(LLM_TEST_PATH, 'the answer names no model');
    }
    return {
      state: 'answered',
      model,
      latencyMs: body.latencyMs,
      reply: typeof body.reply === 'string' ? body.reply : '',
    };
  }
  const error = typeof body.error === 'string' && body.error !== '' ? body.error : 'the engine gave no reason';
  return { state: 'failed', ...(model === undefined ? {} : { model }), latencyMs: body.latencyMs, error };
}

function canPost(client: EngineReader): client is EnginePoster {
  return typeof Reflect.get(client, 'post') === 'function';
}

/**
 * POST /api/v1/llm/test through the IntelOps datasource: the engine sends its LLM one tiny chat completion with the
 * base URL and model given (the key stays in the engine). A URL the engine would refuse is not sent.
 */
export function testLlm(
  lookup: DatasourceLookup,
  values: Pick<SourceSettingsValues, 'llmBaseUrl' | 'llmModel'>
): Promise<EngineRead<LlmTestOutcome>> {
  return readFromEngine(lookup, async (client): Promise<LlmTestOutcome> => {
    const problem = urlProblem(values.llmBaseUrl, EXAMPLE_URLS.llmBaseUrl);
    if (problem !== undefined) {
      return { state: 'refused', message: `Fix the LLM base URL first: ${problem}` };
    }
    if (!canPost(client)) {
      throw new Error('this IntelOps datasource cannot send POST requests: update the IntelOps plugin');
    }
    try {
      return parseLlmTest(await client.post(LLM_TEST_PATH, llmTestBody(values)));
    } catch (error) {
      // 409: nothing to test; the engine says which setting is missing.
      if (isEngineRequestError(error) && error.status === 409) {
        return { state: 'unconfigured', message: error.detail ?? 'No LLM is configured in the engine.' };
      }
      if (isEngineRequestError(error) && error.kind === 'rejected') {
        return { state: 'refused', message: `The engine refused the values: ${error.detail ?? 'it gave no reason'}` };
      }
      throw error;
    }
  });
}
