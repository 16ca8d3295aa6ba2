import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { TEST_ACTIONS } from '../../execution/workflows/testActions.ts';
import { WorkflowCatalog } from '../../execution/workflows/workflowCatalog.ts';
import { migrate } from '../../store/migrations.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/store.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { tempDir } from '../../testing/temp.ts';
import type { TempDir } from '../../testing/temp.ts';
import { bodiesPlugin } from '../bodies.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { createValidatorCompiler } from '../validation.ts';
import { workflowsRoutes } from './workflows.ts';

const PROVISIONED = `name: provisioned
triggers: [{ on: incident.created }]
steps:
  - id: post
    action: slack
    with: { channel: "#ops", text: "{{ incident.title }}" }
`;

const REPORT = `# every weekday morning
name: daily-report
description: "Morning report to #ops"
triggers:
  - on: schedule
    cron: "0 7 * * 1-5"
steps:
  - id: check
    action: inspection
    with: { query: "sum(rate(http_requests_total[5m]))", threshold: 100 }
  - id: post
    action: slack
    retries: 2
    with:
      channel: "#ops"
      text: "requests: {{ steps.check.output.value }}"
`;

interface Summary {
  name: string;
  steps: number;
  source: { kind: string; file?: string };
  updatedAt: string | null;
}

describe('GET/PUT/DELETE /api/v1/workflows', () => {
  let fresh: FreshStore;
  let store: Store;
  let folder: TempDir;
  let app: FastifyInstance;
  const changed: string[] = [];

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openStore(fresh.config);
    await migrate(store);
    folder = await tempDir('workflow-routes');
    await writeFile(path.join(folder.path, 'provisioned.yaml'), PROVISIONED);
    await writeFile(path.join(folder.path, 'broken.yaml'), 'name: broken\ntriggers: []\nsteps: []\n');
    const catalog = new WorkflowCatalog({ store, actions: TEST_ACTIONS, folder: folder.path });
    await catalog.reload();
    app = Fastify({ schemaErrorFormatter: formatValidationError });
    app.setValidatorCompiler(createValidatorCompiler());
    await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
    await app.register(bodiesPlugin);
    await app.register(workflowsRoutes, { prefix: '/api/v1', catalog, onChanged: (name) => changed.push(name) });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
    await fresh.remove();
    await folder.remove();
  });

  it('lists the folder workflows and the files that failed', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/workflows' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{ workflows: Summary[]; errors: Array<{ source: string; file: string; message: string }> }>();
    assert.deepEqual(body.workflows, [
      { name: 'provisioned', triggers: [{ on: 'incident.created' }], steps: 1, source: { kind: 'file', file: path.join(folder.path, 'provisioned.yaml') }, updatedAt: null },
    ]);
    assert.deepEqual(body.errors, [{ source: 'file', file: path.join(folder.path, 'broken.yaml'), message: 'broken.yaml line 2: triggers must NOT have fewer than 1 items' }]);
  });

  it('creates a workflow from YAML, keeps its text with comments, then replaces it', async () => {
    const created = await app.inject({ method: 'PUT', url: '/api/v1/workflows/daily-report', payload: REPORT, headers: { 'content-type': 'application/yaml' } });
    assert.equal(created.statusCode, 201, created.body);
    const view = created.json<{ name: string; description: string; text: string; source: unknown; steps: Array<{ id: string; retries: number; timeoutMs: number }>; error: unknown }>();
    assert.equal(view.text, REPORT);
    assert.equal(view.description, 'Morning report to #ops');
    assert.deepEqual(view.source, { kind: 'api' });
    assert.deepEqual(view.steps.map((step) => [step.id, step.retries, step.timeoutMs]), [['check', 0, 30_000], ['post', 2, 30_000]]);
    assert.equal(view.error, null);

    const replaced = await app.inject({ method: 'PUT', url: '/api/v1/workflows/daily-report', payload: REPORT.replace('retries: 2', 'retries: 4'), headers: { 'content-type': 'text/yaml' } });
    assert.equal(replaced.statusCode, 200, replaced.body);
    const got = await app.inject({ method: 'GET', url: '/api/v1/workflows/daily-report' });
    assert.equal(got.statusCode, 200);
    assert.match(got.json<{ text: string }>().text, /^# every weekday morning\n[\s\S]*retries: 4/);
    assert.deepEqual(changed, ['daily-report', 'daily-report']);

    const list = (await app.inject({ method: 'GET', url: '/api/v1/workflows' })).json<{ workflows: Summary[] }>();
    const report = list.workflows.find((workflow) => workflow.name === 'daily-report');
    assert.equal(report?.steps, 2);
    assert.deepEqual(report?.source, { kind: 'api' });
    assert.ok(report?.updatedAt !== null && !Number.isNaN(Date.parse(report?.updatedAt ?? '')));
  });

  it('takes JSON as well', async () => {
    const json = JSON.stringify({ name: 'ping', triggers: [{ on: 'manual', inputs: { type: 'object', properties: { who: { type: 'string' } } } }], steps: [{ id: 'say', action: 'slack', with: { channel: '#a', text: 'hi {{ inputs.who }}' } }] });
    const response = await app.inject({ method: 'PUT', url: '/api/v1/workflows/ping', payload: json, headers: { 'content-type': 'application/json' } });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json<{ text: string }>().text, json);
  });

  it('answers a bad workflow with a 400 naming line and field, and keeps the stored one', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/workflows/daily-report', payload: REPORT.replace('action: slack', 'action: slak'), headers: { 'content-type': 'application/yaml' } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json(), { statusCode: 400, error: 'Bad Request', message: 'body line 12: steps/1/action "slak" is not an action (known: grafana_annotation, inspection, slack)' });
    const kept = await app.inject({ method: 'GET', url: '/api/v1/workflows/daily-report' });
    assert.match(kept.json<{ text: string }>().text, /action: slack/);
  });

  it('wants the name in the body to be the name in the path', async () => {
    const response = await app.inject({ method: 'PUT', url: '/api/v1/workflows/other-name', payload: REPORT, headers: { 'content-type': 'application/yaml' } });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json<{ message: string }>().message, 'body: name "daily-report" does not match the name in the path, "other-name"');
    const badName = await app.inject({ method: 'PUT', url: '/api/v1/workflows/Not_A_Slug', payload: REPORT, headers: { 'content-type': 'application/yaml' } });
    assert.equal(badName.statusCode, 400);
    assert.match(badName.json<{ message: string }>().message, /^params\/name must match pattern/);
  });

  it('keeps folder workflows read-only: 409 naming the file', async () => {
    const file = path.join(folder.path, 'provisioned.yaml');
    const put = await app.inject({ method: 'PUT', url: '/api/v1/workflows/provisioned', payload: PROVISIONED, headers: { 'content-type': 'application/yaml' } });
    assert.equal(put.statusCode, 409);
    assert.equal(put.json<{ message: string }>().message, `Workflow "provisioned" is defined by the file ${file} in the workflow folder; change or remove it there`);
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/workflows/provisioned' });
    assert.equal(del.statusCode, 409);
    const get = await app.inject({ method: 'GET', url: '/api/v1/workflows/provisioned' });
    assert.equal(get.statusCode, 200);
    assert.equal(get.json<{ text: string }>().text, PROVISIONED);
    assert.deepEqual(get.json<{ source: unknown }>().source, { kind: 'file', file });
  });

  it('deletes a saved workflow; an unknown one is a 404', async () => {
    const deleted = await app.inject({ method: 'DELETE', url: '/api/v1/workflows/ping' });
    assert.equal(deleted.statusCode, 204);
    assert.equal(deleted.body, '');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/workflows/ping' })).statusCode, 404);
    const again = await app.inject({ method: 'DELETE', url: '/api/v1/workflows/ping' });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json<{ message: string }>().message, 'No workflow named "ping"');
  });

  it('shows a saved workflow that no longer checks with its text and the reason', async () => {
    await store.query("update workflows set source = replace(source, 'action: inspection', 'action: retired') where name = 'daily-report'");
    const got = await app.inject({ method: 'GET', url: '/api/v1/workflows/daily-report' });
    assert.equal(got.statusCode, 200, got.body);
    const body = got.json<{ error: string; steps: unknown[]; text: string }>();
    assert.deepEqual(body.steps, []);
    assert.match(body.text, /action: retired/);
    assert.equal(body.error, 'workflow daily-report line 9: steps/0/action "retired" is not an action (known: grafana_annotation, inspection, slack)');
    const list = (await app.inject({ method: 'GET', url: '/api/v1/workflows' })).json<{ workflows: Summary[]; errors: Array<{ source: string; name?: string }> }>();
    assert.ok(!list.workflows.some((workflow) => workflow.name === 'daily-report'));
    assert.ok(list.errors.some((error) => error.source === 'api' && error.name === 'daily-report'));
  });
});
