import type { Queryable } from './store.ts';

export const EVENT_KINDS = ['incident.created', 'incident.updated', 'incident.resolved', 'rca.ready', 'change.created'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One row of the outbox: what happened, to which incident or change, and when. */
export interface EngineEvent {
  id: string;
  kind: EventKind;
  /** The incident id, or the change id for change.created. */
  subject: string;
  at: Date;
}

/**
 * The oldest events not yet dispatched, locked for this transaction (others skip them, so several engines share
 * the list); the caller marks them dispatched in the same transaction.
 */
export async function claimEvents(tx: Queryable, limit: number): Promise<EngineEvent[]> {
  const { rows } = await tx.query<{ id: string; kind: EventKind; subject: string; at: Date }>(
    `select id::text as id, kind, subject, at from engine_events where dispatched_at is null order by id limit $1 for update skip locked`,
    [limit]
  );
  return rows;
}

export async function markDispatched(tx: Queryable, ids: readonly string[], now: Date): Promise<void> {
  await tx.query('update engine_events set dispatched_at = $2 where id = any($1::bigint[])', [ids, now]);
}

/** Deletes events dispatched before `before`; returns how many. */
export async function pruneEvents(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query('delete from engine_events where dispatched_at < $1', [before]);
  return rowCount;
}
