import type { Cmdb } from '../context/cmdb.ts';
import type { Queryable } from './store.ts';

export interface StoredCmdb {
  cmdb: Cmdb;
  updatedAt: Date;
}

/** The stored CMDB; undefined until the first PUT. */
export async function loadCmdb(db: Queryable): Promise<StoredCmdb | undefined> {
  const { rows } = await db.query<{ document: Cmdb; updated_at: Date }>('select document, updated_at from cmdb where id = 1');
  const row = rows[0];
  return row === undefined ? undefined : { cmdb: row.document, updatedAt: row.updated_at };
}

/** Replaces the CMDB. */
export async function saveCmdb(db: Queryable, cmdb: Cmdb): Promise<StoredCmdb> {
  const { rows } = await db.query<{ document: Cmdb; updated_at: Date }>(
    `insert into cmdb (id, document, updated_at) values (1, $1::jsonb, clock_timestamp())
     on conflict (id) do update set document = excluded.document, updated_at = excluded.updated_at
     returning document, updated_at`,
    [JSON.stringify(cmdb)]
  );
  const row = rows[0];
  if (row === undefined) {
    throw new Error('saving the CMDB returned no row');
  }
  return { cmdb: row.document, updatedAt: row.updated_at };
}
