import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { WorkflowRunner } from '../../execution/runs/runner.ts';
import {
  evaluateCondition,
  eventually,
  noSources,
  openMigratedStore,
  postAction,
  refusingHttp,
  renderValue,
  secretsOf,
  startReceiver,
  workflowOf,
} from '../../execution/runs/testing/fixtures.ts';
import type { Receiver } from '../../execution/runs/testing/fixtures.ts';
import type { Workflow } from '../../execution/types.ts';
import { createLogger } from '../../observability/logger.ts';
import type { Store } from '../../store/store.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { bodiesPlugin } from '../bodies.ts';
import { errorsPlugin, formatValidationError } from '../errors.ts';
import { createValidatorCompiler } from '../validation.ts';
import { workflowRunRoutes } from './workflowRuns.ts';

const SECRET = 'tok-93f1-very-secret';

interface RunBody {
  id: string;
  status: string;
  dryRun: boolean;
  steps: Array<{ id: string; status: string; output: unknown; input: unknown }>;
  approvals: Array<{ id: string; state: string; decidedBy: string | null }>;
  audit: Array<{ actor: string; event: string }>;
}

interface ApprovalBody {
  id: string;
  runId: string;
  workflow: string;
  what: string;
  state: string;
  decidedBy: string | null;
}

describe('workflow run and approval routes', () => {
  let fresh: FreshStore;
  let store: Store;
  let runner: WorkflowRunner;
  let app: FastifyInstance;
  let receiver: Receiver;
  let workflows: Map<string, Workflow>;

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
    receiver = await startReceiver();
    const manual = workflowOf('notify', [{ id: 'send', action: 'post', with: { url: receiver.url, text: 'for {{ inputs.team }}', token: 'hook' } }]);
    manual.triggers = [{ on: 'manual', inputs: { type: 'object', properties: { team: { type: 'string', minLength: 2 } }, required: ['team'], additionalProperties: false } }];
    const onIncident = { ...workflowOf('on-incident', [{ id: 'send', action: 'post', with: { url: receiver.url, text: 'incident' } }]), triggers: [{ on: 'incident.created' as const }] };
    workflows = new Map([manual, onIncident].map((workflow) => [workflow.name, workflow]));
    runner = new WorkflowRunner({
      store,
      actions: (name) => (name === 'post' ? postAction('post', true) : undefined),
      evaluate: evaluateCondition,
      render: renderValue,
      secrets: secretsOf({ hook: SECRET }),
      http: refusingHttp,
      sources: noSources,
      logger: createLogger('silent'),
      pollMs: 20,
    });
    await runner.resume();
    app = Fastify({ schemaErrorFormatter: formatValidationError });
    app.setValidatorCompiler(createValidatorCompiler());
    await app.register(errorsPlugin, { bodyLimitBytes: 1024 * 1024 });
    await app.register(bodiesPlugin);
    await app.register(workflowRunRoutes, { prefix: '/api/v1', runner, workflow: (name) => workflows.get(name) });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await runner.close();
    await receiver.close();
    await store.close();
    await fresh.remove();
  });

  const getRun = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/workflow-runs/${id}` })).json<RunBody>();
  const runIs = (id: string, status: string) => eventually(async () => ((await getRun(id)).status === status ? true : undefined), `run ${id} to be ${status}`);

  it('starts a manual run, asks for approval, and runs it once a Grafana user approves', async () => {
    const started = await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { inputs: { team: 'payments' } }, headers: { 'x-grafana-user': 'alice' } });
    assert.equal(started.statusCode, 202, started.body);
    const { id } = started.json<{ id: string }>();
    assert.equal(started.headers.location, `/api/v1/workflow-runs/${id}`);
    await runIs(id, 'waiting_approval');

    const pending = (await app.inject({ method: 'GET', url: '/api/v1/approvals' })).json<{ approvals: ApprovalBody[] }>().approvals;
    const approval = pending.find((one) => one.runId === id);
    assert.ok(approval !== undefined);
    assert.deepEqual({ workflow: approval.workflow, state: approval.state, what: approval.what }, { workflow: 'notify', state: 'pending', what: `post "for payments" to ${receiver.url}` });

    const anonymous = await app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve` });
    assert.equal(anonymous.statusCode, 403);
    assert.match(anonymous.json<{ message: string }>().message, /X-Grafana-User header is missing/);

    const approved = await app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, payload: { reason: 'go' }, headers: { 'x-grafana-user': 'bob' } });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.deepEqual({ state: approved.json<ApprovalBody>().state, by: approved.json<ApprovalBody>().decidedBy }, { state: 'approved', by: 'bob' });
    await runIs(id, 'succeeded');

    const again = await app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/reject`, headers: { 'x-grafana-user': 'carol' } });
    assert.equal(again.statusCode, 409);
    assert.match(again.json<{ message: string }>().message, /already approved by bob/);

    const response = await app.inject({ method: 'GET', url: `/api/v1/workflow-runs/${id}` });
    assert.ok(!response.body.includes(SECRET), 'the run view holds the secret');
    const run = response.json<RunBody>();
    assert.equal(Object(run.steps[0]?.output).echoed, '[redacted]');
    assert.deepEqual(run.audit.map((entry) => `${entry.actor}:${entry.event}`).filter((entry) => !entry.startsWith('engine:')), ['alice:run.created', 'bob:approval.approved']);
    assert.equal(receiver.requests.filter((request) => request.body === 'for payments').length, 1);
    const decided = (await app.inject({ method: 'GET', url: '/api/v1/approvals?state=decided' })).json<{ approvals: ApprovalBody[] }>().approvals;
    assert.ok(decided.some((one) => one.id === approval.id && one.state === 'approved'));
  });

  it('rejects through the API and lists runs by status and workflow', async () => {
    const { id } = (await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { inputs: { team: 'search' } } })).json<{ id: string }>();
    await runIs(id, 'waiting_approval');
    const approval = (await getRun(id)).approvals[0];
    assert.ok(approval !== undefined);
    const rejected = await app.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/reject`, payload: {}, headers: { 'x-grafana-user': 'dana' } });
    assert.equal(rejected.statusCode, 200, rejected.body);
    await runIs(id, 'rejected');
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/workflow-runs?status=rejected&workflow=notify' })).json<{ runs: Array<{ id: string; status: string }> }>().runs;
    assert.deepEqual(listed.map((run) => run.id), [id]);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/workflow-runs?status=lost' })).statusCode, 400);
  });

  it('cancels an open run as the Grafana user, answering with the run; a run already ended is a 409', async () => {
    const { id } = (await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { inputs: { team: 'infra' } } })).json<{ id: string }>();
    await runIs(id, 'waiting_approval');
    const cancelled = await app.inject({ method: 'POST', url: `/api/v1/workflow-runs/${id}/cancel`, payload: { reason: 'handled by hand' }, headers: { 'x-grafana-user': 'erin' } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    const run = cancelled.json<RunBody>();
    assert.equal(run.status, 'cancelled');
    assert.deepEqual(run.approvals.map((approval) => [approval.state, approval.decidedBy]), [['cancelled', 'erin']]);
    assert.equal(run.audit.at(-1)?.event, 'run.cancelled');
    assert.equal(run.audit.at(-1)?.actor, 'erin');
    const again = await app.inject({ method: 'POST', url: `/api/v1/workflow-runs/${id}/cancel` });
    assert.equal(again.statusCode, 409);
    assert.match(again.json<{ message: string }>().message, /already ended \(cancelled\)/);
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/workflow-runs/nope/cancel', payload: {} })).statusCode, 404);
    const tokenOnly = (await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { inputs: { team: 'db' } } })).json<{ id: string }>();
    await runIs(tokenOnly.id, 'waiting_approval');
    const byApi = (await app.inject({ method: 'POST', url: `/api/v1/workflow-runs/${tokenOnly.id}/cancel`, payload: {} })).json<RunBody>();
    assert.equal(byApi.audit.at(-1)?.actor, 'api');
  });

  it('dry-runs any workflow, but runs by hand only one with a manual trigger', async () => {
    const refused = await app.inject({ method: 'POST', url: '/api/v1/workflows/on-incident/runs', payload: {} });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json<{ message: string }>().message, /has no manual trigger/);
    const dry = await app.inject({ method: 'POST', url: '/api/v1/workflows/on-incident/runs', payload: { dryRun: true } });
    assert.equal(dry.statusCode, 202, dry.body);
    const { id } = dry.json<{ id: string }>();
    await runIs(id, 'succeeded');
    const run = await getRun(id);
    assert.equal(run.dryRun, true);
    assert.deepEqual(run.steps[0]?.output, { dryRun: true, description: `post "incident" to ${receiver.url}`, approval: true });
    assert.ok(!receiver.requests.some((request) => request.body === 'incident'));
  });

  it('answers bad requests with what is wrong', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/workflows/nope/runs', payload: {} });
    assert.equal(unknown.statusCode, 404);
    const badInputs = await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { inputs: { team: 'x' } } });
    assert.equal(badInputs.statusCode, 400);
    assert.equal(badInputs.json<{ message: string }>().message, 'body/inputs/team must NOT have fewer than 2 characters');
    const extra = await app.inject({ method: 'POST', url: '/api/v1/workflows/notify/runs', payload: { input: {} } });
    assert.equal(extra.statusCode, 400);
    assert.match(extra.json<{ message: string }>().message, /unknown property "input"/);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/workflow-runs/missing' })).statusCode, 404);
    const noApproval = await app.inject({ method: 'POST', url: '/api/v1/approvals/missing/approve', headers: { 'x-grafana-user': 'eve' } });
    assert.equal(noApproval.statusCode, 404);
  });
});
