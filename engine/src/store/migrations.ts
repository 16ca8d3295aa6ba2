import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Store } from './store.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any constant works; it only has to be the same for every engine replica. */
const MIGRATION_LOCK_ID = 7_140_001;

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads NNN_name.sql files in version order; a gap or a duplicate version is an error. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null || match[1] === undefined) {
      throw new MigrationError(`Migration file ${file} in ${dir} must be named NNN_name.sql (three digits, lowercase name)`);
    }
    const version = Number(match[1]);
    const expected = migrations.length + 1;
    if (version !== expected) {
      throw new MigrationError(`Migration ${file} in ${dir} should have version ${String(expected).padStart(3, '0')}: versions must be 001, 002, … without gaps or duplicates`);
    }
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

/**
 * Applies the migrations the database has not seen, all in one transaction. Replicas starting together
 * queue on an advisory lock, so each migration runs once. An applied file that was edited afterwards,
 * or a database migrated by a newer engine, stops start-up.
 */
export async function migrate(store: Store, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  return store.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows: appliedRows } = await tx.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from schema_migrations order by version'
    );
    const known = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of appliedRows) {
      const migration = known.get(row.version);
      if (migration === undefined) {
        throw new MigrationError(`The database has migration ${row.name}, which this engine does not have: it was migrated by a newer engine version. Run that version or newer.`);
      }
      if (migration.checksum !== row.checksum) {
        throw new MigrationError(`Migration ${migration.name} changed after it was applied to this database. Applied migrations must not be edited: add a new migration file instead.`);
      }
    }
    const appliedVersions = new Set(appliedRows.map((row) => row.version));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (appliedVersions.has(migration.version)) {
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: appliedVersions.size };
  });
}
