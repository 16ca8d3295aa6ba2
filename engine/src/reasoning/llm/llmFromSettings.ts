import type { EngineConfig, LlmConfig } from '../../config.ts';
import { DEFAULTS } from '../../config.ts';
import type { EngineLogger } from '../../observability/logger.ts';
import type { Settings } from '../../settings/settings.ts';
import { createLlmClient } from './client.ts';
import type { LlmClient } from './client.ts';

/** The LLM an analysis uses, or why there is none. */
export type LlmChoice = { client: LlmClient; unavailable?: undefined } | { client?: undefined; unavailable: string };

/**
 * Resolves the LLM from the stored settings (base URL and model, as the Settings page saves them) over the engine
 * configuration (INTELOPS_LLM_*), which also holds the key and the limits. A client is made once per endpoint and
 * model, and kept while the settings stay the same.
 */
export function llmResolver(
  config: Pick<EngineConfig, 'llm' | 'llmApiKey'>,
  logger: EngineLogger
): (settings: Settings['llm']) => LlmChoice {
  let cached: { key: string; client: LlmClient } | undefined;
  return (settings) => {
    const baseUrl = settings?.baseUrl ?? config.llm?.baseUrl;
    const model = settings?.model ?? config.llm?.model;
    if (baseUrl === undefined || model === undefined) {
      return {
        unavailable:
          baseUrl === undefined
            ? 'No LLM is configured: set its base URL and model in the settings (or INTELOPS_LLM_BASE_URL and INTELOPS_LLM_MODEL)'
            : `No LLM model is set for ${new URL(baseUrl).origin}: set it in the settings (or INTELOPS_LLM_MODEL)`,
      };
    }
    const key = `${baseUrl}\n${model}`;
    if (cached?.key !== key) {
      const effective: LlmConfig = {
        timeoutMs: DEFAULTS.llmTimeoutMs,
        maxRetries: DEFAULTS.llmMaxRetries,
        tokenBudget: DEFAULTS.llmTokenBudget,
        embeddingModel: undefined,
        apiVersion: undefined,
        ...config.llm,
        apiKey: config.llm?.apiKey ?? config.llmApiKey,
        baseUrl,
        model,
      };
      cached = { key, client: createLlmClient(effective, { logger }) };
      logger.info({ baseUrl: new URL(baseUrl).origin, model }, 'LLM client ready');
    }
    return { client: cached.client };
  };
}
