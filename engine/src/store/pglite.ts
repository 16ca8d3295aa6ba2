import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Results, Transaction } from '@electric-sql/pglite';
import { INT8_OID, parseInt8 } from './store.ts';
import type { QueryResult, Queryable, Store } from './store.ts';

/** Embedded PostgreSQL (WASM) keeping its files in dataDir, created when missing. */
export async function openPgliteStore(dataDir: string): Promise<Store> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, parsers: { [INT8_OID]: parseInt8 } });
  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    // Idempotent: closing twice (e.g. a test closing early, then shutdown) is not an error.
    close: async () => {
      if (!db.closed) {
        await db.close();
      }
    },
  };
}

function queryable(db: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      return toResult(await db.query<T>(sql, [...params]));
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

function toResult<T>(result: Results<T>): QueryResult<T> {
  return { rows: result.rows, rowCount: Math.max(result.rows.length, result.affectedRows ?? 0) };
}
