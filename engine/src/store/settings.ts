import type { Settings } from '../settings/settings.ts';
import type { Queryable } from './store.ts';

/** The stored settings document; {} until the first save. */
export async function loadSettings(db: Queryable): Promise<Settings> {
  const { rows } = await db.query<{ document: Settings }>('select document from settings where id = 1');
  return rows[0]?.document ?? {};
}

/** Replaces the whole settings document and returns what was stored. */
export async function saveSettings(db: Queryable, settings: Settings): Promise<Settings> {
  const { rows } = await db.query<{ document: Settings }>(
    `insert into settings (id, document) values (1, $1::jsonb)
     on conflict (id) do update set document = excluded.document, updated_at = now()
     returning document`,
    [JSON.stringify(settings)]
  );
  const stored = rows[0];
  if (stored === undefined) {
    throw new Error('saving settings returned no row');
  }
  return stored.document;
}
