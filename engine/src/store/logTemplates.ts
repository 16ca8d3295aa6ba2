import type { Template } from '../perception/logs/miner.ts';
import type { Queryable } from './store.ts';

interface Row {
  id: string;
  tokens: string[];
  count: number;
  first_seen: Date;
  last_seen: Date;
  sample: string;
}

/** The most recently seen templates, at most `limit` (the miner's cap). */
export async function loadTemplates(db: Queryable, limit: number): Promise<Template[]> {
  const { rows } = await db.query<Row>(
    'select id, tokens, count, first_seen, last_seen, sample from log_templates order by last_seen desc limit $1',
    [limit]
  );
  return rows.map((row) => ({
    id: row.id,
    tokens: row.tokens,
    count: row.count,
    firstSeen: row.first_seen.getTime(),
    lastSeen: row.last_seen.getTime(),
    sample: row.sample,
  }));
}

/** Inserts or updates templates in one statement. */
export async function saveTemplates(db: Queryable, templates: readonly Template[]): Promise<void> {
  if (templates.length === 0) {
    return;
  }
  await db.query(
    `insert into log_templates (id, tokens, count, first_seen, last_seen, sample)
     select t.id, t.tokens, t.count, to_timestamp(t.first_seen / 1000.0), to_timestamp(t.last_seen / 1000.0), t.sample
     from jsonb_to_recordset($1::jsonb) as t(id text, tokens jsonb, count bigint, first_seen double precision, last_seen double precision, sample text)
     on conflict (id) do update set tokens = excluded.tokens, count = excluded.count,
       first_seen = least(log_templates.first_seen, excluded.first_seen),
       last_seen = greatest(log_templates.last_seen, excluded.last_seen)`,
    [
      JSON.stringify(
        templates.map((t) => ({ id: t.id, tokens: t.tokens, count: t.count, first_seen: t.firstSeen, last_seen: t.lastSeen, sample: t.sample }))
      ),
    ]
  );
}
