import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowRunner } from '../../execution/runs/runner.ts';
import {
  eventually,
  evaluateCondition,
  flakyAction,
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
import { listAgentRuns, loadAgentRun } from '../../store/agentRuns.ts';
import type { Store } from '../../store/store.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { createLogger } from '../logger.ts';
import { openTracing } from './openTracing.ts';
import type { EngineTracing } from './openTracing.ts';

const SECRET = 'tok-55e1-webhook-secret';

describe('workflow runs as agent runs', () => {
  let fresh: FreshStore;
  let store: Store;
  let receiver: Receiver;
  let tracing: EngineTracing;
  let runner: WorkflowRunner;
  const flaky = flakyAction('flaky', 5, SECRET);

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
    receiver = await startReceiver();
    tracing = openTracing({ store, logger: createLogger('silent'), version: 'test', env: {} });
    runner = new WorkflowRunner({
      store,
      actions: (name) => (name === 'post' ? postAction('post', false) : name === 'flaky' ? flaky : undefined),
      evaluate: evaluateCondition,
      render: renderValue,
      secrets: secretsOf({ hook: SECRET }),
      http: refusingHttp,
      sources: noSources,
      logger: createLogger('silent'),
      pollMs: 20,
      retryBaseMs: 10,
      tracing,
    });
    await runner.resume();
  });
  after(async () => {
    await runner.close();
    await tracing.close();
    await receiver.close();
    await store.close();
    await fresh.remove();
  });

  const runOf = async (workflowRunId: string, status: string) =>
    eventually(async () => {
      await tracing.flush();
      const runs = await listAgentRuns(store, { kinds: ['workflow'], limit: 50 });
      return runs.find((run) => run.workflowRunId === workflowRunId && (run.status !== 'ok' || status === 'ok'));
    }, `the agent run of workflow run ${workflowRunId}`);

  it('records a run with its step attempts as action spans, secrets scrubbed from their input and output', async () => {
    const workflow = workflowOf('notify', [
      { id: 'first', action: 'post', with: { url: receiver.url, text: 'one', token: 'hook' } },
      { id: 'second', action: 'post', with: { url: receiver.url, text: 'two' } },
    ]);
    const id = await runner.start(workflow, 'manual', {});
    const run = await runOf(id, 'ok');
    const stored = await loadAgentRun(store, run.id);
    assert.ok(stored !== undefined);
    const root = stored.spans.find((span) => span.parentSpanId === null);
    assert.equal(root?.name, 'intelops.workflow notify');
    assert.equal(root?.attributes['intelops.workflow.status'], 'succeeded');
    const actions = stored.spans.filter((span) => span.kind === 'action');
    assert.deepEqual(
      actions.map((span) => [
        span.name,
        span.attributes['intelops.workflow.step_id'],
        span.attributes['intelops.workflow.attempt'],
        span.attributes['intelops.workflow.outcome'],
      ]),
      [
        ['action post', 'first', 1, 'succeeded'],
        ['action post', 'second', 1, 'succeeded'],
      ]
    );
    assert.ok(actions.every((span) => span.parentSpanId === root?.spanId));
    assert.match(String(actions[0]?.attributes['intelops.action.output']), /"echoed":"\[redacted\]"/);
    assert.ok(!JSON.stringify(stored).includes(SECRET));
  });

  it('marks the run failed, and each failed attempt, when a step runs out of retries', async () => {
    const workflow = workflowOf('fragile', [{ id: 'only', action: 'flaky', with: {}, retries: 1 }]);
    const id = await runner.start(workflow, 'manual', {});
    const failed = await eventually(async () => {
      await tracing.flush();
      const runs = await listAgentRuns(store, { kinds: ['workflow'], statuses: ['error'], limit: 50 });
      return runs.find((run) => run.workflowRunId === id);
    }, 'the failed agent run');
    assert.match(failed.error ?? '', /workflow run failed at step only/);
    const attempts = (await listAgentRuns(store, { kinds: ['workflow'], limit: 50 })).filter(
      (run) => run.workflowRunId === id
    );
    const spans = (await Promise.all(attempts.map((run) => loadAgentRun(store, run.id)))).flatMap(
      (one) => one?.spans ?? []
    );
    const actions = spans.filter((span) => span.kind === 'action');
    assert.deepEqual(actions.map((span) => [span.attributes['intelops.workflow.attempt'], span.status]).sort(), [
      [1, 'error'],
      [2, 'error'],
    ]);
    assert.ok(!JSON.stringify(spans).includes(SECRET), 'the attempt’s error carried the secret');
  });
});
