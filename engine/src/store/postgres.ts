import pg from 'pg';
import { INT8_OID, parseInt8 } from './store.ts';
import type { QueryResult, Queryable, Store } from './store.ts';

export interface PostgresStoreOptions {
  /** Called when an idle pooled connection fails (e.g. the server restarted); the pool replaces it. */
  onIdleError?: (error: Error) => void;
  maxConnections?: number;
}

/** Same-typed results as PGlite: int8 as number instead of pg's default string. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    return oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format ?? 'text');
  },
};

/** A pool of connections to a PostgreSQL server. */
export async function openPostgresStore(databaseUrl: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10, types });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    // Fail at start-up, with the server's own message, when the database is unreachable.
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        // A connection whose ROLLBACK failed is broken: release(error) discards it.
        await client.query('ROLLBACK').then(
          () => client.release(),
          (rollbackError: Error) => client.release(rollbackError)
        );
        throw error;
      }
    },
    // Idempotent: closing twice (e.g. a test closing early, then shutdown) is not an error.
    close: async () => {
      if (!pool.ended && !pool.ending) {
        await pool.end();
      }
    },
  };
}

function queryable(db: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const result = await db.query(sql, [...params]);
      const rows: T[] = result.rows;
      return { rows, rowCount: Math.max(rows.length, result.rowCount ?? 0) };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await db.query(sql);
    },
  };
}
