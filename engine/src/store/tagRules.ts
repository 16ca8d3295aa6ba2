import { DEFAULT_TAG_RULES, parseTagRules } from '../context/tagRules.ts';
import type { TagRules } from '../context/tagRules.ts';
import type { Queryable } from './store.ts';

export interface StoredTagRules {
  /** The rules text as it was sent (YAML or JSON). */
  source: string;
  updatedAt: Date;
}

/** The stored rules text; undefined until the first PUT. */
export async function loadTagRulesText(db: Queryable): Promise<StoredTagRules | undefined> {
  const { rows } = await db.query<{ source: string; updated_at: Date }>('select source, updated_at from tag_rules where id = 1');
  const row = rows[0];
  return row === undefined ? undefined : { source: row.source, updatedAt: row.updated_at };
}

/** Replaces the rules text (checked by the caller). */
export async function saveTagRulesText(db: Queryable, source: string): Promise<StoredTagRules> {
  const { rows } = await db.query<{ source: string; updated_at: Date }>(
    `insert into tag_rules (id, source, updated_at) values (1, $1, clock_timestamp())
     on conflict (id) do update set source = excluded.source, updated_at = excluded.updated_at
     returning source, updated_at`,
    [source]
  );
  const row = rows[0];
  if (row === undefined) {
    throw new Error('saving the tag rules returned no row');
  }
  return { source: row.source, updatedAt: row.updated_at };
}

/** The rules the engine runs: the stored ones (compiled), or the built-in defaults when none are stored. */
export async function loadStoredTagRules(db: Queryable): Promise<TagRules> {
  const stored = await loadTagRulesText(db);
  return stored === undefined ? DEFAULT_TAG_RULES : parseTagRules(stored.source, 'stored tag rules');
}
