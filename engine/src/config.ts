import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseUpstreamAuth } from './sources/http.ts';
import type { UpstreamAuth } from './sources/http.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An OpenAI-compatible endpoint (OpenAI, Azure, Ollama, vLLM, LiteLLM); set when a base URL is configured. */
export interface LlmConfig {
  baseUrl: string;
  model: string;
  /** Undefined for endpoints that need none (Ollama, a local vLLM). */
  apiKey: string | undefined;
  timeoutMs: number;
  maxRetries: number;
  /** Prompt plus completion tokens one analysis may spend, tool rounds included. */
  tokenBudget: number;
  /** Enables embeddings for the knowledge base when set. */
  embeddingModel: string | undefined;
  /** Azure OpenAI's api-version query parameter; when set the key goes in the api-key header, as Azure expects. */
  apiVersion: string | undefined;
}

export type StoreConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; databaseUrl: string };

export interface EngineConfig {
  port: number;
  host: string;
  /** Bearer token for /api/v1; undefined only when `insecure` is true. */
  token: string | undefined;
  insecure: boolean;
  store: StoreConfig;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  llmApiKey: string | undefined;
  /** Undefined when no LLM base URL is configured: reasoning then uses the deterministic ranking alone. */
  llm?: LlmConfig | undefined;
  /** Accepted, besides the API token, on the alert intake routes only (POST /api/v1/alerts…). */
  webhookToken: string | undefined;
  /** Verifies Grafana's X-Grafana-Alerting-Signature on POST /api/v1/alerts/grafana. */
  grafanaHmacSecret: string | undefined;
  /** Credentials for the upstreams: `user:password` (basic) or `Bearer <token>`. */
  prometheusAuth?: UpstreamAuth | undefined;
  lokiAuth?: UpstreamAuth | undefined;
  tempoAuth?: UpstreamAuth | undefined;
  /** A folder of CMDB YAML files: the base the CMDB saved through the API is merged over. */
  cmdbDir?: string | undefined;
  /** A folder of markdown runbooks for the knowledge base; the repository's knowledge/runbooks when unset. */
  runbooksDir?: string | undefined;
  /** A Grafana service-account token, for reading change annotations (setting `grafana`). */
  grafanaToken?: string | undefined;
  /** Execution: a folder of workflow YAML files (read-only through the API). */
  workflowsDir?: string | undefined;
  /** Execution: the policy file saying which side-effecting actions run without approval. */
  workflowPolicy?: string | undefined;
  /** A YAML file of settings sections written into the stored settings while they lack them (see provisionSettings). */
  settingsFile?: string | undefined;
  /** Execution: the hosts actions may call, e.g. `hooks.slack.com, *.pagerduty.com, 10.0.0.0/8`. */
  egressAllow?: string | undefined;
  /** Execution: lets allowed hosts resolve to loopback, private and link-local addresses (labs; never metadata). */
  egressAllowPrivate?: boolean;
  /** Execution: a folder holding one file per secret, as Docker and Kubernetes mount them. */
  secretsDir?: string | undefined;
  /** Execution: a stable name of this engine, so that it takes back its runs at once after a restart. */
  runnerId?: string | undefined;
  /** Execution: how long finished workflow runs (with their steps, approvals and audit trail) are kept, in ms. */
  workflowRunRetentionMs?: number | undefined;
  /** AI observability: how long agent runs (traces of analyses, questions, drafts, workflow runs) are kept, in ms. */
  agentRunRetentionMs?: number | undefined;
}

export const DEFAULTS = {
  port: 8686,
  host: '0.0.0.0',
  dataDir: './data',
  logLevel: 'info',
  bodyLimitBytes: 1024 * 1024,
  llmTimeoutMs: 30_000,
  llmMaxRetries: 2,
  llmTokenBudget: 12_000,
} as const;

/** Each config-file key and the environment variable that overrides it. */
export const ENV_VARS = {
  port: 'INTELOPS_PORT',
  host: 'INTELOPS_HOST',
  token: 'INTELOPS_TOKEN',
  tokenFile: 'INTELOPS_TOKEN_FILE',
  dataDir: 'INTELOPS_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  logLevel: 'INTELOPS_LOG_LEVEL',
  bodyLimitBytes: 'INTELOPS_BODY_LIMIT',
  insecure: 'INTELOPS_INSECURE',
  llmApiKey: 'INTELOPS_LLM_API_KEY',
  llmApiKeyFile: 'INTELOPS_LLM_API_KEY_FILE',
  llmBaseUrl: 'INTELOPS_LLM_BASE_URL',
  llmModel: 'INTELOPS_LLM_MODEL',
  llmTimeoutMs: 'INTELOPS_LLM_TIMEOUT_MS',
  llmMaxRetries: 'INTELOPS_LLM_MAX_RETRIES',
  llmTokenBudget: 'INTELOPS_LLM_TOKEN_BUDGET',
  llmEmbeddingModel: 'INTELOPS_LLM_EMBEDDING_MODEL',
  llmApiVersion: 'INTELOPS_LLM_API_VERSION',
  webhookToken: 'INTELOPS_WEBHOOK_TOKEN',
  webhookTokenFile: 'INTELOPS_WEBHOOK_TOKEN_FILE',
  grafanaHmacSecret: 'INTELOPS_GRAFANA_HMAC_SECRET',
  grafanaHmacSecretFile: 'INTELOPS_GRAFANA_HMAC_SECRET_FILE',
  prometheusAuth: 'INTELOPS_PROMETHEUS_AUTH',
  prometheusAuthFile: 'INTELOPS_PROMETHEUS_AUTH_FILE',
  lokiAuth: 'INTELOPS_LOKI_AUTH',
  lokiAuthFile: 'INTELOPS_LOKI_AUTH_FILE',
  tempoAuth: 'INTELOPS_TEMPO_AUTH',
  tempoAuthFile: 'INTELOPS_TEMPO_AUTH_FILE',
  cmdbDir: 'INTELOPS_CMDB_DIR',
  runbooksDir: 'INTELOPS_RUNBOOKS_DIR',
  grafanaToken: 'INTELOPS_GRAFANA_TOKEN',
  workflowsDir: 'INTELOPS_WORKFLOWS_DIR',
  workflowPolicy: 'INTELOPS_WORKFLOW_POLICY',
  settingsFile: 'INTELOPS_SETTINGS_FILE',
  egressAllow: 'INTELOPS_EGRESS_ALLOW',
  egressAllowPrivate: 'INTELOPS_EGRESS_ALLOW_PRIVATE',
  secretsDir: 'INTELOPS_SECRETS_DIR',
  runnerId: 'INTELOPS_RUNNER_ID',
  workflowRunRetention: 'INTELOPS_WORKFLOW_RUN_RETENTION',
  agentRunRetention: 'INTELOPS_AGENT_RUN_RETENTION',
  grafanaTokenFile: 'INTELOPS_GRAFANA_TOKEN_FILE',
} as const;

export const CONFIG_FILE_VAR = 'INTELOPS_CONFIG';

type Key = keyof typeof ENV_VARS;
const KEYS = Object.keys(ENV_VARS) as Key[];

/** Secrets given either as a value or as a file holding it. */
const SECRET_KEYS = [
  ['token', 'tokenFile'],
  ['llmApiKey', 'llmApiKeyFile'],
  ['webhookToken', 'webhookTokenFile'],
  ['grafanaHmacSecret', 'grafanaHmacSecretFile'],
  ['prometheusAuth', 'prometheusAuthFile'],
  ['lokiAuth', 'lokiAuthFile'],
  ['tempoAuth', 'tempoAuthFile'],
  ['grafanaToken', 'grafanaTokenFile'],
] as const;

/** A configuration problem a person can fix; main.ts prints the message and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One raw value and where it came from, so errors can name the variable or the file and key. */
interface Raw {
  value: unknown;
  origin: string;
  /** Relative paths resolve against this folder: the cwd for env vars, the file's folder for file keys. */
  baseDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): EngineConfig {
  const raw: Partial<Record<Key, Raw>> = {};
  const configFile = nonEmpty(env[CONFIG_FILE_VAR]);
  if (configFile !== undefined) {
    Object.assign(raw, readConfigFile(path.resolve(cwd, configFile)));
  }
  const fromEnv: Partial<Record<Key, Raw>> = {};
  for (const key of KEYS) {
    const value = nonEmpty(env[ENV_VARS[key]]);
    if (value !== undefined) {
      fromEnv[key] = { value, origin: ENV_VARS[key], baseDir: cwd };
    }
  }
  // A secret set in the environment replaces the file's secret in either form (value or file path).
  for (const [valueKey, fileKey] of SECRET_KEYS) {
    if (fromEnv[valueKey] !== undefined || fromEnv[fileKey] !== undefined) {
      delete raw[valueKey];
      delete raw[fileKey];
    }
  }
  Object.assign(raw, fromEnv);

  const token = readSecret(raw.token, raw.tokenFile);
  const insecure = raw.insecure === undefined ? false : parseBoolean(raw.insecure);
  if (token === undefined && !insecure) {
    throw new ConfigError(
      'No API token configured, so the engine will not start. Set INTELOPS_TOKEN to a long random secret ' +
        '(for example: export INTELOPS_TOKEN="$(openssl rand -base64 32)"), or INTELOPS_TOKEN_FILE to a file ' +
        'holding it, or `token` in the INTELOPS_CONFIG file. To run without authentication on a trusted ' +
        'machine, set INTELOPS_INSECURE=true.'
    );
  }

  const llmApiKey = readSecret(raw.llmApiKey, raw.llmApiKeyFile);
  const databaseUrl = raw.databaseUrl === undefined ? undefined : parseDatabaseUrl(raw.databaseUrl);
  const store: StoreConfig =
    databaseUrl !== undefined
      ? { kind: 'postgres', databaseUrl }
      : { kind: 'pglite', dataDir: raw.dataDir === undefined ? path.resolve(cwd, DEFAULTS.dataDir) : parsePath(raw.dataDir) };

  return {
    port: raw.port === undefined ? DEFAULTS.port : parseInteger(raw.port, 0, 65535),
    host: raw.host === undefined ? DEFAULTS.host : parseString(raw.host),
    token,
    insecure,
    store,
    logLevel: raw.logLevel === undefined ? DEFAULTS.logLevel : parseLogLevel(raw.logLevel),
    bodyLimitBytes: raw.bodyLimitBytes === undefined ? DEFAULTS.bodyLimitBytes : parseInteger(raw.bodyLimitBytes, 1, 2 ** 31 - 1),
    llmApiKey,
    llm: parseLlm(raw, llmApiKey),
    webhookToken: readSecret(raw.webhookToken, raw.webhookTokenFile),
    grafanaHmacSecret: readSecret(raw.grafanaHmacSecret, raw.grafanaHmacSecretFile),
    prometheusAuth: readSecretAs(raw.prometheusAuth, raw.prometheusAuthFile, parseAuth),
    lokiAuth: readSecretAs(raw.lokiAuth, raw.lokiAuthFile, parseAuth),
    tempoAuth: readSecretAs(raw.tempoAuth, raw.tempoAuthFile, parseAuth),
    cmdbDir: raw.cmdbDir === undefined ? undefined : parsePath(raw.cmdbDir),
    runbooksDir: raw.runbooksDir === undefined ? undefined : parsePath(raw.runbooksDir),
    grafanaToken: readSecret(raw.grafanaToken, raw.grafanaTokenFile),
    workflowsDir: raw.workflowsDir === undefined ? undefined : parsePath(raw.workflowsDir),
    workflowPolicy: raw.workflowPolicy === undefined ? undefined : parsePath(raw.workflowPolicy),
    settingsFile: raw.settingsFile === undefined ? undefined : parsePath(raw.settingsFile),
    egressAllow: raw.egressAllow === undefined ? undefined : parseString(raw.egressAllow),
    egressAllowPrivate: raw.egressAllowPrivate === undefined ? false : parseBoolean(raw.egressAllowPrivate),
    secretsDir: raw.secretsDir === undefined ? undefined : parsePath(raw.secretsDir),
    runnerId: raw.runnerId === undefined ? undefined : parseString(raw.runnerId),
    workflowRunRetentionMs: raw.workflowRunRetention === undefined ? undefined : parseRetention(raw.workflowRunRetention),
    agentRunRetentionMs: raw.agentRunRetention === undefined ? undefined : parseRetention(raw.agentRunRetention),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  // Compose files often pass `VAR=${VAR:-}`: an empty variable means "not set".
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readConfigFile(file: string): Partial<Record<Key, Raw>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file} (from ${CONFIG_FILE_VAR}): ${errorMessage(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid YAML or JSON: ${errorMessage(error)}`);
  }
  if (parsed === null || parsed === undefined) {
    return {};
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${file} must hold a mapping of settings (key: value), not ${describe(parsed)}`);
  }
  const result: Partial<Record<Key, Raw>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!isKey(key)) {
      throw new ConfigError(`Unknown key "${key}" in config file ${file}; known keys: ${KEYS.join(', ')}`);
    }
    if (value !== null && value !== undefined) {
      result[key] = { value, origin: `"${key}" in config file ${file}`, baseDir: path.dirname(file) };
    }
  }
  return result;
}

function isKey(key: string): key is Key {
  return (KEYS as string[]).includes(key);
}

function readSecret(value: Raw | undefined, file: Raw | undefined): string | undefined {
  return readSecretAs(value, file, parseSecret);
}

function readSecretAs<T>(value: Raw | undefined, file: Raw | undefined, parse: (raw: Raw, value: unknown) => T): T | undefined {
  if (value !== undefined && file !== undefined) {
    throw new ConfigError(`Set only one of ${value.origin} and ${file.origin}`);
  }
  if (value !== undefined) {
    return parse(value, typeof value.value === 'string' ? value.value.trim() : value.value);
  }
  if (file === undefined) {
    return undefined;
  }
  const secretPath = parsePath(file);
  let text: string;
  try {
    text = readFileSync(secretPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the file named by ${file.origin}: ${errorMessage(error)}`);
  }
  return parse({ ...file, origin: `${file.origin} (${secretPath})` }, text.trim());
}

function parseSecret(raw: Raw, value: unknown): string {
  // Never echo a secret back in an error message.
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(`Invalid ${raw.origin}: must be a non-empty string`);
  }
  if (/\s/.test(value)) {
    throw new ConfigError(`Invalid ${raw.origin}: must not contain spaces or line breaks`);
  }
  return value;
}

function parseAuth(raw: Raw, value: unknown): UpstreamAuth {
  const auth = typeof value === 'string' ? parseUpstreamAuth(value) : undefined;
  if (auth === undefined) {
    throw new ConfigError(`Invalid ${raw.origin}: must be user:password (basic auth) or "Bearer <token>"`);
  }
  return auth;
}

function invalid(raw: Raw, expected: string): ConfigError {
  return new ConfigError(`Invalid ${raw.origin}: ${expected} (got ${describe(raw.value)})`);
}

function parseInteger(raw: Raw, min: number, max: number): number {
  const text = typeof raw.value === 'number' ? String(raw.value) : typeof raw.value === 'string' ? raw.value.trim() : '';
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(raw, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseBoolean(raw: Raw): boolean {
  if (typeof raw.value === 'boolean') {
    return raw.value;
  }
  const text = typeof raw.value === 'string' ? raw.value.trim().toLowerCase() : '';
  if (text === 'true' || text === '1') {
    return true;
  }
  if (text === 'false' || text === '0') {
    return false;
  }
  throw invalid(raw, 'must be true or false');
}

function parseString(raw: Raw): string {
  if (typeof raw.value !== 'string' || raw.value.trim() === '') {
    throw invalid(raw, 'must be a non-empty string');
  }
  return raw.value.trim();
}

const RETENTION_UNIT_MS: Record<string, number | undefined> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** `14d`, `36h`, `90m`, `30s` in milliseconds. */
function parseRetention(raw: Raw): number {
  const match = typeof raw.value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(d|h|m|s)\s*$/.exec(raw.value) : null;
  const unitMs = RETENTION_UNIT_MS[match?.[2] ?? ''];
  const amount = Number(match?.[1]);
  if (unitMs === undefined || !(amount > 0)) {
    throw invalid(raw, 'must be a duration like 14d, 36h or 90m');
  }
  return Math.round(amount * unitMs);
}

function parsePath(raw: Raw): string {
  return path.resolve(raw.baseDir, parseString(raw));
}

function parseLlm(raw: Partial<Record<Key, Raw>>, apiKey: string | undefined): LlmConfig | undefined {
  if (raw.llmBaseUrl === undefined) {
    return undefined;
  }
  if (raw.llmModel === undefined) {
    throw new ConfigError(
      `${raw.llmBaseUrl.origin} is set but no model is: set ${ENV_VARS.llmModel} (or "llmModel" in the config file) to the model to call, e.g. gpt-4o-mini or llama3.1`
    );
  }
  return {
    baseUrl: parseHttpUrl(raw.llmBaseUrl),
    model: parseString(raw.llmModel),
    apiKey,
    timeoutMs: raw.llmTimeoutMs === undefined ? DEFAULTS.llmTimeoutMs : parseInteger(raw.llmTimeoutMs, 1, 600_000),
    maxRetries: raw.llmMaxRetries === undefined ? DEFAULTS.llmMaxRetries : parseInteger(raw.llmMaxRetries, 0, 10),
    // Below about 1000 tokens not even the instructions and the answer fit.
    tokenBudget: raw.llmTokenBudget === undefined ? DEFAULTS.llmTokenBudget : parseInteger(raw.llmTokenBudget, 1000, 2_000_000),
    embeddingModel: raw.llmEmbeddingModel === undefined ? undefined : parseString(raw.llmEmbeddingModel),
    apiVersion: raw.llmApiVersion === undefined ? undefined : parseString(raw.llmApiVersion),
  };
}

/** The value as a URL with one of the protocols; the message never echoes the value, which may hold a secret. */
function parseUrl(raw: Raw, protocols: readonly string[], what: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(parseString(raw));
  } catch {
    url = undefined;
  }
  if (url === undefined || !protocols.includes(url.protocol)) {
    throw new ConfigError(`Invalid ${raw.origin}: must be ${what}`);
  }
  return url;
}

function parseHttpUrl(raw: Raw): string {
  const url = parseUrl(raw, ['http:', 'https:'], 'an http:// or https:// URL');
  if (url.username !== '' || url.password !== '') {
    // Credentials in the URL would be logged with it: the key has its own setting.
    throw new ConfigError(`Invalid ${raw.origin}: must not carry credentials; set ${ENV_VARS.llmApiKey} instead`);
  }
  return parseString(raw);
}

function parseLogLevel(raw: Raw): LogLevel {
  const text = typeof raw.value === 'string' ? raw.value.trim().toLowerCase() : '';
  const level = LOG_LEVELS.find((candidate) => candidate === text);
  if (level === undefined) {
    throw invalid(raw, `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

function parseDatabaseUrl(raw: Raw): string {
  parseUrl(raw, ['postgres:', 'postgresql:'], 'a postgres:// or postgresql:// URL');
  return parseString(raw);
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return value === null ? 'null' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A database URL safe to log: the password replaced. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') {
      url.password = '***';
    }
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
