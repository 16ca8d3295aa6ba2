import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findBinary, freePort } from './processes.ts';
import { tempDir } from './temp.ts';

const run = promisify(execFile);

const SUPERUSER = 'intelops';

export interface PostgresServer {
  port: number;
  /** Creates an empty database and returns its postgres:// URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The folder holding initdb/pg_ctl/postgres: $PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const candidates: string[] = [];
  if (process.env.PG_BIN) {
    candidates.push(process.env.PG_BIN);
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(debianRoot, version, 'bin')));
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  const bin = candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(path.join(dir, tool))));
  return bin === undefined
    ? { missing: `postgres binaries not found (looked in $PG_BIN, ${debianRoot}/*/bin and PATH; install the postgresql package)` }
    : { bin };
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` OS user (or `nobody`). */
function osUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0) {
      return { name, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
    }
  }
  throw new Error('running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL');
}

function command(bin: string, tool: string, args: string[], user: string | undefined): [string, string[]] {
  const file = path.join(bin, tool);
  return user === undefined ? [file, args] : [findBinary('runuser') ?? 'runuser', ['-u', user, '--', file, ...args]];
}

/** A throwaway PostgreSQL server on 127.0.0.1, in a temp folder, with trust auth for the `intelops` superuser. */
export async function startPostgres(): Promise<PostgresServer> {
  const found = findPostgresBin();
  if ('missing' in found) {
    throw new Error(found.missing);
  }
  const { bin } = found;
  const user = osUser();
  const dir = await tempDir('postgres');
  if (user !== undefined) {
    await chown(dir.path, user.uid, user.gid);
  }
  await chmod(dir.path, 0o700);
  const dataDir = path.join(dir.path, 'data');
  const logFile = path.join(dir.path, 'postgres.log');
  const tool = (name: string, args: string[]) => {
    const [file, fileArgs] = command(bin, name, args, user?.name);
    return run(file, fileArgs, { timeout: 60_000 });
  };
  const stopNow = () => {
    const [file, args] = command(bin, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate'], user?.name);
    spawnSync(file, args, { stdio: 'ignore' });
  };

  await tool('initdb', ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      await tool('pg_ctl', ['start', '-w', '-t', '30', '-D', dataDir, '-l', logFile, '-o', options]);
      break;
    } catch (error) {
      // Another process may have taken the port between freePort() and start: try once more.
      if (attempt >= 2) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
        await dir.remove();
        throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`);
      }
    }
  }
  // If the test process dies without stop(), do not leave a server running.
  process.once('exit', stopNow);

  let databases = 0;
  return {
    port,
    async createDatabase() {
      databases += 1;
      const name = `intelops_test_${databases}`;
      const admin = new pg.Client({ connectionString: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres` });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener('exit', stopNow);
      await tool('pg_ctl', ['stop', '-w', '-D', dataDir, '-m', 'fast']).catch(stopNow);
      await rm(dir.path, { recursive: true, force: true });
    },
  };
}
