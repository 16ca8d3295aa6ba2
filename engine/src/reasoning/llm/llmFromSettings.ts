import type { EngineConfig, LlmConfig } from '../../config.ts';
import { DEFAULTS } from '../../config.ts';
import type { EngineLogger } from '../../observability/logger.ts';
import type { Settings } from '../../settings/settings.ts';
import { createLlmClient } from './client.ts';
import type { LlmClient } from './client.ts';

// Endpoints kept at once: the saved one, plus a few tried from the Settings page.
const MAX_CLIENTS = 4;

/** The LLM an analysis uses, or why there is none. */
export type LlmChoice = { client: LlmClient; unavailable?: undefined } | { client?: undefined; unavailable: string };

/**
 * Resolves the LLM from the stored settings (base URL and model, as the Settings page saves them) over the engine
 * configuration (INTELOPS_LLM_*), which also holds the key and the limits. A client is made once per endpoint and
 * model; the last few are kept, so trying an unsaved endpoint from the Settings page does not drop the one analyses use.
 */
export function llmResolver(
  config: Pick<EngineConfig, 'llm' | 'llmApiKey'>,
  logger: EngineLogger
): (settings: Settings['llm']) => LlmChoice {
  const clients = new Map<string, LlmClient>();
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
    let client = clients.get(key);
    if (client === undefined) {
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
      client = createLlmClient(effective, { logger });
      logger.info({ baseUrl: new URL(baseUrl).origin, model }, 'LLM client ready');
    }
    // Most recently used last: the first key is the one to drop.
    clients.delete(key);
    clients.set(key, client);
    const oldest = clients.keys().next();
    if (clients.size > MAX_CLIENTS && oldest.done !== true) {
      clients.delete(oldest.value);
    }
    return { client };
  };
}

/** The LLM settings to try: values typed but not saved yet over the saved ones (each field on its own). */
export function llmSettingsWith(saved: Settings['llm'], unsaved: { baseUrl?: string; model?: string }): Settings['llm'] {
  return {
    ...(saved?.baseUrl === undefined ? {} : { baseUrl: saved.baseUrl }),
    ...(saved?.model === undefined ? {} : { model: saved.model }),
    ...(unsaved.baseUrl === undefined ? {} : { baseUrl: unsaved.baseUrl }),
    ...(unsaved.model === undefined ? {} : { model: unsaved.model }),
  };
}
