import type { EngineLogger } from '../../observability/logger.ts';
import type { Queryable, Store } from '../../store/store.ts';
import {
  advanceSchedule,
  claimDueSchedules,
  deleteSchedule,
  earliestSchedule,
  listSchedules,
  lockScheduleSync,
  upsertSchedule,
} from '../../store/workflowSchedules.ts';
import type { StoredSchedule } from '../../store/workflowSchedules.ts';
import type { RunContext, TriggerKind, Workflow } from '../types.ts';
import { nextCronTime } from '../workflows/schedule.ts';

/**
 * Starts workflows on their `schedule` triggers. Each trigger has a row in workflow_schedules with the time it fires
 * next, shared by every engine: a due row is claimed with `for update skip locked`, its run is written and the row
 * advanced in one transaction, so a tick starts one run however many engines poll, and none if the transaction fails.
 *
 * After downtime a schedule catches up at most one missed tick: the overdue row fires once and moves to the first
 * tick after now; the ticks in between are skipped (and logged).
 */

export interface SchedulerDeps {
  store: Store;
  /** The workflows that load (the catalog), read in the caller's transaction. */
  workflows: (db: Queryable) => Promise<Workflow[]>;
  /** A workflow-level CEL `if` over the run context. */
  holds: (expression: string, context: RunContext) => boolean;
  start: (workflow: Workflow, trigger: TriggerKind, subjects: { inputs: Record<string, unknown> }, options: { tx: Queryable; actor: string }) => Promise<string>;
  logger: EngineLogger;
  clock?: () => Date;
  /** The longest wait between looks at the table (another engine may have added a schedule). */
  pollMs?: number;
  /** How often the rows are checked against the workflows even when nothing said they changed. */
  resyncMs?: number;
  /** Rows claimed per transaction. */
  batch?: number;
}

/** One schedule trigger as the workflows define it. */
export interface ScheduleSpec {
  workflow: string;
  triggerIndex: number;
  cron: string;
  timezone: string;
}

/** A tick that came: the run it started, or none when the workflow's `if` did not hold or starting failed. */
export interface ScheduleFire {
  workflow: string;
  triggerIndex: number;
  /** The tick it fired for (earlier than now after downtime). */
  scheduledAt: Date;
  run: string | undefined;
  /** Whether later ticks were missed too, and skipped. */
  skipped: boolean;
}

const DEFAULTS = { pollMs: 10_000, resyncMs: 60_000, batch: 50 };
const MIN_WAIT_MS = 50;

/** Every schedule trigger of `workflows`. */
export function scheduleSpecs(workflows: readonly Workflow[]): ScheduleSpec[] {
  return workflows.flatMap((workflow) =>
    workflow.triggers.flatMap((trigger, triggerIndex) =>
      trigger.on === 'schedule' && trigger.cron !== undefined
        ? [{ workflow: workflow.name, triggerIndex, cron: trigger.cron, timezone: trigger.timezone ?? 'UTC' }]
        : []
    )
  );
}

const keyOf = (schedule: { workflow: string; triggerIndex: number }) => `${schedule.workflow}\u0000${schedule.triggerIndex}`;

export class WorkflowScheduler {
  private readonly deps: SchedulerDeps;
  private readonly clock: () => Date;
  private readonly logger: EngineLogger;
  private readonly pollMs: number;
  private readonly resyncMs: number;
  private readonly batch: number;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private syncWanted = true;
  private wakeUp: (() => void) | undefined;

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? (() => new Date());
    this.logger = deps.logger.child({ component: 'workflow-scheduler' });
    this.pollMs = deps.pollMs ?? DEFAULTS.pollMs;
    this.resyncMs = deps.resyncMs ?? DEFAULTS.resyncMs;
    this.batch = deps.batch ?? DEFAULTS.batch;
  }

  /** Syncs the rows with the workflows, then fires ticks as they come. */
  start(): void {
    if (this.loop !== undefined) {
      return;
    }
    this.stopped = false;
    this.loop = this.work();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Workflows were saved or deleted: the rows are synced at once (by the loop, when started). */
  changed(): void {
    this.syncWanted = true;
    this.wakeUp?.();
  }

  /**
   * Makes the rows match the workflows' schedule triggers: new triggers get their next tick, edited ones (cron or
   * time zone) a new one, unchanged ones keep theirs (so a tick missed while no engine ran still fires), and rows
   * of removed workflows or triggers go. Returns the schedules now kept.
   */
  async sync(): Promise<ScheduleSpec[]> {
    const now = this.clock();
    return this.deps.store.transaction(async (tx) => {
      await lockScheduleSync(tx);
      // Read after the lock: a sync queued behind this one sees every workflow saved before it started.
      const wanted = new Map(scheduleSpecs(await this.deps.workflows(tx)).map((spec) => [keyOf(spec), spec]));
      const kept: ScheduleSpec[] = [];
      const existing = new Map((await listSchedules(tx)).map((row) => [keyOf(row), row]));
      for (const [key, row] of existing) {
        if (!wanted.has(key)) {
          await deleteSchedule(tx, row.workflow, row.triggerIndex);
          this.logger.info({ workflow: row.workflow, trigger: row.triggerIndex }, 'schedule removed with its workflow or trigger');
        }
      }
      for (const [key, spec] of wanted) {
        const row = existing.get(key);
        if (row !== undefined && row.cron === spec.cron && row.timezone === spec.timezone) {
          kept.push(spec);
          continue;
        }
        if (await this.reschedule(tx, spec, now, row !== undefined)) {
          kept.push(spec);
        }
      }
      return kept;
    });
  }

  /**
   * Fires the schedules due now, up to one batch, in one transaction; returns what came of each. Rows whose workflow
   * or trigger is gone are removed without firing; edited ones get their next tick from now without firing.
   */
  async tick(): Promise<ScheduleFire[]> {
    const now = this.clock();
    return this.deps.store.transaction(async (tx) => {
      const due = await claimDueSchedules(tx, now, this.batch);
      if (due.length === 0) {
        return [];
      }
      const workflows = new Map((await this.deps.workflows(tx)).map((workflow) => [workflow.name, workflow]));
      const fires: ScheduleFire[] = [];
      for (const row of due) {
        const workflow = workflows.get(row.workflow);
        const spec = workflow === undefined ? undefined : scheduleSpecs([workflow]).find((candidate) => candidate.triggerIndex === row.triggerIndex);
        if (workflow === undefined || spec === undefined) {
          await deleteSchedule(tx, row.workflow, row.triggerIndex);
          this.logger.info({ workflow: row.workflow, trigger: row.triggerIndex }, 'schedule removed with its workflow or trigger');
          continue;
        }
        if (spec.cron !== row.cron || spec.timezone !== row.timezone) {
          await this.reschedule(tx, spec, now, true);
          continue;
        }
        fires.push(await this.fire(tx, workflow, row, now));
      }
      return fires;
    });
  }

  /** Writes the spec's next tick after `now`; a cron that never matches again (30 February) drops the row. */
  private async reschedule(tx: Queryable, spec: ScheduleSpec, now: Date, existed: boolean): Promise<boolean> {
    const nextAt = nextCronTime(spec.cron, now, spec.timezone);
    if (nextAt === undefined) {
      await deleteSchedule(tx, spec.workflow, spec.triggerIndex);
      this.logger.warn({ workflow: spec.workflow, trigger: spec.triggerIndex, cron: spec.cron }, 'the cron expression never matches again; the schedule is dropped');
      return false;
    }
    await upsertSchedule(tx, { ...spec, nextAt });
    this.logger.info({ workflow: spec.workflow, trigger: spec.triggerIndex, cron: spec.cron, timezone: spec.timezone, nextAt: nextAt.toISOString() }, existed ? 'schedule changed' : 'schedule added');
    return true;
  }

  /** Starts the run (in a savepoint: a workflow that cannot start is logged alone) and advances the row either way. */
  private async fire(tx: Queryable, workflow: Workflow, row: StoredSchedule, now: Date): Promise<ScheduleFire> {
    const following = nextCronTime(row.cron, row.nextAt, row.timezone);
    const skipped = following !== undefined && following <= now;
    let run: string | undefined;
    await tx.query('savepoint workflow_schedule');
    try {
      const context: RunContext = { run: { id: '', workflow: workflow.name, trigger: 'schedule', dryRun: false, startedAt: now.toISOString() }, inputs: {}, steps: {} };
      if (workflow.if === undefined || this.deps.holds(workflow.if, context)) {
        run = await this.deps.start(workflow, 'schedule', { inputs: {} }, { tx, actor: 'engine' });
      }
      await tx.query('release savepoint workflow_schedule');
    } catch (error) {
      await tx.query('rollback to savepoint workflow_schedule');
      this.logger.error({ err: error, workflow: workflow.name, trigger: row.triggerIndex }, 'a scheduled workflow did not start; it tries again at its next tick');
    }
    const nextAt = nextCronTime(row.cron, now, row.timezone);
    if (nextAt === undefined) {
      await deleteSchedule(tx, row.workflow, row.triggerIndex);
    } else {
      await advanceSchedule(tx, row.workflow, row.triggerIndex, nextAt, now);
    }
    const fields = { workflow: workflow.name, trigger: row.triggerIndex, scheduledAt: row.nextAt.toISOString(), nextAt: nextAt?.toISOString(), run };
    if (skipped) {
      this.logger.warn(fields, 'schedule ticks were missed while no engine ran; fired once for the first and skipped the rest');
    } else {
      this.logger.info(fields, run === undefined ? 'schedule tick came; its condition did not hold or it did not start' : 'workflow started by its schedule');
    }
    return { workflow: workflow.name, triggerIndex: row.triggerIndex, scheduledAt: row.nextAt, run, skipped };
  }

  private async work(): Promise<void> {
    let syncedAt = Number.NEGATIVE_INFINITY;
    while (!this.stopped) {
      let waitMs = this.pollMs;
      try {
        if (this.syncWanted || this.clock().getTime() - syncedAt >= this.resyncMs) {
          this.syncWanted = false;
          syncedAt = this.clock().getTime();
          await this.sync();
        }
        await this.tick();
        const earliest = await earliestSchedule(this.deps.store);
        // A row still due is another engine's (locked) or the next batch: look again soon, not in a tight loop.
        waitMs = earliest === undefined ? this.pollMs : Math.min(this.pollMs, Math.max(MIN_WAIT_MS, earliest.getTime() - this.clock().getTime()));
      } catch (error) {
        this.logger.warn({ err: error }, 'firing workflow schedules failed; trying again at the next poll');
      }
      if (!this.stopped && !this.syncWanted) {
        await this.sleep(waitMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
