import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { freshPgliteDir } from './testing/pglite.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Runs src/main.ts as a real process with only the given INTELOPS_* variables. */
function runMain(env: Record<string, string>): Child {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('INTELOPS_') && name !== 'DATABASE_URL')
  );
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => (typeof code === 'number' ? code : null));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function waitFor<T>(what: string, child: Child, find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) {
      return found;
    }
    if (child.process.exitCode !== null || Date.now() > deadline) {
      assert.fail(`${what}: not seen (exit code ${child.process.exitCode})\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function startedUrl(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    if (line.includes('"IntelOps engine started"')) {
      const entry: unknown = JSON.parse(line);
      const url: unknown = Object(entry).url;
      return typeof url === 'string' ? url : undefined;
    }
  }
  return undefined;
}

describe('main.ts as a process', () => {
  it('starts, serves, and exits 0 soon after SIGTERM', async () => {
    const dataDir = await freshPgliteDir();
    const child = runMain({ INTELOPS_TOKEN: 'main-test-token', INTELOPS_DATA_DIR: dataDir.path, INTELOPS_PORT: '0', INTELOPS_HOST: '127.0.0.1' });
    try {
      const url = await waitFor('the start-up log line', child, () => startedUrl(child.stdout()));
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal((await fetch(`${url}/api/v1/settings`)).status, 401);
      const malformed = await fetch(`${url}/api/v1/settings`, {
        method: 'PUT',
        headers: { authorization: 'Bearer main-test-token', 'content-type': 'application/json' },
        body: '{"prometheus":',
      });
      assert.equal(malformed.status, 400);

      const signalledAt = Date.now();
      child.process.kill('SIGTERM');
      const code = await child.exited;
      assert.equal(code, 0, child.stderr());
      assert.ok(Date.now() - signalledAt < 5000, 'exits within 5 s');
      assert.match(child.stdout(), /"msg":"engine stopped"/);
      assert.doesNotMatch(child.stdout(), /main-test-token/);
    } finally {
      child.process.kill('SIGKILL');
      await dataDir.remove();
    }
  });

  it('refuses to start without a token, saying how to set one', async () => {
    const child = runMain({ INTELOPS_DATA_DIR: '/nonexistent/never-created' });
    const code = await child.exited;
    assert.notEqual(code, 0);
    assert.match(child.stderr(), /^intelops-engine: No API token configured.*INTELOPS_TOKEN/);
    assert.doesNotMatch(child.stderr(), /\n\s+at /, 'no stack trace');
  });

  it('refuses a bad port with a message naming the variable', async () => {
    const child = runMain({ INTELOPS_TOKEN: 't', INTELOPS_PORT: 'http' });
    assert.notEqual(await child.exited, 0);
    assert.equal(child.stderr(), 'intelops-engine: Invalid INTELOPS_PORT: must be a whole number from 0 to 65535 (got "http")\n');
  });

  it('refuses a bad CMDB file with its name, line and field, before opening anything', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'intelops-cmdb-'));
    try {
      await writeFile(path.join(dir, 'shop.yaml'), 'services:\n  - name: checkout\n    tier: 1\n');
      const child = runMain({ INTELOPS_TOKEN: 't', INTELOPS_CMDB_DIR: dir, INTELOPS_DATA_DIR: '/nonexistent/never-created' });
      assert.equal(await child.exited, 2);
      assert.equal(child.stderr(), `intelops-engine: INTELOPS_CMDB_DIR: ${path.join(dir, 'shop.yaml')} line 3: services/0/tier must be string\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('warns loudly in insecure mode and serves /api/v1 without a token', async () => {
    const dataDir = await freshPgliteDir();
    const child = runMain({ INTELOPS_INSECURE: 'true', INTELOPS_DATA_DIR: dataDir.path, INTELOPS_PORT: '0', INTELOPS_HOST: '127.0.0.1' });
    try {
      const url = await waitFor('the start-up log line', child, () => startedUrl(child.stdout()));
      assert.match(child.stdout(), /"level":40,.*INSECURE MODE/);
      assert.equal((await fetch(`${url}/api/v1/status`)).status, 200);
      child.process.kill('SIGINT');
      assert.equal(await child.exited, 0);
    } finally {
      child.process.kill('SIGKILL');
      await dataDir.remove();
    }
  });
});
