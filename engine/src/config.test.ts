import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, DEFAULTS, loadConfig, redactDatabaseUrl } from './config.ts';
import { tempDir } from './testing/temp.ts';
import type { TempDir } from './testing/temp.ts';

describe('loadConfig', () => {
  let dir: TempDir;
  before(async () => {
    dir = await tempDir('config');
  });
  after(async () => {
    await dir.remove();
  });

  const writeConfig = async (name: string, text: string) => {
    const file = path.join(dir.path, name);
    await writeFile(file, text);
    return file;
  };

  it('applies the defaults when only a token is set', () => {
    const config = loadConfig({ INTELOPS_TOKEN: 'secret-token' }, '/srv/intelops');
    assert.deepEqual(config, {
      port: 8686,
      host: '0.0.0.0',
      token: 'secret-token',
      insecure: false,
      store: { kind: 'pglite', dataDir: '/srv/intelops/data' },
      logLevel: 'info',
      bodyLimitBytes: DEFAULTS.bodyLimitBytes,
      llmApiKey: undefined,
      llm: undefined,
      webhookToken: undefined,
      grafanaHmacSecret: undefined,
      prometheusAuth: undefined,
      lokiAuth: undefined,
      tempoAuth: undefined,
      cmdbDir: undefined,
      runbooksDir: undefined,
      grafanaToken: undefined,
      workflowsDir: undefined,
      workflowPolicy: undefined,
      settingsFile: undefined,
      egressAllow: undefined,
      egressAllowPrivate: false,
      secretsDir: undefined,
      runnerId: undefined,
      workflowRunRetentionMs: undefined,
      agentRunRetentionMs: undefined,
    });
    assert.equal(DEFAULTS.bodyLimitBytes, 1048576);
  });

  it('reads every environment variable', () => {
    const config = loadConfig(
      {
        INTELOPS_TOKEN: 't0ken',
        INTELOPS_PORT: '9000',
        INTELOPS_HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://user:pw@db:5432/intelops',
        INTELOPS_LOG_LEVEL: 'DEBUG',
        INTELOPS_BODY_LIMIT: '2048',
        INTELOPS_LLM_API_KEY: 'sk-test',
        INTELOPS_WEBHOOK_TOKEN: 'hook-token',
        INTELOPS_GRAFANA_HMAC_SECRET: 'hmac-secret',
        INTELOPS_CMDB_DIR: 'cmdb',
        INTELOPS_RUNBOOKS_DIR: '/etc/runbooks',
        INTELOPS_WORKFLOWS_DIR: 'workflows',
        INTELOPS_SETTINGS_FILE: 'settings.yaml',
        INTELOPS_EGRESS_ALLOW: 'hooks.slack.com, *.pagerduty.com',
        INTELOPS_EGRESS_ALLOW_PRIVATE: 'true',
        INTELOPS_GRAFANA_TOKEN: 'glsa_token',
        INTELOPS_AGENT_RUN_RETENTION: '36h',
        INTELOPS_WORKFLOW_RUN_RETENTION: '90d',
      },
      '/srv'
    );
    assert.equal(config.agentRunRetentionMs, 36 * 3_600_000);
    assert.equal(config.workflowRunRetentionMs, 90 * 86_400_000);
    assert.equal(config.cmdbDir, '/srv/cmdb');
    assert.equal(config.runbooksDir, '/etc/runbooks');
    assert.equal(config.workflowsDir, '/srv/workflows');
    assert.equal(config.settingsFile, '/srv/settings.yaml');
    assert.equal(config.egressAllow, 'hooks.slack.com, *.pagerduty.com');
    assert.equal(config.egressAllowPrivate, true);
    assert.equal(config.grafanaToken, 'glsa_token');
    assert.equal(config.port, 9000);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.store, { kind: 'postgres', databaseUrl: 'postgresql://user:pw@db:5432/intelops' });
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.bodyLimitBytes, 2048);
    assert.equal(config.llmApiKey, 'sk-test');
    assert.equal(config.webhookToken, 'hook-token');
    assert.equal(config.grafanaHmacSecret, 'hmac-secret');
  });

  it('reads the webhook token and the Grafana HMAC secret from files or the config file', async () => {
    const hookFile = await writeConfig('hook-token', 'hook-from-file\n');
    const hmacFile = await writeConfig('hmac-secret', 'hmac-from-file\n');
    const fromFiles = loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_WEBHOOK_TOKEN_FILE: hookFile, INTELOPS_GRAFANA_HMAC_SECRET_FILE: hmacFile }, '/');
    assert.equal(fromFiles.webhookToken, 'hook-from-file');
    assert.equal(fromFiles.grafanaHmacSecret, 'hmac-from-file');
    const configFile = await writeConfig('hooks.yaml', 'token: t\nwebhookToken: hook-in-config\ngrafanaHmacSecret: hmac-in-config\n');
    const fromConfig = loadConfig({ INTELOPS_CONFIG: configFile }, '/');
    assert.equal(fromConfig.webhookToken, 'hook-in-config');
    assert.equal(fromConfig.grafanaHmacSecret, 'hmac-in-config');
    assert.equal(loadConfig({ INTELOPS_CONFIG: configFile, INTELOPS_WEBHOOK_TOKEN_FILE: hookFile }, '/').webhookToken, 'hook-from-file');
    assert.throws(
      () => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_WEBHOOK_TOKEN: 'has space' }, '/'),
      (error: unknown) => error instanceof ConfigError && /INTELOPS_WEBHOOK_TOKEN: must not contain spaces/.test(error.message) && !error.message.includes('has space')
    );
  });

  it('configures the LLM when a base URL is set, with defaults, from the environment or the config file', async () => {
    assert.equal(loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_LLM_API_KEY: 'sk-only-key' }, '/').llm, undefined);
    const ollama = loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_LLM_BASE_URL: 'http://ollama:11434/v1', INTELOPS_LLM_MODEL: 'llama3.1' }, '/');
    assert.deepEqual(ollama.llm, {
      baseUrl: 'http://ollama:11434/v1',
      model: 'llama3.1',
      apiKey: undefined,
      timeoutMs: 30000,
      maxRetries: 2,
      tokenBudget: 12000,
      embeddingModel: undefined,
      apiVersion: undefined,
    });
    const keyFile = await writeConfig('llm-key', 'sk-from-file\n');
    const all = loadConfig(
      {
        INTELOPS_TOKEN: 't',
        INTELOPS_LLM_BASE_URL: 'https://example.openai.azure.com/openai/v1',
        INTELOPS_LLM_MODEL: 'gpt-4o-mini',
        INTELOPS_LLM_API_KEY_FILE: keyFile,
        INTELOPS_LLM_TIMEOUT_MS: '5000',
        INTELOPS_LLM_MAX_RETRIES: '0',
        INTELOPS_LLM_TOKEN_BUDGET: '4000',
        INTELOPS_LLM_EMBEDDING_MODEL: 'text-embedding-3-small',
        INTELOPS_LLM_API_VERSION: '2024-10-21',
      },
      '/'
    );
    assert.deepEqual(all.llm, {
      baseUrl: 'https://example.openai.azure.com/openai/v1',
      model: 'gpt-4o-mini',
      apiKey: 'sk-from-file',
      timeoutMs: 5000,
      maxRetries: 0,
      tokenBudget: 4000,
      embeddingModel: 'text-embedding-3-small',
      apiVersion: '2024-10-21',
    });
    assert.equal(all.llmApiKey, 'sk-from-file');
    const file = await writeConfig('llm.yaml', 'token: t\nllmBaseUrl: http://vllm:8000/v1\nllmModel: qwen\nllmTimeoutMs: 1000\nllmTokenBudget: 20000\n');
    const fromFile = loadConfig({ INTELOPS_CONFIG: file, INTELOPS_LLM_MODEL: 'qwen2.5' }, '/');
    assert.equal(fromFile.llm?.baseUrl, 'http://vllm:8000/v1');
    assert.equal(fromFile.llm?.model, 'qwen2.5');
    assert.equal(fromFile.llm?.timeoutMs, 1000);
    assert.equal(fromFile.llm?.tokenBudget, 20000);
  });

  it('rejects an LLM base URL without a model, a bad URL and out-of-range LLM numbers', async () => {
    assert.throws(
      () => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_LLM_BASE_URL: 'http://ollama:11434/v1' }, '/'),
      new ConfigError(
        'INTELOPS_LLM_BASE_URL is set but no model is: set INTELOPS_LLM_MODEL (or "llmModel" in the config file) to the model to call, e.g. gpt-4o-mini or llama3.1'
      )
    );
    const file = await writeConfig('llm-no-model.yaml', 'token: t\nllmBaseUrl: http://ollama:11434/v1\n');
    assert.throws(() => loadConfig({ INTELOPS_CONFIG: file }, '/'), new RegExp(`"llmBaseUrl" in config file ${file} is set but no model is`));
    const base = { INTELOPS_TOKEN: 't', INTELOPS_LLM_MODEL: 'm' };
    assert.throws(() => loadConfig({ ...base, INTELOPS_LLM_BASE_URL: 'ollama:11434' }, '/'), /Invalid INTELOPS_LLM_BASE_URL: must be an http:\/\/ or https:\/\/ URL$/);
    assert.throws(
      () => loadConfig({ ...base, INTELOPS_LLM_BASE_URL: 'https://user:hunter2@llm.example/v1' }, '/'),
      (error: unknown) => error instanceof ConfigError && /must not carry credentials/.test(error.message) && !error.message.includes('hunter2')
    );
    const ok = { ...base, INTELOPS_LLM_BASE_URL: 'http://llm/v1' };
    assert.throws(() => loadConfig({ ...ok, INTELOPS_LLM_TIMEOUT_MS: '0' }, '/'), /Invalid INTELOPS_LLM_TIMEOUT_MS: must be a whole number from 1 to 600000 \(got "0"\)/);
    assert.throws(() => loadConfig({ ...ok, INTELOPS_LLM_MAX_RETRIES: '11' }, '/'), /Invalid INTELOPS_LLM_MAX_RETRIES: must be a whole number from 0 to 10/);
    assert.throws(() => loadConfig({ ...ok, INTELOPS_LLM_TOKEN_BUDGET: '999' }, '/'), /Invalid INTELOPS_LLM_TOKEN_BUDGET: must be a whole number from 1000 to 2000000/);
  });

  it('refuses to start without a token and says how to set one', () => {
    assert.throws(
      () => loadConfig({}, '/srv'),
      (error: unknown) => error instanceof ConfigError && /No API token/.test(error.message) && /INTELOPS_TOKEN/.test(error.message) && /INTELOPS_INSECURE=true/.test(error.message)
    );
    // An empty variable (as compose files pass them) counts as unset.
    assert.throws(() => loadConfig({ INTELOPS_TOKEN: '  ' }, '/srv'), /No API token/);
  });

  it('starts without a token only in insecure mode', () => {
    const config = loadConfig({ INTELOPS_INSECURE: 'true' }, '/srv');
    assert.equal(config.token, undefined);
    assert.equal(config.insecure, true);
    assert.throws(() => loadConfig({ INTELOPS_INSECURE: 'false' }, '/srv'), /No API token/);
    assert.throws(() => loadConfig({ INTELOPS_INSECURE: 'yes please' }, '/srv'), /Invalid INTELOPS_INSECURE: must be true or false \(got "yes please"\)/);
  });

  it('names the variable and the expected range for a bad port', () => {
    for (const port of ['abc', '-1', '65536', '80.5']) {
      assert.throws(
        () => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_PORT: port }, '/srv'),
        new ConfigError(`Invalid INTELOPS_PORT: must be a whole number from 0 to 65535 (got "${port}")`)
      );
    }
  });

  it('reads the agent run retention as a duration, naming the variable when it is not one', () => {
    assert.equal(loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_AGENT_RUN_RETENTION: '1.5d' }, '/srv').agentRunRetentionMs, 1.5 * 86_400_000);
    for (const value of ['two weeks', '0d', '14']) {
      assert.throws(
        () => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_AGENT_RUN_RETENTION: value }, '/srv'),
        new ConfigError(`Invalid INTELOPS_AGENT_RUN_RETENTION: must be a duration like 14d, 36h or 90m (got "${value}")`)
      );
    }
  });

  it('rejects a bad log level, body limit and database URL, without echoing the URL', () => {
    assert.throws(() => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_LOG_LEVEL: 'loud' }, '/'), /Invalid INTELOPS_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent/);
    assert.throws(() => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_BODY_LIMIT: '0' }, '/'), /Invalid INTELOPS_BODY_LIMIT/);
    assert.throws(
      () => loadConfig({ INTELOPS_TOKEN: 't', DATABASE_URL: 'mysql://root:hunter2@db/x' }, '/'),
      (error: unknown) => error instanceof ConfigError && /DATABASE_URL: must be a postgres:\/\//.test(error.message) && !error.message.includes('hunter2')
    );
  });

  it('reads upstream credentials as basic or bearer auth, from values or files, never echoing them', async () => {
    const tempoFile = await writeConfig('tempo-auth', 'Bearer tempo-token-123\n');
    const config = loadConfig(
      { INTELOPS_TOKEN: 't', INTELOPS_PROMETHEUS_AUTH: 'prom:s3cret:with-colon', INTELOPS_LOKI_AUTH: 'bearer loki-token', INTELOPS_TEMPO_AUTH_FILE: tempoFile },
      '/'
    );
    assert.deepEqual(config.prometheusAuth, { kind: 'basic', username: 'prom', password: 's3cret:with-colon' });
    assert.deepEqual(config.lokiAuth, { kind: 'bearer', token: 'loki-token' });
    assert.deepEqual(config.tempoAuth, { kind: 'bearer', token: 'tempo-token-123' });
    const configFile = await writeConfig('auth.yaml', 'token: t\nlokiAuth: "Bearer in-file"\n');
    assert.deepEqual(loadConfig({ INTELOPS_CONFIG: configFile }, '/').lokiAuth, { kind: 'bearer', token: 'in-file' });
    for (const bad of ['no-colon-here', 'Bearer two words', 'user:pass word']) {
      assert.throws(
        () => loadConfig({ INTELOPS_TOKEN: 't', INTELOPS_LOKI_AUTH: bad }, '/'),
        (error: unknown) => error instanceof ConfigError && /INTELOPS_LOKI_AUTH: must be user:password/.test(error.message) && !error.message.includes(bad)
      );
    }
  });

  it('never echoes a bad token', () => {
    assert.throws(
      () => loadConfig({ INTELOPS_TOKEN: 'has space inside' }, '/'),
      (error: unknown) => error instanceof ConfigError && /INTELOPS_TOKEN: must not contain spaces/.test(error.message) && !error.message.includes('inside')
    );
  });

  it('reads the token from INTELOPS_TOKEN_FILE, trimming the trailing newline', async () => {
    const file = await writeConfig('token', 'from-file\n');
    assert.equal(loadConfig({ INTELOPS_TOKEN_FILE: file }, '/').token, 'from-file');
    assert.throws(() => loadConfig({ INTELOPS_TOKEN_FILE: path.join(dir.path, 'missing') }, '/'), /Cannot read the file named by INTELOPS_TOKEN_FILE: ENOENT/);
    assert.throws(() => loadConfig({ INTELOPS_TOKEN_FILE: file, INTELOPS_TOKEN: 'x' }, '/'), /Set only one of INTELOPS_TOKEN and INTELOPS_TOKEN_FILE/);
    const empty = await writeConfig('empty-token', '\n');
    assert.throws(() => loadConfig({ INTELOPS_TOKEN_FILE: empty }, '/'), /INTELOPS_TOKEN_FILE .*must be a non-empty string/);
  });

  it('reads a YAML config file; the environment overrides it', async () => {
    const file = await writeConfig(
      'engine.yaml',
      ['port: 7000', 'host: 127.0.0.1', 'token: file-token', 'dataDir: state', 'logLevel: warn', 'bodyLimitBytes: 4096', 'insecure: false'].join('\n')
    );
    const fromFile = loadConfig({ INTELOPS_CONFIG: file }, '/elsewhere');
    assert.equal(fromFile.port, 7000);
    assert.equal(fromFile.host, '127.0.0.1');
    assert.equal(fromFile.token, 'file-token');
    // Relative paths in the file are relative to the file, not to the working directory.
    assert.deepEqual(fromFile.store, { kind: 'pglite', dataDir: path.join(dir.path, 'state') });
    assert.equal(fromFile.logLevel, 'warn');
    assert.equal(fromFile.bodyLimitBytes, 4096);

    const overridden = loadConfig({ INTELOPS_CONFIG: file, INTELOPS_PORT: '7001', INTELOPS_TOKEN: 'env-token', INTELOPS_DATA_DIR: 'here' }, '/work');
    assert.equal(overridden.port, 7001);
    assert.equal(overridden.token, 'env-token');
    assert.deepEqual(overridden.store, { kind: 'pglite', dataDir: '/work/here' });
    assert.equal(overridden.logLevel, 'warn');
  });

  it('lets an env token file replace a token from the config file', async () => {
    const file = await writeConfig('with-token.yaml', 'token: file-token\n');
    const tokenFile = await writeConfig('env-token', 'env-file-token');
    assert.equal(loadConfig({ INTELOPS_CONFIG: file, INTELOPS_TOKEN_FILE: tokenFile }, '/').token, 'env-file-token');
  });

  it('reads a JSON config file', async () => {
    const file = await writeConfig('engine.json', JSON.stringify({ databaseUrl: 'postgres://db/intelops', insecure: true }));
    const config = loadConfig({ INTELOPS_CONFIG: file }, '/');
    assert.deepEqual(config.store, { kind: 'postgres', databaseUrl: 'postgres://db/intelops' });
    assert.equal(config.insecure, true);
  });

  it('names the file and the key for bad or unknown keys', async () => {
    const badPort = await writeConfig('bad-port.yaml', 'token: t\nport: "eighty"\n');
    assert.throws(
      () => loadConfig({ INTELOPS_CONFIG: badPort }, '/'),
      new ConfigError(`Invalid "port" in config file ${badPort}: must be a whole number from 0 to 65535 (got "eighty")`)
    );
    const misspelt = await writeConfig('misspelt.yaml', 'token: t\nprot: 80\n');
    assert.throws(() => loadConfig({ INTELOPS_CONFIG: misspelt }, '/'), new RegExp(`Unknown key "prot" in config file ${misspelt}; known keys: port, host`));
    const notYaml = await writeConfig('broken.yaml', 'port: [1, 2\n');
    assert.throws(() => loadConfig({ INTELOPS_CONFIG: notYaml, INTELOPS_TOKEN: 't' }, '/'), new RegExp(`Config file ${notYaml} is not valid YAML or JSON`));
    const list = await writeConfig('list.yaml', '- port\n');
    assert.throws(() => loadConfig({ INTELOPS_CONFIG: list, INTELOPS_TOKEN: 't' }, '/'), /must hold a mapping of settings \(key: value\), not a list/);
    assert.throws(() => loadConfig({ INTELOPS_CONFIG: path.join(dir.path, 'nope.yaml'), INTELOPS_TOKEN: 't' }, '/'), /Cannot read config file .*nope\.yaml \(from INTELOPS_CONFIG\)/);
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps the rest', () => {
    assert.equal(redactDatabaseUrl('postgres://intelops:s3cret@db:5432/intelops'), 'postgres://intelops:***@db:5432/intelops');
    assert.equal(redactDatabaseUrl('postgres://db/intelops'), 'postgres://db/intelops');
  });
});
