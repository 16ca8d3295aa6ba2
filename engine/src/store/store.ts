export type StoreKind = 'pglite' | 'postgres';

export interface QueryResult<T> {
  rows: T[];
  /** Rows returned, or rows changed by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/** What runs SQL: the store itself, or a transaction handed to `transaction(fn)`. */
export interface Queryable {
  /** One statement with $1, $2… parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The engine's database: PostgreSQL SQL on either PGlite (embedded) or a PostgreSQL server.
 * Both return the same JS types: int8 as number, numeric as string, json/jsonb parsed, timestamps as Date.
 */
export interface Store extends Queryable {
  readonly kind: StoreKind;
  /**
   * Runs fn inside BEGIN … COMMIT; rolls back and rethrows when fn throws. Inside fn, use only `tx`:
   * PGlite has one connection, so calling the store itself from fn waits forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the connection(s); calling it again does nothing. */
  close(): Promise<void>;
}

export const INT8_OID = 20;

/** int8 as a JS number, refusing values a number cannot hold exactly. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} does not fit a JS number exactly; cast it to text or numeric in SQL`);
  }
  return value;
}
