import OpenAI from 'openai';
import type { LlmConfig } from '../../config.ts';
import type { EngineLogger } from '../../observability/logger.ts';

/** The configured endpoint: the official client plus what an analysis needs to know about its limits. */
export interface LlmClient {
  openai: OpenAI;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  tokenBudget: number;
  embeddingModel: string | undefined;
  /** Scrubs the API key out of any text (error messages, reasons) before it leaves this module. */
  redact(text: string): string;
}

export interface LlmClientOptions {
  /** Receives the client's own warnings (retries, failures); never the key: the client redacts auth headers. */
  logger?: EngineLogger;
}

// The client refuses to start without a key; endpoints that need none get this and no Authorization header.
const NO_KEY = 'no-key';

/**
 * A thin wrapper over the official `openai` client, which already retries 429 and 5xx with exponential backoff
 * and honours Retry-After; environment variables (OPENAI_API_KEY, OPENAI_BASE_URL) are never read: the
 * engine's config is the one source.
 */
export function createLlmClient(config: LlmConfig, options: LlmClientOptions = {}): LlmClient {
  const azure = config.apiVersion !== undefined;
  const headers: Record<string, string | null> = {};
  if (config.apiKey === undefined) {
    headers['Authorization'] = null;
  } else if (azure) {
    // Azure OpenAI takes keys in api-key; Authorization is for Entra ID tokens.
    headers['Authorization'] = null;
    headers['api-key'] = config.apiKey;
  }
  const logger = options.logger?.child({ component: 'llm-client' });
  const openai = new OpenAI({
    baseURL: config.baseUrl,
    apiKey: config.apiKey ?? NO_KEY,
    organization: null,
    project: null,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    defaultHeaders: headers,
    ...(azure ? { defaultQuery: { 'api-version': config.apiVersion } } : {}),
    ...(logger === undefined
      ? { logLevel: 'off' as const }
      : {
          logLevel: 'warn' as const,
          logger: {
            error: (message: string) => logger.error(message),
            warn: (message: string) => logger.warn(message),
            info: (message: string) => logger.info(message),
            debug: (message: string) => logger.debug(message),
          },
        }),
  });
  const key = config.apiKey;
  return {
    openai,
    model: config.model,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    tokenBudget: config.tokenBudget,
    embeddingModel: config.embeddingModel,
    redact: (text) => (key === undefined || key === '' ? text : text.split(key).join('[redacted]')),
  };
}
