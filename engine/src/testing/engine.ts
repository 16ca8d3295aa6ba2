import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { EngineConfig, LlmConfig, LogLevel, StoreConfig } from '../config.ts';
import { DEFAULTS } from '../config.ts';
import { openEngine } from '../engine.ts';
import type { Engine, EngineOptions } from '../engine.ts';
import { createLogger } from '../observability/logger.ts';
import { captureLogs } from './logs.ts';
import type { LogCapture } from './logs.ts';
import { freshPgliteStore } from './stores.ts';

export interface StartEngineOptions {
  /** Default: a fresh PGlite folder, deleted by stop(). A store passed in is left as it is. */
  store?: StoreConfig;
  /** Default: a random token. null: no token (needs insecure). */
  token?: string | null;
  insecure?: boolean;
  logLevel?: LogLevel;
  bodyLimitBytes?: number;
  llmApiKey?: string;
  /** An LLM endpoint, e.g. testing/openaiServer.ts. */
  llm?: LlmConfig;
  /** A folder of CMDB YAML files (INTELOPS_CMDB_DIR). */
  cmdbDir?: string;
  /** A YAML file of provisioned settings (INTELOPS_SETTINGS_FILE). */
  settingsFile?: string;
  /** Execution settings: workflow folder, egress allowlist, secrets, policy. */
  execution?: Partial<Pick<EngineConfig, 'workflowsDir' | 'workflowPolicy' | 'egressAllow' | 'egressAllowPrivate' | 'secretsDir' | 'runnerId'>>;
  webhookToken?: string;
  grafanaHmacSecret?: string;
  /** The engine's clock and intake tuning. */
  engine?: EngineOptions;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON, with Content-Type: application/json. */
  json?: unknown;
  /** Sent as is, with Content-Type: application/json (for malformed bodies). */
  rawJson?: string;
  /** Default: the engine's token. null: no Authorization header. */
  token?: string | null;
  /** Sent as is, with its own Content-Type header (set it in `headers`). */
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface RunningEngine {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  token: string | undefined;
  config: EngineConfig;
  engine: Engine;
  /** Everything the engine logged, as JSON lines. */
  logs: LogCapture;
  request(path: string, options?: RequestOptions): Promise<Response>;
  stop(): Promise<void>;
}

/** Starts the real engine (store, migrations, HTTP server) on 127.0.0.1 and a free port. */
export async function startEngine(options: StartEngineOptions = {}): Promise<RunningEngine> {
  const owned = options.store === undefined ? await freshPgliteStore() : undefined;
  const store = options.store ?? owned?.config;
  if (store === undefined) {
    throw new Error('no store');
  }
  const token = options.token === null ? undefined : (options.token ?? randomBytes(18).toString('base64url'));
  const config: EngineConfig = {
    port: 0,
    host: '127.0.0.1',
    token,
    insecure: options.insecure ?? false,
    store,
    logLevel: options.logLevel ?? 'info',
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes,
    llmApiKey: options.llmApiKey ?? options.llm?.apiKey,
    llm: options.llm,
    cmdbDir: options.cmdbDir,
    settingsFile: options.settingsFile,
    ...options.execution,
    webhookToken: options.webhookToken,
    grafanaHmacSecret: options.grafanaHmacSecret,
  };
  const logs = captureLogs();
  let engine: Engine;
  try {
    engine = await openEngine(config, createLogger(config.logLevel, logs), options.engine);
    await engine.listen();
  } catch (error) {
    await owned?.remove();
    throw error;
  }
  const url = `http://127.0.0.1:${portOf(engine.app.server.address())}`;
  return {
    url,
    token,
    config,
    engine,
    logs,
    request(path, requestOptions = {}) {
      const headers: Record<string, string> = {};
      const bearer = requestOptions.token === undefined ? token : requestOptions.token;
      if (bearer !== null && bearer !== undefined) {
        headers.authorization = `Bearer ${bearer}`;
      }
      let body: string | Buffer | undefined = requestOptions.body;
      if (requestOptions.json !== undefined || requestOptions.rawJson !== undefined) {
        headers['content-type'] = 'application/json';
        body = requestOptions.rawJson ?? JSON.stringify(requestOptions.json);
      }
      Object.assign(headers, requestOptions.headers);
      return fetch(`${url}${path}`, { method: requestOptions.method ?? (body === undefined ? 'GET' : 'PUT'), headers, body });
    },
    async stop() {
      try {
        await engine.close();
      } finally {
        await owned?.remove();
      }
    },
  };
}

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') {
    throw new Error(`the engine is not listening on a TCP port (${String(address)})`);
  }
  return address.port;
}
