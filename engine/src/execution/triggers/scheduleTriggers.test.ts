import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import type { Store } from '../../store/store.ts';
import { listSchedules } from '../../store/workflowSchedules.ts';
import { captureLogs } from '../../testing/logs.ts';
import { describeEachStore } from '../../testing/stores.ts';
import type { FreshStore, StoreTarget } from '../../testing/stores.ts';
import { WorkflowRunner } from '../runs/runner.ts';
import { evaluateCondition, noSources, openMigratedStore, refusingHttp, renderValue, secretsOf } from '../runs/testing/fixtures.ts';
import { TEST_ACTIONS } from '../workflows/testActions.ts';
import { WorkflowCatalog } from '../workflows/workflowCatalog.ts';
import { WorkflowScheduler } from './scheduleTriggers.ts';
import type { SchedulerDeps } from './scheduleTriggers.ts';

const report = (cron: string, extra = '') => `name: morning-report
triggers:
  - on: incident.created
  - on: schedule
    cron: "${cron}"
${extra}steps:
  - id: check
    action: inspection
    with: { query: "up", threshold: 1 }
`;

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (at: string) => {
      now = new Date(at);
    },
  };
}

interface Setup {
  store: Store;
  catalog: WorkflowCatalog;
  clock: ReturnType<typeof manualClock>;
  scheduler(options?: Partial<SchedulerDeps>): WorkflowScheduler;
  runs(): Promise<Array<{ workflow: string; trigger: string; created_at: Date }>>;
}

function setUp(target: StoreTarget): () => Setup {
  let fresh: FreshStore;
  let store: Store;
  let setup: Setup | undefined;
  before(async () => {
    fresh = await target.fresh();
    store = await openMigratedStore(fresh.config);
  });
  after(async () => {
    await store.close();
    await fresh.remove();
  });
  beforeEach(async () => {
    await store.exec('delete from workflow_schedules; delete from workflow_runs; delete from workflows;');
    const clock = manualClock('2025-03-10T05:00:00Z');
    const catalog = new WorkflowCatalog({ store, actions: TEST_ACTIONS });
    // Runs are only written here (the runner is never resumed): what the tests count is what the scheduler started.
    const runner = new WorkflowRunner({
      store,
      actions: (name) => TEST_ACTIONS.get(name),
      evaluate: evaluateCondition,
      render: renderValue,
      secrets: secretsOf({}),
      http: refusingHttp,
      sources: noSources,
      logger: createLogger('silent'),
      clock: clock.now,
    });
    setup = {
      store,
      catalog,
      clock,
      scheduler: (options = {}) =>
        new WorkflowScheduler({
          store,
          workflows: async (db) => (await catalog.list(db)).workflows.map((entry) => entry.workflow),
          holds: evaluateCondition,
          start: (workflow, trigger, subjects, startOptions) => runner.start(workflow, trigger, subjects, startOptions),
          logger: createLogger('silent'),
          clock: clock.now,
          ...options,
        }),
      runs: async () =>
        (await store.query<{ workflow: string; trigger: string; created_at: Date }>('select workflow, trigger, created_at from workflow_runs order by created_at')).rows,
    };
  });
  return () => {
    if (setup === undefined) {
      throw new Error('the test store is not set up');
    }
    return setup;
  };
}

describeEachStore('WorkflowScheduler', (target) => {
  const current = setUp(target);

  it('fires a tick once, in its time zone, and moves on to the next day', async () => {
    const { catalog, clock, scheduler: make, runs, store } = current();
    await catalog.put('morning-report', report('0 7 * * *', '    timezone: Europe/Berlin\n'));
    const scheduler = make();
    const kept = await scheduler.sync();
    assert.deepEqual(kept, [{ workflow: 'morning-report', triggerIndex: 1, cron: '0 7 * * *', timezone: 'Europe/Berlin' }]);
    // 07:00 in Berlin is 06:00 UTC in March (CET).
    assert.deepEqual((await listSchedules(store)).map((row) => row.nextAt.toISOString()), ['2025-03-10T06:00:00.000Z']);

    clock.set('2025-03-10T05:59:59Z');
    assert.deepEqual(await scheduler.tick(), []);
    clock.set('2025-03-10T06:00:01Z');
    const [fire, ...more] = await scheduler.tick();
    assert.equal(more.length, 0);
    assert.equal(fire?.workflow, 'morning-report');
    assert.equal(fire.scheduledAt.toISOString(), '2025-03-10T06:00:00.000Z');
    assert.equal(fire.skipped, false);
    assert.match(fire.run ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(await scheduler.tick(), [], 'the same tick does not fire twice');
    assert.deepEqual((await runs()).map((run) => [run.workflow, run.trigger]), [['morning-report', 'schedule']]);
    const [row] = await listSchedules(store);
    assert.equal(row?.nextAt.toISOString(), '2025-03-11T06:00:00.000Z');
    assert.equal(row?.lastFiredAt?.toISOString(), '2025-03-10T06:00:01.000Z');
  });

  it('catches up one missed tick after downtime, not every one, and says so', async () => {
    const { catalog, clock, scheduler: make, runs } = current();
    await catalog.put('morning-report', report('0 7 * * *'));
    await make().sync();
    // Three days without an engine; the row kept its 07:00 of the first day.
    clock.set('2025-03-13T09:30:00Z');
    const logs = captureLogs();
    const scheduler = make({ logger: createLogger('info', logs) });
    await scheduler.sync();
    const fires = await scheduler.tick();
    assert.deepEqual(
      fires.map((fire) => [fire.scheduledAt.toISOString(), fire.skipped]),
      [['2025-03-10T07:00:00.000Z', true]]
    );
    assert.equal((await runs()).length, 1);
    assert.deepEqual(await scheduler.tick(), []);
    assert.ok(logs.entries().some((entry) => entry.msg === 'schedule ticks were missed while no engine ran; fired once for the first and skipped the rest'));
    clock.set('2025-03-14T07:00:00Z');
    assert.equal((await scheduler.tick()).length, 1, 'the next tick fires as usual');
  });

  it('two schedulers on one store start one run per tick', async () => {
    const { catalog, clock, scheduler: make, runs } = current();
    await catalog.put('morning-report', report('*/5 * * * *'));
    const first = make();
    const second = make();
    await Promise.all([first.sync(), second.sync()]);
    for (const at of ['2025-03-10T05:05:00Z', '2025-03-10T05:10:00Z', '2025-03-10T05:15:30Z']) {
      clock.set(at);
      const fires = (await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()])).flat();
      assert.equal(fires.length, 1, at);
    }
    assert.equal((await runs()).length, 3);
  });

  it('follows workflows as they change: new cron, removed trigger, deleted workflow', async () => {
    const { catalog, clock, scheduler: make, store } = current();
    const scheduler = make();
    await catalog.put('morning-report', report('0 7 * * *'));
    await scheduler.sync();
    await catalog.put('morning-report', report('30 6 * * 1-5'));
    await scheduler.sync();
    assert.deepEqual((await listSchedules(store)).map((row) => [row.cron, row.nextAt.toISOString()]), [['30 6 * * 1-5', '2025-03-10T06:30:00.000Z']]);

    // Edited through another engine that has not synced yet: the tick reschedules instead of firing the old cron.
    await catalog.put('morning-report', report('0 8 * * *'));
    clock.set('2025-03-10T06:31:00Z');
    assert.deepEqual(await scheduler.tick(), []);
    assert.deepEqual((await listSchedules(store)).map((row) => [row.cron, row.nextAt.toISOString()]), [['0 8 * * *', '2025-03-10T08:00:00.000Z']]);

    await catalog.put('morning-report', report('0 8 * * *').replace(/  - on: schedule\n    cron: "0 8 \* \* \*"\n/, ''));
    await scheduler.sync();
    assert.deepEqual(await listSchedules(store), []);

    await catalog.put('morning-report', report('0 8 * * *'));
    await scheduler.sync();
    await catalog.delete('morning-report');
    clock.set('2025-03-10T09:00:00Z');
    assert.deepEqual(await scheduler.tick(), [], 'a deleted workflow does not fire');
    assert.deepEqual(await listSchedules(store), []);
  });

  it('keeps a cron typo from ever being scheduled: the workflow is refused when saved', async () => {
    const { catalog, scheduler: make, store } = current();
    await assert.rejects(catalog.put('morning-report', report('0 25 * * *')), (error: Error) => {
      assert.equal(error.message, 'body line 5: triggers/1/cron "0 25 * * *": hour field "25": 25 is out of range (allowed: 0-23)');
      return true;
    });
    assert.deepEqual(await make().sync(), []);
    assert.deepEqual(await listSchedules(store), []);
  });

  it('advances past a tick whose condition does not hold, without a run', async () => {
    const { catalog, clock, scheduler: make, runs } = current();
    await catalog.put('morning-report', report('0 7 * * *', 'if: \'run.trigger != "schedule"\'\n'));
    const scheduler = make();
    await scheduler.sync();
    clock.set('2025-03-10T07:00:00Z');
    const [fire] = await scheduler.tick();
    assert.equal(fire?.run, undefined);
    assert.equal((await runs()).length, 0);
    assert.deepEqual(await scheduler.tick(), []);
  });

  it('runs on its own: started, it fires due ticks and syncs when told workflows changed', async () => {
    const { catalog, clock, scheduler: make, runs, store } = current();
    const scheduler = make({ pollMs: 20 });
    const until = async (what: string, done: () => Promise<boolean>) => {
      for (let tries = 0; tries < 200 && !(await done()); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(await done(), what);
    };
    scheduler.start();
    try {
      await catalog.put('morning-report', report('0 7 * * *'));
      scheduler.changed();
      await until('the schedule to be synced', async () => (await listSchedules(store)).length === 1);
      clock.set('2025-03-10T07:00:00Z');
      await until('the tick to start a run', async () => (await runs()).length === 1);
    } finally {
      await scheduler.stop();
    }
  });
});
