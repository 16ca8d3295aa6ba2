import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startEngine } from '../../testing/engine.ts';
import type { RunningEngine } from '../../testing/engine.ts';
import { readError, readJson } from '../../testing/http.ts';

const YAML = `# the shop
services:
  - name: checkout
    owner: alice@example.com
    team: shop
    tier: tier-1
    capability: ordering
    customerFacing: true
    dependsOn: [payments]
  - name: payments
    team: money
    dependsOn:
      - db
      - fraud-check
  - name: db
  - name: index
`;

const alert = (name: string, service: string, minute: number) => ({
  status: 'firing',
  labels: { alertname: name, job: service },
  annotations: {},
  startsAt: new Date(Date.parse('2026-11-02T08:00:00Z') + minute * 60_000).toISOString(),
});

describe('GET/PUT /api/v1/cmdb', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine();
  });
  after(async () => {
    await engine.stop();
  });

  it('is empty until the first PUT', async () => {
    assert.deepEqual(await readJson(await engine.request('/api/v1/cmdb')), { services: [], updatedAt: null, fromFiles: [] });
  });

  it('takes YAML, warns about dependencies it does not list, and returns what it stored', async () => {
    for (const type of ['application/yaml', 'text/yaml', 'application/x-yaml']) {
      const response = await engine.request('/api/v1/cmdb', { method: 'PUT', body: YAML, headers: { 'content-type': type } });
      assert.equal(response.status, 200, type);
      const saved = await readJson(response);
      assert.deepEqual(saved.warnings, ['"fraud-check" is not in the CMDB but "payments" depends on it: it is kept as a service without details']);
      assert.equal(Array.isArray(saved.services) && saved.services.length, 4);
    }
    const stored = await readJson(await engine.request('/api/v1/cmdb'));
    assert.deepEqual(Array.isArray(stored.services) && stored.services[0], {
      name: 'checkout',
      owner: 'alice@example.com',
      team: 'shop',
      tier: 'tier-1',
      capability: 'ordering',
      customerFacing: true,
      dependsOn: ['payments'],
    });
    assert.match(String(stored.updatedAt), /^\d{4}-\d\d-\d\dT/);
  });

  it('takes JSON, and replaces the whole CMDB', async () => {
    const response = await engine.request('/api/v1/cmdb', { json: { services: [{ name: 'solo' }] } });
    assert.equal(response.status, 200);
    assert.deepEqual((await readJson(response)).warnings, []);
    assert.deepEqual((await readJson(await engine.request('/api/v1/cmdb'))).services, [{ name: 'solo' }]);
  });

  it('answers bad documents with 400 and keeps the stored one', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['application/yaml', 'services:\n  - name: db\n    dependsOn: [a\n  - name: b\n', /^Request body is not valid YAML at line 4, column 3: /],
      ['application/yaml', 'services:\n  - name: db\n  - name: db\n', /^body\/services\/1\/name "db" is already the name of body\/services\/0/],
      ['application/yaml', 'services:\n  - name: db\n    depends: [x]\n', /^body\/services\/0 has unknown property "depends" \(allowed: name, owner, team, tier, capability, customerFacing, dependsOn, labels, aliases\)$/],
      ['application/yaml', '', /^body must be object$/],
      ['application/json', '{"services": [{"name": ""}]}', /^body\/services\/0\/name must NOT have fewer than 1 characters$/],
      ['application/json', '{"services": [{"name": "x", "customerFacing": "yes"}]}', /^body\/services\/0\/customerFacing must be boolean$/],
    ];
    for (const [type, body, message] of cases) {
      const response = await engine.request('/api/v1/cmdb', { method: 'PUT', body, headers: { 'content-type': type } });
      assert.equal(response.status, 400, body);
      assert.match((await readError(response)).message, message);
    }
    assert.deepEqual((await readJson(await engine.request('/api/v1/cmdb'))).services, [{ name: 'solo' }]);
  });

  it('gives grouping its graph: alerts on connected services become one incident', async () => {
    const post = (alerts: unknown[]) => engine.request('/api/v1/alerts/alertmanager', { method: 'POST', json: { version: '4', alerts } });
    await engine.request('/api/v1/cmdb', { json: { services: [{ name: 'checkout' }, { name: 'db' }] } });
    const apart = await readJson(await post([alert('DbDown', 'db', 0), alert('CheckoutErrors', 'checkout', 1)]));
    assert.equal(Array.isArray(apart.incidents) && apart.incidents.length, 2, 'unrelated known services stay apart');
    await engine.request('/api/v1/cmdb', { method: 'PUT', body: YAML, headers: { 'content-type': 'application/yaml' } });
    const together = await readJson(await post([alert('DbDown', 'db', 30), alert('PaymentsErrors', 'payments', 31), alert('CheckoutErrors', 'checkout', 32)]));
    assert.equal(Array.isArray(together.incidents) && together.incidents.length, 1, 'after the PUT, checkout → payments → db is one incident');
  });
});

describe('GET /api/v1/cmdb with CMDB files (INTELOPS_CMDB_DIR)', () => {
  let engine: RunningEngine;
  before(async () => {
    engine = await startEngine({ cmdbDir: fileURLToPath(new URL('../../../../deploy/cmdb/', import.meta.url)) });
  });
  after(async () => {
    await engine.stop();
  });

  it('lists the files’ services beside the saved ones, and a saved service replaces the file’s', async () => {
    const initial = await readJson(await engine.request('/api/v1/cmdb'));
    const names = (list: unknown) => (list as Array<{ name: string }>).map((service) => service.name).sort();
    assert.deepEqual(names(initial.fromFiles), ['ad', 'cart', 'checkout', 'currency', 'email', 'frontend', 'payment', 'productcatalog', 'recommendation', 'redis', 'shipping']);
    const put = await engine.request('/api/v1/cmdb', { method: 'PUT', json: { services: [{ name: 'checkout', team: 'payments-team' }] } });
    assert.equal(put.status, 200);
    const updated = await readJson(await engine.request('/api/v1/cmdb'));
    assert.deepEqual(names(updated.services), ['checkout']);
    assert.ok(!names(updated.fromFiles).includes('checkout'));
    assert.equal(names(updated.fromFiles).length, 10);
  });
});
