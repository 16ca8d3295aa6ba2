import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { ConfigError } from './config.ts';
import { startEngine } from './testing/engine.ts';
import { readJson } from './testing/http.ts';
import { tempDir } from './testing/temp.ts';
import { describeEachStore } from './testing/stores.ts';

const alert = (name: string, service: string, minute: number) => ({
  status: 'firing',
  labels: { alertname: name, service },
  annotations: { summary: `${name} on ${service}` },
  startsAt: new Date(Date.parse('2026-11-02T08:00:00Z') + minute * 60_000).toISOString(),
});

const CMDB = { services: [{ name: 'checkout', dependsOn: ['payments'] }, { name: 'payments', dependsOn: ['db'] }, { name: 'db' }, { name: 'index' }] };

const incidentsOf = async (response: Response) => {
  const { incidents } = await readJson(response);
  assert.ok(Array.isArray(incidents));
  return incidents.map((incident: unknown) => ({ ...Object(incident) }));
};

describeEachStore('engine restart', (target) => {
  it('keeps settings, alerts and incidents, applies no migration twice, and groups new alerts with old ones', async () => {
    const fresh = await target.fresh();
    try {
      const first = await startEngine({ store: fresh.config, token: 'restart-token' });
      let before: Array<Record<string, unknown>>;
      try {
        const put = await first.request('/api/v1/settings', { json: { prometheus: { url: 'http://prometheus:9090' }, llm: { model: 'm1' } } });
        assert.equal(put.status, 200);
        const status = await readJson(await first.request('/api/v1/status'));
        assert.equal(status.store, target.kind);
        assert.ok(first.logs.entries().some((entry) => entry.msg === 'migrations applied'));
        assert.equal((await first.request('/api/v1/cmdb', { json: CMDB })).status, 200);
        const posted = await first.request('/api/v1/alerts/alertmanager', { method: 'POST', json: { alerts: [alert('PaymentsErrors', 'payments', 1), alert('IndexSlow', 'index', 1)] } });
        assert.equal(posted.status, 200);
        before = await incidentsOf(await first.request('/api/v1/incidents'));
        assert.equal(before.length, 2);
      } finally {
        await first.stop();
      }

      // Provisioned settings fill only what was never saved: the saved Prometheus URL stays.
      const files = await tempDir('settings');
      const settingsFile = path.join(files.path, 'settings.yaml');
      await writeFile(settingsFile, 'prometheus: { url: "http://other:9090" }\ntempo: { url: "http://tempo:3200" }\n');
      const second = await startEngine({ store: fresh.config, token: 'restart-token', settingsFile }).finally(() => files.remove());
      try {
        assert.deepEqual(await readJson(await second.request('/api/v1/settings')), {
          prometheus: { url: 'http://prometheus:9090' },
          llm: { model: 'm1', apiKeySet: false },
          tempo: { url: 'http://tempo:3200' },
        });
        const startup = second.logs.entries().find((entry) => entry.msg === 'database schema up to date');
        assert.ok(startup, 'the second start applies nothing');
        assert.deepEqual(startup.applied, []);
        const { rows } = await second.engine.store.query<{ n: number }>('select count(*) as n from schema_migrations where version = 1');
        assert.deepEqual(rows, [{ n: 1 }]);

        assert.deepEqual(await incidentsOf(await second.request('/api/v1/incidents')), before, 'the same incidents after the restart');
        // A late root cause (db, started first) and a caller arrive with a redelivery: they join the payments incident from before the restart.
        const late = await readJson(
          await second.request('/api/v1/alerts/alertmanager', {
            method: 'POST',
            json: { alerts: [alert('CheckoutErrors', 'checkout', 2), alert('DbDown', 'db', 0), alert('PaymentsErrors', 'payments', 1)] },
          })
        );
        assert.deepEqual([late.created, late.redelivered], [2, 1], 'a redelivery is still recognised after the restart');
        const after = await incidentsOf(await second.request('/api/v1/incidents'));
        assert.deepEqual(after.map((incident) => incident.id).sort(), before.map((incident) => incident.id).sort(), 'no new incident');
        const payments = after.find((incident) => Array.isArray(incident.services) && incident.services.includes('payments'));
        assert.deepEqual(payments?.services, ['checkout', 'db', 'payments']);
        assert.equal(payments?.title, 'DbDown on db', 'titled after the root cause that arrived late');
        assert.equal(payments?.alertCount, 3);
      } finally {
        await second.stop();
      }
    } finally {
      await fresh.remove();
    }
  });
});

it('refuses to start on a provisioned settings file with a mistake, naming the file, line and field', async () => {
  const files = await tempDir('settings');
  try {
    const settingsFile = path.join(files.path, 'settings.yaml');
    await writeFile(settingsFile, 'loki:\n  url: loki:3100\n');
    await assert.rejects(
      startEngine({ settingsFile }),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith(`INTELOPS_SETTINGS_FILE: ${settingsFile} line 2: loki/url must match pattern`)
    );
  } finally {
    await files.remove();
  }
});
