import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidInput } from '../invalidInput.ts';
import { openMigratedStore } from '../execution/runs/testing/fixtures.ts';
import { loadSettings, saveSettings } from '../store/settings.ts';
import type { Store } from '../store/store.ts';
import { freshPgliteStore } from '../testing/stores.ts';
import type { FreshStore } from '../testing/stores.ts';
import { parseSettingsFile, provisionSettings } from './provisionSettings.ts';

const COMPOSE = `# The stack's sources
prometheus: { url: "http://prometheus:9090" }
loki: { url: "http://loki:3100" }
tempo: { url: "http://tempo:3200" }
`;

describe('provisioned settings', () => {
  let fresh: FreshStore;
  let store: Store;

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
  });
  after(async () => {
    await store.close();
    await fresh.remove();
  });

  it('fill the sections never saved, and leave alone what a person saved', async () => {
    const provisioned = parseSettingsFile(COMPOSE, 'settings.yaml');
    assert.deepEqual(await provisionSettings(store, provisioned), ['prometheus', 'loki', 'tempo']);
    assert.deepEqual(await loadSettings(store), provisioned);
    assert.deepEqual(await provisionSettings(store, provisioned), [], 'a restart changes nothing');

    await saveSettings(store, { prometheus: { url: 'http://mimir:9009/prometheus' }, llm: { model: 'm' } });
    const added = await provisionSettings(store, parseSettingsFile(`${COMPOSE}grafana: { url: "http://grafana:3000" }\n`, 'settings.yaml'));
    assert.deepEqual(added, ['loki', 'tempo', 'grafana']);
    assert.deepEqual(await loadSettings(store), {
      prometheus: { url: 'http://mimir:9009/prometheus' },
      llm: { model: 'm' },
      loki: { url: 'http://loki:3100' },
      tempo: { url: 'http://tempo:3200' },
      grafana: { url: 'http://grafana:3000' },
    });
  });

  it('name the file, line and field of a mistake, as the Settings page would refuse it', () => {
    const mistakes: Array<[string, RegExp]> = [
      ['prometheus:\n  url: prometheus:9090\n', /^s\.yaml line 2: prometheus\/url must match pattern/],
      ['prometheus: { url: "http://p:9090" }\nlokki: { url: "http://l:3100" }\n', /^s\.yaml line 2: \(top level\) has unknown key "lokki"/],
      ['', /^s\.yaml: is empty; settings are one mapping/],
      ['a: 1\n---\nb: 2\n', /^s\.yaml: holds 2 YAML documents/],
      ['prometheus: [\n', /^s\.yaml line \d+, column \d+: not valid YAML/],
    ];
    for (const [text, message] of mistakes) {
      assert.throws(() => parseSettingsFile(text, 's.yaml'), (error: unknown) => error instanceof InvalidInput && message.test(error.message), `${text} → ${message}`);
    }
    assert.deepEqual(parseSettingsFile('{"llm": {"model": "m", "apiKeySet": true}}', 's.json'), { llm: { model: 'm' } }, 'read-only flags are dropped');
  });
});
