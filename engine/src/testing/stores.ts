import { after, before, describe } from 'node:test';
import type { StoreConfig } from '../config.ts';
import { migrate } from '../store/migrations.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { freshPgliteDir } from './pglite.ts';
import { findPostgresBin, startPostgres } from './postgres.ts';
import type { PostgresServer } from './postgres.ts';

export interface FreshStore {
  config: StoreConfig;
  /** Deletes what fresh() made (a PGlite folder; a PostgreSQL database dies with its server). */
  remove(): Promise<void>;
}

export interface StoreTarget {
  kind: StoreConfig['kind'];
  /** A new, empty store: a PGlite folder or a PostgreSQL database. */
  fresh(): Promise<FreshStore>;
}

export async function freshPgliteStore(): Promise<FreshStore> {
  const dir = await freshPgliteDir();
  return { config: { kind: 'pglite', dataDir: dir.path }, remove: dir.remove };
}

/**
 * Declares the suite `body` twice: on PGlite and on a real PostgreSQL server started for it. Without
 * PostgreSQL binaries the second is skipped, with the reason in the test report.
 */
export function describeEachStore(name: string, body: (target: StoreTarget) => void): void {
  describe(`${name} (PGlite)`, () => body({ kind: 'pglite', fresh: freshPgliteStore }));

  const found = findPostgresBin();
  const skip = 'missing' in found ? found.missing : false;
  describe(`${name} (PostgreSQL)`, { skip }, () => {
    let server: PostgresServer | undefined;
    before(async () => {
      server = await startPostgres();
    });
    after(async () => {
      await server?.stop();
    });
    body({
      kind: 'postgres',
      async fresh() {
        if (server === undefined) {
          throw new Error('the PostgreSQL test server did not start');
        }
        return { config: { kind: 'postgres', databaseUrl: await server.createDatabase() }, remove: async () => {} };
      },
    });
  });
}

/**
 * One migrated PGlite store for the whole test file (a new one costs most of a second), removed after it. Call at
 * the file's top level; the returned function gives the store inside tests.
 */
export function sharedPgliteStore(): () => Store {
  let shared: { fresh: FreshStore; store: Store } | undefined;
  before(async () => {
    const fresh = await freshPgliteStore();
    const store = await openStore(fresh.config);
    await migrate(store);
    shared = { fresh, store };
  });
  after(async () => {
    await shared?.store.close();
    await shared?.fresh.remove();
  });
  return () => {
    if (shared === undefined) {
      throw new Error('the shared store did not open');
    }
    return shared.store;
  };
}
