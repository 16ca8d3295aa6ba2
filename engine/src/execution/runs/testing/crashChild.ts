import { parseArgs } from 'node:util';
import { createLogger } from '../../../observability/logger.ts';
import { WorkflowRunner } from '../runner.ts';
import { evaluateCondition, eventually, noSources, openMigratedStore, postAction, refusingHttp, renderValue, secretsOf, workflowOf } from './fixtures.ts';

/**
 * An engine stand-in for the crash test, run as its own process: `start` queues a three-step run (printing
 * "RUN <id>") and works on it until killed; `resume` takes over whatever is unfinished and exits when the run ends
 * (printing "DONE <status>"). Each step POSTs its id to the receiver with its idempotency key.
 */

const { values } = parseArgs({
  options: {
    pglite: { type: 'string' },
    receiver: { type: 'string' },
    mode: { type: 'string' },
    run: { type: 'string' },
  },
});
const { pglite, receiver, mode, run } = values;
if (pglite === undefined || receiver === undefined || (mode !== 'start' && mode !== 'resume')) {
  throw new Error('usage: crashChild.ts --pglite DIR --receiver URL --mode start|resume [--run ID]');
}

const store = await openMigratedStore({ kind: 'pglite', dataDir: pglite });
const runner = new WorkflowRunner({
  store,
  actions: (name) => (name === 'post' ? postAction('post', true) : undefined),
  evaluate: evaluateCondition,
  render: renderValue,
  policy: { unattended: [{ actions: ['post'] }], approvalExpiryMs: 60_000 },
  secrets: secretsOf({}),
  http: refusingHttp,
  sources: noSources,
  logger: createLogger('warn'),
  // Short, so that the resuming process takes over soon after the kill.
  leaseMs: 800,
  pollMs: 50,
});

if (mode === 'start') {
  const workflow = workflowOf('crash', ['one', 'two', 'three'].map((id) => ({ id, action: 'post', with: { url: receiver, text: id }, timeoutMs: 60_000 })));
  const id = await runner.start(workflow, 'manual', {});
  process.stdout.write(`RUN ${id}\n`);
  await runner.resume();
} else {
  if (run === undefined) {
    throw new Error('--mode resume needs --run ID');
  }
  await runner.resume();
  const status = await eventually(async () => {
    const view = await runner.getRun(run);
    return view !== undefined && !['queued', 'running', 'waiting_approval'].includes(view.run.status) ? view.run.status : undefined;
  }, `run ${run} to finish`, 20_000);
  await runner.close();
  await store.close();
  process.stdout.write(`DONE ${status}\n`);
}
