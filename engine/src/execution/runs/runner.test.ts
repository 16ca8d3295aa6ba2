import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/store.ts';
import { captureLogs } from '../../testing/logs.ts';
import { describeEachStore, freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { pruneFinishedRuns } from '../../store/workflowRuns.ts';
import { waitAction } from '../actions/wait.ts';
import type { ActionDefinition } from '../types.ts';
import { DEFAULT_POLICY } from './policy.ts';
import type { Policy } from './policy.ts';
import { RunnerRequestError, WorkflowRunner, idempotencyKey } from './runner.ts';
import type { RunView, WorkflowRunnerOptions } from './runner.ts';
import {
  evaluateCondition,
  eventually,
  flakyAction,
  hangingAction,
  noSources,
  openMigratedStore,
  postAction,
  refusingHttp,
  renderValue,
  secretsOf,
  slowAction,
  startReceiver,
  workflowOf,
} from './testing/fixtures.ts';
import type { Receiver } from './testing/fixtures.ts';

const SECRET = 's3cr3t-hook-token-4711';
const secrets = secretsOf({ hook_token: SECRET });
const POST_UNATTENDED: Policy = { unattended: [{ actions: ['post'] }], approvalExpiryMs: 60_000 };

function runnerOn(store: Store, actions: ActionDefinition[], options: Partial<WorkflowRunnerOptions> = {}): WorkflowRunner {
  return new WorkflowRunner({
    store,
    actions: (name) => actions.find((action) => action.name === name),
    evaluate: evaluateCondition,
    render: renderValue,
    secrets,
    http: refusingHttp,
    sources: noSources,
    logger: createLogger('silent'),
    pollMs: 25,
    leaseMs: 2000,
    retryBaseMs: 40,
    ...options,
  });
}

async function settled(runner: WorkflowRunner, id: string, statuses: readonly string[] = ['succeeded', 'failed', 'rejected', 'expired']): Promise<RunView> {
  return eventually(async () => {
    const view = await runner.getRun(id);
    return view !== undefined && statuses.includes(view.run.status) ? view : undefined;
  }, `run ${id} to be ${statuses.join(' or ')}`);
}

function events(view: RunView): string[] {
  return view.audit.map((entry) => `${entry.stepId ?? 'run'}:${entry.event}`);
}

describe('WorkflowRunner', () => {
  let fresh: FreshStore;
  let store: Store;
  let receiver: Receiver;
  const runners: WorkflowRunner[] = [];
  const started = async (actions: ActionDefinition[], options: Partial<WorkflowRunnerOptions> = {}) => {
    const runner = runnerOn(store, actions, options);
    runners.push(runner);
    await runner.resume();
    return runner;
  };

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
    receiver = await startReceiver();
  });
  // Every runner works on every run of the store: each test's runners stop before the next test starts its own.
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.close()));
  });
  after(async () => {
    await receiver.close();
    await store.close();
    await fresh.remove();
  });

  it('runs steps in order, each reading the outputs of those before, and audits every transition', async () => {
    const runner = await started([postAction('post', true), slowAction('pause', 5)], { policy: POST_UNATTENDED });
    const workflow = workflowOf('order', [
      { id: 'first', action: 'post', with: { url: receiver.url, text: 'hello {{ inputs.who }}' } },
      { id: 'pause', action: 'pause' },
      { id: 'second', action: 'post', with: { url: receiver.url, text: 'first got {{ steps.first.output.answer.received }} bytes, paused {{ steps.pause.output.slept }}' } },
    ]);
    const id = await runner.start(workflow, 'manual', { inputs: { who: 'ops' } });
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'succeeded');
    const mine = receiver.requests.filter((request) => request.key === idempotencyKey(id, 'first') || request.key === idempotencyKey(id, 'second'));
    assert.deepEqual(mine.map((request) => request.body), ['hello ops', 'first got 9 bytes, paused 5']);
    assert.deepEqual(view.steps.map((step) => [step.stepId, step.status, step.attempt]), [
      ['first', 'succeeded', 1],
      ['pause', 'succeeded', 1],
      ['second', 'succeeded', 1],
    ]);
    assert.deepEqual(view.steps[2]?.output, { status: 200, answer: { deduplicated: false, received: 27 }, echoed: '' });
    assert.deepEqual(events(view), [
      'run:run.created',
      'run:run.started',
      'first:step.started',
      'first:step.succeeded',
      'pause:step.started',
      'pause:step.succeeded',
      'second:step.started',
      'second:step.succeeded',
      'run:run.succeeded',
    ]);
    assert.match(JSON.stringify(view.audit.find((entry) => entry.event === 'step.started')?.detail), /unattended rule 1 allows post/);
  });

  it('skips a step whose if is false, and later conditions see it skipped', async () => {
    const runner = await started([slowAction('noop', 1)]);
    const workflow = workflowOf('skips', [
      { id: 'maybe', action: 'noop', if: 'inputs.notify == true' },
      { id: 'after_skip', action: 'noop', if: 'steps.maybe.status == "skipped"' },
      { id: 'never', action: 'noop', if: 'has(incident.severity) && incident.severity == "critical"' },
    ]);
    const view = await settled(runner, await runner.start(workflow, 'manual', { inputs: { notify: false } }));
    assert.equal(view.run.status, 'succeeded');
    assert.deepEqual(view.steps.map((step) => [step.stepId, step.status, step.attempt]), [
      ['maybe', 'skipped', 0],
      ['after_skip', 'succeeded', 1],
      ['never', 'skipped', 0],
    ]);
  });

  it('fails a step whose condition cannot be evaluated or whose input breaks its schema, without calling the action', async () => {
    const noop = flakyAction('noop_checked', 0, SECRET);
    const runner = await started([noop]);
    const badIf = await settled(runner, await runner.start(workflowOf('bad-if', [{ id: 'a', action: 'noop_checked', if: 'inputs.missing.deeper' }]), 'manual', {}));
    assert.equal(badIf.run.status, 'failed');
    assert.match(badIf.steps[0]?.error ?? '', /^if "inputs\.missing\.deeper" could not be evaluated/);
    const badInput = await settled(runner, await runner.start(workflowOf('bad-input', [{ id: 'a', action: 'noop_checked', with: { colour: 'red' } }]), 'manual', {}));
    assert.equal(badInput.run.status, 'failed');
    assert.match(badInput.steps[0]?.error ?? '', /action noop_checked: with must NOT have additional properties/);
    const unknown = await settled(runner, await runner.start(workflowOf('unknown-action', [{ id: 'a', action: 'teleport' }]), 'manual', {}));
    assert.equal(unknown.steps[0]?.error, 'unknown action "teleport"');
    assert.equal(noop.calls, 0);
  });

  it('retries with exponential backoff and the same idempotency key, then succeeds', async () => {
    const flaky = flakyAction('flaky', 2, SECRET);
    const runner = await started([flaky]);
    const id = await runner.start(workflowOf('retries', [{ id: 'try', action: 'flaky', retries: 3 }]), 'manual', {});
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'succeeded');
    assert.equal(flaky.calls, 3);
    assert.deepEqual(new Set(flaky.keys), new Set([idempotencyKey(id, 'try')]));
    assert.deepEqual(view.steps[0]?.output, { calls: 3 });
    assert.equal(view.steps[0]?.attempt, 3);
    const retries = view.audit.filter((entry) => entry.event === 'step.retry_scheduled');
    assert.equal(retries.length, 2);
    assert.deepEqual(retries.map((entry) => Object(entry.detail).backoffMs), [40, 80]);
    const starts = view.audit.filter((entry) => entry.event === 'step.started');
    retries.forEach((retry, index) => {
      const next = Date.parse(String(Object(retry.detail).nextAttemptAt));
      assert.ok((starts[index + 1]?.at.getTime() ?? 0) >= next, `attempt ${index + 2} waited for its backoff`);
    });
  });

  it('fails the run when the retries run out, keeping the last error', async () => {
    const flaky = flakyAction('always_fails', 100, SECRET);
    const runner = await started([flaky]);
    const view = await settled(runner, await runner.start(workflowOf('gives-up', [{ id: 'try', action: 'always_fails', retries: 1 }, { id: 'next', action: 'always_fails' }]), 'manual', {}));
    assert.equal(view.run.status, 'failed');
    assert.equal(flaky.calls, 2);
    assert.deepEqual(view.steps.map((step) => step.status), ['failed', 'pending']);
    assert.equal(view.steps[0]?.error, 'upstream refused call 2 with key [redacted]');
  });

  it('aborts an attempt at its timeout', async () => {
    const hanging = hangingAction('hangs');
    const runner = await started([hanging]);
    const began = Date.now();
    const view = await settled(runner, await runner.start(workflowOf('timeout', [{ id: 'wait', action: 'hangs', timeoutMs: 120 }]), 'manual', {}));
    assert.equal(view.run.status, 'failed');
    assert.equal(view.steps[0]?.error, 'hangs timed out after 120 ms');
    assert.equal(hanging.aborted, 1);
    assert.ok(Date.now() - began < 2000);
  });

  it('waits for approval of a side effect the policy does not allow, then runs it as approved by a person', async () => {
    const runner = await started([postAction('post', true)]);
    const id = await runner.start(workflowOf('approve', [{ id: 'page', action: 'post', with: { url: receiver.url, text: 'restart checkout' } }]), 'manual', { incident: { services: ['checkout'], severity: 'critical' } });
    const waiting = await settled(runner, id, ['waiting_approval']);
    assert.equal(waiting.steps[0]?.status, 'waiting_approval');
    const pending = (await runner.listApprovals('pending', 100)).filter((approval) => approval.runId === id);
    assert.equal(pending.length, 1);
    assert.equal(pending[0]?.what, `post "restart checkout" to ${receiver.url}`);
    assert.ok(!receiver.requests.some((request) => request.key === idempotencyKey(id, 'page')), 'nothing was posted before the approval');
    const approval = pending[0];
    assert.ok(approval !== undefined);
    const expiresIn = approval.expiresAt.getTime() - approval.requestedAt.getTime();
    assert.equal(expiresIn, DEFAULT_POLICY.approvalExpiryMs);

    await runner.decide(approval.id, 'approved', 'alice', 'checked the dashboard');
    const done = await settled(runner, id);
    assert.equal(done.run.status, 'succeeded');
    assert.equal(receiver.requests.filter((request) => request.key === idempotencyKey(id, 'page')).length, 1);
    const decided = done.audit.find((entry) => entry.event === 'approval.approved');
    assert.equal(decided?.actor, 'alice');
    assert.deepEqual(Object(decided?.detail).reason, 'checked the dashboard');
    assert.match(JSON.stringify(done.audit.find((entry) => entry.event === 'step.started')?.detail), /approved by alice/);
    await assert.rejects(runner.decide(approval.id, 'rejected', 'bob'), (error: unknown) => error instanceof RunnerRequestError && error.statusCode === 409 && /already approved by alice/.test(error.message));
  });

  it('ends the run as rejected when a person rejects the step', async () => {
    const runner = await started([postAction('post', true)]);
    const id = await runner.start(workflowOf('reject', [{ id: 'page', action: 'post', with: { url: receiver.url, text: 'drop the cache' } }, { id: 'after', action: 'post', with: { url: receiver.url, text: 'x' } }]), 'manual', {});
    await settled(runner, id, ['waiting_approval']);
    const [approval] = (await runner.listApprovals('pending', 100)).filter((one) => one.runId === id);
    assert.ok(approval !== undefined);
    await runner.decide(approval.id, 'rejected', 'bob', 'not during the sale');
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'rejected');
    assert.deepEqual(view.steps.map((step) => step.status), ['rejected', 'pending']);
    assert.equal(view.steps[0]?.error, 'rejected by bob: not during the sale');
    assert.ok(!receiver.requests.some((request) => request.key.startsWith(idempotencyKey(id, 'page').slice(0, 8))));
    assert.deepEqual(events(view).slice(-3), ['page:approval.rejected', 'page:step.rejected', 'run:run.rejected']);
    assert.equal(view.audit.find((entry) => entry.event === 'approval.rejected')?.actor, 'bob');
  });

  it('expires an approval nobody decides', async () => {
    const runner = await started([postAction('post', true)], { policy: { unattended: [], approvalExpiryMs: 150 } });
    const id = await runner.start(workflowOf('expire', [{ id: 'page', action: 'post', with: { url: receiver.url, text: 'too late' } }]), 'manual', {});
    await settled(runner, id, ['waiting_approval']);
    const [approval] = (await runner.listApprovals('pending', 100)).filter((one) => one.runId === id);
    assert.ok(approval !== undefined);
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'expired');
    assert.equal(view.steps[0]?.status, 'expired');
    assert.equal(view.approvals[0]?.decision, 'expired');
    await assert.rejects(runner.decide(approval.id, 'approved', 'carol'), (error: unknown) => error instanceof RunnerRequestError && error.statusCode === 409);
    assert.ok(!receiver.requests.some((request) => request.key === idempotencyKey(id, 'page')));
  });

  it('asks for approval when the step says approval: required, even for an action the policy allows', async () => {
    const runner = await started([postAction('post', true)], { policy: POST_UNATTENDED });
    const id = await runner.start(workflowOf('required', [{ id: 'page', action: 'post', approval: 'required', with: { url: receiver.url, text: 'x' } }]), 'manual', {});
    const view = await settled(runner, id, ['waiting_approval']);
    assert.match(JSON.stringify(view.audit.at(-1)?.detail), /approval: required/);
    const [approval] = (await runner.listApprovals('pending', 100)).filter((one) => one.runId === id);
    assert.ok(approval !== undefined);
    await runner.decide(approval.id, 'rejected', 'dave');
    await settled(runner, id);
  });

  it('dry-runs: no action called, what each step would do recorded, no approval asked', async () => {
    const flaky = flakyAction('counted', 0, SECRET);
    const runner = await started([postAction('post', true), flaky]);
    const id = await runner.start(
      workflowOf('dry', [
        { id: 'page', action: 'post', with: { url: receiver.url, text: 'would page {{ inputs.team }}' } },
        { id: 'count', action: 'counted' },
      ]),
      'manual',
      { inputs: { team: 'payments' } },
      { dryRun: true, actor: 'erin' }
    );
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'succeeded');
    assert.equal(view.run.dryRun, true);
    assert.equal(flaky.calls, 0);
    assert.ok(!receiver.requests.some((request) => request.body === 'would page payments'));
    assert.deepEqual(view.steps[0]?.output, { dryRun: true, description: `post "would page payments" to ${receiver.url}`, approval: true });
    assert.deepEqual(view.steps[1]?.output, { dryRun: true, description: 'try counted', approval: false });
    assert.deepEqual(view.approvals, []);
    assert.equal(view.audit[0]?.actor, 'erin');
    assert.ok(events(view).includes('page:step.dry_run'));
  });

  it('keeps secret values out of everything it stores and logs', async () => {
    const logs = captureLogs();
    const flaky = flakyAction('leaky', 1, SECRET);
    const runner = await started([postAction('post', true), flaky], { policy: POST_UNATTENDED, logger: createLogger('debug', logs) });
    const id = await runner.start(
      workflowOf('secrets', [
        { id: 'leak', action: 'leaky', retries: 1 },
        { id: 'send', action: 'post', with: { url: receiver.url, text: 'auth', token: 'hook_token' } },
        { id: 'again', action: 'post', with: { url: receiver.url, text: 'echo {{ steps.send.output.echoed }}' } },
      ]),
      'manual',
      { inputs: { note: `pasted ${SECRET} by mistake` } }
    );
    const view = await settled(runner, id);
    assert.equal(view.run.status, 'succeeded');
    assert.equal(Object(view.steps[1]?.output).echoed, '[redacted]');
    assert.equal(receiver.requests.at(-1)?.body, 'echo [redacted]');
    const tables = ['workflow_runs', 'workflow_steps', 'workflow_approvals', 'workflow_audit'];
    for (const table of tables) {
      const { rows } = await store.query<{ dump: string }>(`select coalesce(string_agg(t::text, E'\\n'), '') as dump from ${table} t`);
      const dump = rows[0]?.dump ?? '';
      assert.ok(!dump.includes(SECRET), `${table} holds the secret`);
    }
    assert.match(logs.text(), /workflow step attempt failed/);
    assert.ok(!logs.text().includes(SECRET), 'the log holds the secret');
  });

  it('on start, takes back the runs this runner id held before a restart, without waiting for the lease', async () => {
    const slow = slowAction('slow_resume', 5000);
    const first = runnerOn(store, [slow], { runnerId: 'replica-a', leaseMs: 60_000 });
    await first.resume();
    const id = await first.start(workflowOf('restart', [{ id: 'slow', action: 'slow_resume', timeoutMs: 10_000 }]), 'manual', {});
    await eventually(async () => ((await first.getRun(id))?.steps[0]?.status === 'running' ? true : undefined), 'the slow step to start');
    await first.close();
    const quick = slowAction('slow_resume', 1);
    const second = await started([quick], { runnerId: 'replica-a', leaseMs: 60_000 });
    const view = await settled(second, id);
    assert.equal(view.run.status, 'succeeded');
    assert.ok(events(view).includes('slow:step.resumed'));
    assert.equal(view.steps[0]?.attempt, 1, 'a resumed attempt is the interrupted one, not a retry');
  });

  it('parks a run at a wait step without holding a worker, and a restarted engine resumes it at the same time', async () => {
    const metrics = createMetrics().execution;
    const first = await started([waitAction, postAction('post', true)], { policy: POST_UNATTENDED, runnerId: 'replica-w', metrics });
    const workflow = workflowOf('settle', [
      { id: 'settle', action: 'wait', with: { for: '1s' } },
      { id: 'check', action: 'post', with: { url: receiver.url, text: 'settled' } },
    ]);
    const id = await first.start(workflow, 'manual', {});
    const parked = await eventually(async () => {
      const view = await first.getRun(id);
      return view?.steps[0]?.nextAttemptAt === null ? undefined : view;
    }, 'the wait step to be parked');
    const until = parked?.steps[0]?.nextAttemptAt;
    assert.ok(until !== null && until !== undefined);
    assert.equal(parked?.run.status, 'running');
    assert.equal(parked?.steps[0]?.status, 'pending');
    assert.equal(parked?.run.claimedBy, null, 'no runner holds a waiting run');
    assert.equal(parked?.run.wakeAt.getTime(), until.getTime());
    await first.close();

    const second = await started([waitAction, postAction('post', true)], { policy: POST_UNATTENDED, runnerId: 'replica-x', metrics });
    const view = await settled(second, id);
    assert.equal(view.run.status, 'succeeded');
    assert.equal(view.steps[0]?.nextAttemptAt, null);
    const posted = receiver.requests.find((request) => request.key === idempotencyKey(id, 'check'));
    assert.ok(posted !== undefined && posted.at >= until.getTime(), 'the next step ran once the wait was over, not before');
    const waiting = view.audit.filter((entry) => entry.event === 'step.waiting');
    assert.equal(waiting.length, 1, 'the wait is computed once, at the first look');
    assert.equal(Object(waiting[0]?.detail).until, until.toISOString());
    const finished = await metrics.runsFinished.get();
    assert.deepEqual(finished.values.map((sample) => [sample.labels.workflow, sample.labels.status, sample.value]), [['settle', 'succeeded', 1]]);
    const steps = await metrics.stepDuration.get();
    assert.ok(steps.values.some((sample) => sample.labels.action === 'post' && sample.labels.outcome === 'ok' && sample.metricName === 'intelops_workflow_step_duration_seconds_count' && sample.value === 1));
  });

  it('refuses a wait of more than 7 days, and goes straight on past a time already gone', async () => {
    const runner = await started([waitAction]);
    const long = await settled(runner, await runner.start(workflowOf('too-long', [{ id: 'wait', action: 'wait', with: { for: '8d' } }]), 'manual', {}));
    assert.equal(long.run.status, 'failed');
    assert.match(long.steps[0]?.error ?? '', /more than 7 days away; use a schedule trigger/);
    const past = await settled(runner, await runner.start(workflowOf('past', [{ id: 'wait', action: 'wait', with: { until: '2020-01-01T00:00:00Z' } }]), 'manual', {}));
    assert.equal(past.run.status, 'succeeded');
    assert.ok(!events(past).includes('wait:step.waiting'));
  });

  it('cancels a run waiting for approval: the approval is withdrawn and cannot be decided, a second cancel is refused', async () => {
    const runner = await started([postAction('post', true)]);
    const id = await runner.start(workflowOf('cancel-approval', [{ id: 'restart', action: 'post', with: { url: receiver.url, text: 'restart' } }]), 'manual', {});
    await settled(runner, id, ['waiting_approval']);
    await runner.cancel(id, 'erin', 'fixed by hand');
    const view = await settled(runner, id, ['cancelled']);
    assert.equal(view.steps[0]?.status, 'cancelled');
    assert.equal(view.approvals[0]?.decision, 'cancelled');
    assert.equal(view.approvals[0]?.decidedBy, 'erin');
    const cancelled = view.audit.find((entry) => entry.event === 'run.cancelled');
    assert.equal(cancelled?.actor, 'erin');
    assert.deepEqual(cancelled?.detail, { from: 'waiting_approval', reason: 'fixed by hand' });
    assert.equal((await runner.listApprovals('pending', 100)).filter((approval) => approval.runId === id).length, 0);
    const approvalId = view.approvals[0]?.id ?? '';
    await assert.rejects(runner.decide(approvalId, 'approved', 'frank'), (error: unknown) => error instanceof RunnerRequestError && error.statusCode === 409);
    await assert.rejects(runner.cancel(id, 'erin'), (error: unknown) => error instanceof RunnerRequestError && error.statusCode === 409 && /already ended \(cancelled\)/.test(error.message));
    await assert.rejects(runner.cancel('no-such-run', 'erin'), (error: unknown) => error instanceof RunnerRequestError && error.statusCode === 404);
    assert.ok(!receiver.requests.some((request) => request.key === idempotencyKey(id, 'restart')));
  });

  it('cancels a run in the middle of a step: the action is aborted and no later step starts', async () => {
    const hanging = hangingAction('hangs_cancel');
    const runner = await started([hanging, postAction('post', true)], { policy: POST_UNATTENDED });
    const id = await runner.start(
      workflowOf('cancel-running', [
        { id: 'hang', action: 'hangs_cancel', timeoutMs: 60_000 },
        { id: 'after', action: 'post', with: { url: receiver.url, text: 'never' } },
      ]),
      'manual',
      {}
    );
    await eventually(async () => ((await runner.getRun(id))?.steps[0]?.status === 'running' ? true : undefined), 'the step to start');
    await runner.cancel(id, 'grace');
    const view = await settled(runner, id, ['cancelled']);
    await eventually(async () => (hanging.aborted === 1 ? true : undefined), 'the action to be aborted');
    assert.deepEqual(view.steps.map((step) => step.status), ['cancelled', 'cancelled']);
    assert.ok(!receiver.requests.some((request) => request.key === idempotencyKey(id, 'after')));
    assert.equal(events(view).at(-1), 'run:run.cancelled');
  });
  it('deletes finished runs past their retention with their steps and audit, and keeps open ones', async () => {
    const runner = await started([postAction('post', true)], { policy: POST_UNATTENDED });
    const done = await settled(runner, await runner.start(workflowOf('old-run', [{ id: 'send', action: 'post', with: { url: receiver.url, text: 'x' } }]), 'manual', {}));
    const open = await runner.start(workflowOf('open-run', [{ id: 'send', action: 'post', approval: 'required', with: { url: receiver.url, text: 'y' } }]), 'manual', {});
    await settled(runner, open, ['waiting_approval']);
    assert.ok((await pruneFinishedRuns(store, new Date(Date.now() + 60_000))) >= 1);
    assert.equal(await runner.getRun(done.run.id), undefined);
    const { rows } = await store.query<{ n: number }>('select count(*)::int as n from workflow_audit where run_id = $1', [done.run.id]);
    assert.equal(rows[0]?.n, 0, 'the audit trail went with its run');
    assert.equal((await runner.getRun(open))?.run.status, 'waiting_approval');
    await runner.cancel(open, 'test');
  });
});

describeEachStore('two WorkflowRunners on one store', (target) => {
  it('never run a step twice', async () => {
    const fresh = await target.fresh();
    const first = await openMigratedStore(fresh.config);
    // On PostgreSQL each runner has its own pool, as two engine replicas would; PGlite is one process's store.
    const stores = [first, target.kind === 'postgres' ? await openStore(fresh.config) : first];
    const receiver = await startReceiver();
    const runners = stores.map((store, index) =>
      new WorkflowRunner({
        store,
        actions: (name) => (name === 'post' ? postAction('post', true) : undefined),
        evaluate: evaluateCondition,
        render: renderValue,
        secrets,
        http: refusingHttp,
        sources: noSources,
        logger: createLogger('silent'),
        policy: POST_UNATTENDED,
        runnerId: `replica-${index}`,
        pollMs: 10,
        concurrency: 3,
      })
    );
    try {
      const workflow = workflowOf('shared', [
        { id: 'one', action: 'post', with: { url: receiver.url, text: '1' } },
        { id: 'two', action: 'post', with: { url: receiver.url, text: '2' } },
        { id: 'three', action: 'post', with: { url: receiver.url, text: '3' } },
      ]);
      const [a, b] = runners;
      assert.ok(a !== undefined && b !== undefined);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push(await (i % 2 === 0 ? a : b).start(workflow, 'manual', {}));
      }
      await Promise.all(runners.map((runner) => runner.resume()));
      for (const id of ids) {
        assert.equal((await settled(a, id)).run.status, 'succeeded');
      }
      assert.equal(receiver.requests.length, 36, 'each step called exactly once');
      assert.equal(new Set(receiver.requests.map((request) => request.key)).size, 36);
      const { rows } = await first.query<{ runner: string; starts: number; keys: number }>(
        `select detail->>'runner' as runner, count(*)::int as starts, count(distinct detail->>'idempotencyKey')::int as keys
           from workflow_audit where event in ('step.started', 'step.resumed') group by 1 order by 1`
      );
      assert.equal(rows.reduce((sum, row) => sum + row.starts, 0), 36, 'one start per step');
      assert.equal(rows.reduce((sum, row) => sum + row.keys, 0), 36);
    } finally {
      await Promise.all(runners.map((runner) => runner.close()));
      await receiver.close();
      for (const store of new Set(stores)) {
        await store.close();
      }
      await fresh.remove();
    }
  });
});
