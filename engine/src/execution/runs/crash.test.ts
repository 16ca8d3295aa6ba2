import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadAudit, loadRun, loadSteps } from '../../store/workflowRuns.ts';
import { startChild } from '../../testing/processes.ts';
import type { Child } from '../../testing/processes.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { idempotencyKey } from './runner.ts';
import { openMigratedStore, startReceiver } from './testing/fixtures.ts';
import type { Receiver } from './testing/fixtures.ts';

const CHILD = fileURLToPath(new URL('./testing/crashChild.ts', import.meta.url));

/** The first line of the child's stdout that starts with `prefix`, without it. */
function lineFrom(child: Child, prefix: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line from the child within ${ms} ms; its output:\n${child.output()}`)), ms);
    child.process.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length).trim());
      }
    });
  });
}

function exited(child: Child): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      resolve(child.process.exitCode ?? child.process.signalCode);
      return;
    }
    child.process.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

describe('a workflow run survives its engine being killed mid-step', () => {
  let fresh: FreshStore;
  let receiver: Receiver;
  const children: Child[] = [];

  before(async () => {
    fresh = await freshPgliteStore();
    // Migrated here, then closed: a PGlite folder is opened by one process at a time.
    await (await openMigratedStore(fresh.config)).close();
    receiver = await startReceiver();
  });
  after(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await receiver.close();
    await fresh.remove();
  });

  it('resumes in a new process, re-running only the interrupted step, with the same idempotency key', { timeout: 30_000 }, async () => {
    assert.equal(fresh.config.kind, 'pglite');
    const dataDir = fresh.config.kind === 'pglite' ? fresh.config.dataDir : '';
    let stepTwoArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      stepTwoArrived = resolve;
    });
    // Step two's first delivery is received (the side effect happens) but never answered: the engine dies waiting.
    receiver.onRequest = (_key, body) => {
      if (body === 'two' && receiver.requests.filter((request) => request.body === 'two').length === 1) {
        stepTwoArrived();
        return new Promise<void>(() => {});
      }
      return undefined;
    };

    const first = startChild(process.execPath, [CHILD, '--pglite', dataDir, '--receiver', receiver.url, '--mode', 'start']);
    children.push(first);
    const runId = await lineFrom(first, 'RUN ', 15_000);
    await arrived;
    first.process.kill('SIGKILL');
    assert.equal(await exited(first), 'SIGKILL');

    const second = startChild(process.execPath, [CHILD, '--pglite', dataDir, '--receiver', receiver.url, '--mode', 'resume', '--run', runId]);
    children.push(second);
    assert.equal(await lineFrom(second, 'DONE ', 20_000), 'succeeded', second.output());
    assert.equal(await exited(second), 0, second.output());

    // Every step acted once; only the interrupted one was delivered again, with its key, and deduplicated.
    assert.deepEqual(receiver.requests.map((request) => request.body), ['one', 'two', 'two', 'three']);
    for (const step of ['one', 'two', 'three']) {
      assert.deepEqual(
        receiver.requests.filter((request) => request.body === step).map((request) => request.key),
        receiver.requests.filter((request) => request.body === step).map(() => idempotencyKey(runId, step))
      );
    }
    assert.equal(receiver.effects.size, 3);

    const store = await openMigratedStore(fresh.config);
    try {
      assert.equal((await loadRun(store, runId))?.status, 'succeeded');
      const steps = await loadSteps(store, runId);
      assert.deepEqual(steps.map((step) => [step.stepId, step.status, step.attempt, step.interruptions]), [
        ['one', 'succeeded', 1, 0],
        ['two', 'succeeded', 1, 1],
        ['three', 'succeeded', 1, 0],
      ]);
      assert.deepEqual(Object(steps[1]?.output).answer, { deduplicated: true, received: 3 });
      const audit = (await loadAudit(store, runId)).map((entry) => `${entry.stepId ?? 'run'}:${entry.event}`);
      assert.deepEqual(audit, [
        'run:run.created',
        'run:run.started',
        'one:step.started',
        'one:step.succeeded',
        'two:step.started',
        'two:step.resumed',
        'two:step.succeeded',
        'three:step.started',
        'three:step.succeeded',
        'run:run.succeeded',
      ]);
    } finally {
      await store.close();
    }
  });
});
