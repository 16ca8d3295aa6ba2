import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { describeEachStore } from '../testing/stores.ts';
import { tempDir } from '../testing/temp.ts';
import { MigrationError, migrate, readMigrations } from './migrations.ts';
import { openStore } from './open.ts';
import { loadSettings, saveSettings } from './settings.ts';
import type { Store } from './store.ts';

async function migrationsDir(files: Record<string, string>) {
  const dir = await tempDir('migrations');
  for (const [name, sql] of Object.entries(files)) {
    await writeFile(path.join(dir.path, name), sql);
  }
  return dir;
}

async function appliedVersions(store: Store): Promise<number[]> {
  const { rows } = await store.query<{ version: number }>('select version from schema_migrations order by version');
  return rows.map((row) => row.version);
}

describeEachStore('store', (target) => {
  it('returns the same JS types on both stores', async () => {
    const fresh = await target.fresh();
    const store = await openStore(fresh.config);
    try {
      assert.equal(store.kind, target.kind);
      const { rows, rowCount } = await store.query<Record<string, unknown>>(
        `select 1::int4 as int4, 9007199254740991::int8 as int8, 1.5::numeric as numeric, 'x'::text as text, true as bool,
                '{"a":[1]}'::jsonb as jsonb, '2026-01-02T03:04:05Z'::timestamptz as ts, null::text as nothing, $1::text as param`,
        ['p']
      );
      assert.equal(rowCount, 1);
      assert.deepEqual(rows[0], {
        int4: 1,
        int8: 9007199254740991,
        numeric: '1.5',
        text: 'x',
        bool: true,
        jsonb: { a: [1] },
        ts: new Date('2026-01-02T03:04:05Z'),
        nothing: null,
        param: 'p',
      });
      await assert.rejects(store.query('select 9007199254740993::int8 as big'), /does not fit a JS number/);
    } finally {
      await store.close();
      await fresh.remove();
    }
  });

  it('commits a transaction, and rolls it back when the callback throws', async () => {
    const fresh = await target.fresh();
    const store = await openStore(fresh.config);
    try {
      await store.exec('create table items (name text primary key); create table other (x int)');
      await store.transaction(async (tx) => {
        await tx.query('insert into items (name) values ($1), ($2)', ['a', 'b']);
      });
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.query('insert into items (name) values ($1)', ['c']);
          throw new Error('changed my mind');
        }),
        /changed my mind/
      );
      const { rows } = await store.query<{ name: string }>('select name from items order by name');
      assert.deepEqual(rows.map((row) => row.name), ['a', 'b']);
      const updated = await store.query('update items set name = name || $1', ['!']);
      assert.equal(updated.rowCount, 2);
      // The store still works after a rollback.
      assert.deepEqual((await store.query('select count(*) as n from items')).rows, [{ n: 2 }]);
    } finally {
      await store.close();
      await fresh.remove();
    }
  });

  it('applies the migrations once and is idempotent across restarts', async () => {
    const fresh = await target.fresh();
    const first = await openStore(fresh.config);
    try {
      const result = await migrate(first);
      const all = (await readMigrations()).map((migration) => migration.name);
      assert.ok(all.includes('001_settings.sql'));
      assert.deepEqual(result, { applied: all, alreadyApplied: 0 });
      await saveSettings(first, { prometheus: { url: 'http://prometheus:9090' } });
    } finally {
      await first.close();
    }
    const second = await openStore(fresh.config);
    try {
      const again = await migrate(second);
      assert.deepEqual(again.applied, []);
      assert.equal(again.alreadyApplied, (await readMigrations()).length);
      assert.deepEqual(await appliedVersions(second), (await readMigrations()).map((migration) => migration.version));
      assert.deepEqual(await loadSettings(second), { prometheus: { url: 'http://prometheus:9090' } });
    } finally {
      await second.close();
      await fresh.remove();
    }
  });

  it('applies new migrations in order, refuses edited or unknown ones, and rolls back a failing one', async () => {
    const fresh = await target.fresh();
    const store = await openStore(fresh.config);
    const v1 = await migrationsDir({ '001_a.sql': 'create table a (id int);' });
    const v2 = await migrationsDir({
      '001_a.sql': 'create table a (id int);',
      '002_b.sql': 'create table b (id int); insert into a values (1);',
    });
    const edited = await migrationsDir({ '001_a.sql': 'create table a (id bigint);' });
    const broken = await migrationsDir({
      '001_a.sql': 'create table a (id int);',
      '002_b.sql': 'create table b (id int); insert into a values (1);',
      '003_c.sql': 'create table c (id int); select * from no_such_table;',
    });
    try {
      assert.deepEqual((await migrate(store, v1.path)).applied, ['001_a.sql']);
      assert.deepEqual((await migrate(store, v2.path)).applied, ['002_b.sql']);
      assert.deepEqual(await appliedVersions(store), [1, 2]);
      await assert.rejects(migrate(store, edited.path), (error: unknown) => error instanceof MigrationError && /001_a\.sql changed after it was applied/.test(error.message));
      await assert.rejects(migrate(store, v1.path), /has migration 002_b\.sql, which this engine does not have/);
      await assert.rejects(migrate(store, broken.path), /Migration 003_c\.sql failed: .*no_such_table/);
      // The failed migration left nothing behind: no table c, no record of 003.
      assert.deepEqual(await appliedVersions(store), [1, 2]);
      const { rows } = await store.query("select to_regclass('c') is null as missing");
      assert.deepEqual(rows, [{ missing: true }]);
    } finally {
      await store.close();
      await fresh.remove();
      await Promise.all([v1.remove(), v2.remove(), edited.remove(), broken.remove()]);
    }
  });

  it('rejects badly named or numbered migration files', async () => {
    const gap = await migrationsDir({ '001_a.sql': '', '003_c.sql': '' });
    const badName = await migrationsDir({ '1_a.sql': '' });
    try {
      await assert.rejects(readMigrations(gap.path), /003_c\.sql .* should have version 002/);
      await assert.rejects(readMigrations(badName.path), /1_a\.sql .* must be named NNN_name\.sql/);
    } finally {
      await Promise.all([gap.remove(), badName.remove()]);
    }
  });

  if (target.kind === 'postgres') {
    it('lets several replicas migrate the same database at once', async () => {
      const fresh = await target.fresh();
      const replicas = await Promise.all([1, 2, 3].map(() => openStore(fresh.config)));
      try {
        const results = await Promise.all(replicas.map((replica) => migrate(replica)));
        const all = (await readMigrations()).map((migration) => migration.name);
        // Exactly one replica applied each migration; the others found them applied.
        assert.deepEqual(results.flatMap((result) => result.applied).sort(), all);
        assert.deepEqual(await appliedVersions(replicas[0] ?? assert.fail('no replica')), (await readMigrations()).map((m) => m.version));
      } finally {
        await Promise.all(replicas.map((replica) => replica.close()));
      }
    });
  }
});
