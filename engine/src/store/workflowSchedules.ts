import type { Queryable } from './store.ts';

/**
 * When schedule triggers fire next (migration 011). Due rows are claimed with `for update skip locked`, so engines
 * polling one PostgreSQL never claim the same tick; the claimer advances the row in the transaction that starts the run.
 */

export interface StoredSchedule {
  workflow: string;
  /** The trigger's index in the workflow's triggers. */
  triggerIndex: number;
  cron: string;
  timezone: string;
  nextAt: Date;
  lastFiredAt: Date | null;
}

interface Row {
  workflow: string;
  trigger_index: number;
  cron: string;
  timezone: string;
  next_at: Date;
  last_fired_at: Date | null;
}

const COLUMNS = 'workflow, trigger_index, cron, timezone, next_at, last_fired_at';

// Any constant works; it only has to be the same for every engine replica.
const SYNC_LOCK_ID = 7_140_011;

function fromRow(row: Row): StoredSchedule {
  return {
    workflow: row.workflow,
    triggerIndex: row.trigger_index,
    cron: row.cron,
    timezone: row.timezone,
    nextAt: row.next_at,
    lastFiredAt: row.last_fired_at,
  };
}

export async function listSchedules(db: Queryable): Promise<StoredSchedule[]> {
  const { rows } = await db.query<Row>(`select ${COLUMNS} from workflow_schedules order by workflow, trigger_index`);
  return rows.map(fromRow);
}

/** Syncs queue on this lock for their transaction, so one never deletes a row another just wrote from a newer catalog. */
export async function lockScheduleSync(tx: Queryable): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [SYNC_LOCK_ID]);
}

/** Rows due at `now`, earliest first, locked for the caller's transaction; rows another engine holds are skipped. */
export async function claimDueSchedules(tx: Queryable, now: Date, limit: number): Promise<StoredSchedule[]> {
  const { rows } = await tx.query<Row>(
    `select ${COLUMNS} from workflow_schedules where next_at <= $1 order by next_at, workflow, trigger_index limit $2 for update skip locked`,
    [now, limit]
  );
  return rows.map(fromRow);
}

/** The earliest next_at, or undefined when there are no schedules. */
export async function earliestSchedule(db: Queryable): Promise<Date | undefined> {
  const { rows } = await db.query<{ next_at: Date | null }>('select min(next_at) as next_at from workflow_schedules');
  return rows[0]?.next_at ?? undefined;
}

/** Creates the row, or replaces its cron, timezone and next time. */
export async function upsertSchedule(db: Queryable, schedule: Omit<StoredSchedule, 'lastFiredAt'>): Promise<void> {
  await db.query(
    `insert into workflow_schedules (workflow, trigger_index, cron, timezone, next_at) values ($1, $2, $3, $4, $5)
     on conflict (workflow, trigger_index) do update set cron = excluded.cron, timezone = excluded.timezone, next_at = excluded.next_at`,
    [schedule.workflow, schedule.triggerIndex, schedule.cron, schedule.timezone, schedule.nextAt]
  );
}

/** Moves a claimed row on; `firedAt` is set when the tick started a run (or was meant to). */
export async function advanceSchedule(tx: Queryable, workflow: string, triggerIndex: number, nextAt: Date, firedAt: Date): Promise<void> {
  await tx.query('update workflow_schedules set next_at = $3, last_fired_at = $4 where workflow = $1 and trigger_index = $2', [
    workflow,
    triggerIndex,
    nextAt,
    firedAt,
  ]);
}

export async function deleteSchedule(db: Queryable, workflow: string, triggerIndex: number): Promise<void> {
  await db.query('delete from workflow_schedules where workflow = $1 and trigger_index = $2', [workflow, triggerIndex]);
}
