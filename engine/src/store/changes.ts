import type { Change, ChangeKind } from '../context/changes.ts';
import { CHANGE_KINDS } from '../context/changes.ts';
import type { Queryable } from './store.ts';

interface Row {
  id: string;
  kind: string;
  service: string;
  title: string;
  description: string | null;
  starts_at: Date;
  ends_at: Date | null;
  author: string | null;
  version: string | null;
  url: string | null;
  labels: Record<string, string>;
}

/** Inserts the changes, or updates those whose id is stored already; returns how many were new. */
export async function saveChanges(db: Queryable, changes: readonly Change[], now: Date): Promise<{ created: number; updated: number }> {
  if (changes.length === 0) {
    return { created: 0, updated: 0 };
  }
  const { rows } = await db.query<{ created: boolean }>(
    `with saved as (
     insert into changes (id, kind, service, title, description, starts_at, ends_at, author, version, url, labels, received_at)
     select c.id, c.kind, c.service, c.title, c.description, c.starts_at, c.ends_at, c.author, c.version, c.url, coalesce(c.labels, '{}'), $2
       from jsonb_to_recordset($1::jsonb) as c(id text, kind text, service text, title text, description text,
         starts_at timestamptz, ends_at timestamptz, author text, version text, url text, labels jsonb)
     on conflict (id) do update set kind = excluded.kind, service = excluded.service, title = excluded.title,
       description = excluded.description, starts_at = excluded.starts_at, ends_at = excluded.ends_at, author = excluded.author,
       version = excluded.version, url = excluded.url, labels = excluded.labels, received_at = excluded.received_at
     returning id, (xmax = 0) as created
     ), events as (
       insert into engine_events (kind, subject, at) select 'change.created', id, $2 from saved where created
     )
     select created from saved`,
    [
      JSON.stringify(
        changes.map((c) => ({
          id: c.id,
          kind: c.kind,
          service: c.service,
          title: c.title,
          description: c.description ?? null,
          starts_at: c.startsAt.toISOString(),
          ends_at: c.endsAt?.toISOString() ?? null,
          author: c.author ?? null,
          version: c.version ?? null,
          url: c.url ?? null,
          labels: c.labels,
        }))
      ),
      now,
    ]
  );
  const created = rows.filter((row) => row.created).length;
  return { created, updated: rows.length - created };
}

export interface ChangeFilter {
  /** Changes active at some time in [from, to]: begun by `to`, and not ended before `from`. */
  from?: Date;
  to?: Date;
  services?: string[];
  ids?: string[];
  limit: number;
}

/** Newest first. */
export async function queryChanges(db: Queryable, filter: ChangeFilter): Promise<Change[]> {
  const { rows } = await db.query<Row>(
    `select id, kind, service, title, description, starts_at, ends_at, author, version, url, labels from changes
      where ($1::timestamptz is null or coalesce(ends_at, starts_at) >= $1)
        and ($2::timestamptz is null or starts_at <= $2)
        and ($3::text[] is null or service = any($3))
        and ($5::text[] is null or id = any($5))
      order by starts_at desc, id
      limit $4`,
    [filter.from ?? null, filter.to ?? null, filter.services ?? null, filter.limit, filter.ids ?? null]
  );
  return rows.map((row) => ({
    id: row.id,
    kind: CHANGE_KINDS.find((kind): kind is ChangeKind => kind === row.kind) ?? 'other',
    service: row.service,
    title: row.title,
    description: row.description ?? undefined,
    startsAt: row.starts_at,
    endsAt: row.ends_at ?? undefined,
    author: row.author ?? undefined,
    version: row.version ?? undefined,
    url: row.url ?? undefined,
    labels: row.labels,
  }));
}
