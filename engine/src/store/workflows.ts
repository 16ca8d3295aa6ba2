import type { Queryable } from './store.ts';

/** Workflows saved through the API, as the text that was sent (checked by the caller before saving). */

export interface StoredWorkflow {
  name: string;
  source: string;
  updatedAt: Date;
}

interface Row {
  name: string;
  source: string;
  updated_at: Date;
}

function fromRow(row: Row): StoredWorkflow {
  return { name: row.name, source: row.source, updatedAt: row.updated_at };
}

export async function listStoredWorkflows(db: Queryable): Promise<StoredWorkflow[]> {
  const { rows } = await db.query<Row>('select name, source, updated_at from workflows order by name');
  return rows.map(fromRow);
}

export async function loadStoredWorkflow(db: Queryable, name: string): Promise<StoredWorkflow | undefined> {
  const { rows } = await db.query<Row>('select name, source, updated_at from workflows where name = $1', [name]);
  const row = rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** Creates or replaces; `created` tells which. */
export async function saveStoredWorkflow(db: Queryable, name: string, source: string): Promise<StoredWorkflow & { created: boolean }> {
  const { rows } = await db.query<Row & { created: boolean }>(
    `insert into workflows (name, source, updated_at) values ($1, $2, clock_timestamp())
     on conflict (name) do update set source = excluded.source, updated_at = excluded.updated_at
     returning name, source, updated_at, (xmax = 0) as created`,
    [name, source]
  );
  const row = rows[0];
  if (row === undefined) {
    throw new Error('saving the workflow returned no row');
  }
  return { ...fromRow(row), created: row.created };
}

/** Whether there was one to delete. */
export async function deleteStoredWorkflow(db: Queryable, name: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from workflows where name = $1', [name]);
  return rowCount > 0;
}
