import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { captureLogs } from '../../testing/logs.ts';
import { llmResolver, llmSettingsWith } from './llmFromSettings.ts';

const configured = {
  baseUrl: 'http://ollama:11434/v1',
  model: 'llama3.1',
  apiKey: 'sk-config-key',
  timeoutMs: 5000,
  maxRetries: 1,
  tokenBudget: 8000,
  embeddingModel: undefined,
  apiVersion: undefined,
};

describe('llmResolver', () => {
  it('says how to configure an LLM when neither the settings nor the configuration name one', () => {
    const resolve = llmResolver({ llm: undefined, llmApiKey: undefined }, createLogger('silent'));
    assert.match(resolve(undefined).unavailable ?? '', /^No LLM is configured: set its base URL and model in the settings/);
    assert.match(resolve({ baseUrl: 'https://llm.example/v1' }).unavailable ?? '', /^No LLM model is set for https:\/\/llm\.example/);
  });

  it('lets the settings override the configured endpoint and model, keeping its key and limits, and reuses the client', () => {
    const logs = captureLogs();
    const resolve = llmResolver({ llm: configured, llmApiKey: 'sk-config-key' }, createLogger('info', logs));
    const fromConfig = resolve(undefined).client;
    assert.equal(fromConfig?.model, 'llama3.1');
    assert.equal(fromConfig?.openai.baseURL, 'http://ollama:11434/v1');
    assert.equal(resolve({}).client, fromConfig, 'the same endpoint keeps its client');
    const fromSettings = resolve({ baseUrl: 'https://llm.example/v1', model: 'gpt-4o-mini' }).client;
    assert.equal(fromSettings?.model, 'gpt-4o-mini');
    assert.equal(fromSettings?.openai.baseURL, 'https://llm.example/v1');
    assert.equal(fromSettings?.tokenBudget, 8000);
    assert.equal(fromSettings?.openai.apiKey, 'sk-config-key');
    assert.ok(!logs.text().includes('sk-config-key'), 'the key is never logged');
  });

  it('keeps the saved endpoint’s client while another is tried, and lays unsaved values over the saved ones', () => {
    const resolve = llmResolver({ llm: configured, llmApiKey: 'sk-config-key' }, createLogger('silent'));
    const saved = resolve(undefined).client;
    resolve(llmSettingsWith({ model: 'llama3.1' }, { baseUrl: 'https://llm.example/v1' }));
    assert.equal(resolve(undefined).client, saved, 'trying an endpoint does not drop the saved one');
    assert.deepEqual(llmSettingsWith({ baseUrl: 'http://a/v1', model: 'm1' }, { model: 'm2' }), { baseUrl: 'http://a/v1', model: 'm2' });
    assert.deepEqual(llmSettingsWith(undefined, {}), {});
  });
});
