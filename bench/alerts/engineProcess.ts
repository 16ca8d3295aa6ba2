// Starts the real engine as a child process on PGlite in a temporary folder, for benchmarks.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../engine/src/testing/processes.ts';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'engine', 'src', 'main.ts');

export interface EngineProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startEngineProcess(): Promise<EngineProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'intelops-bench-'));
  const port = await freePort();
  const token = randomBytes(18).toString('base64url');
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, INTELOPS_PORT: String(port), INTELOPS_HOST: '127.0.0.1', INTELOPS_TOKEN: token, INTELOPS_DATA_DIR: dataDir, INTELOPS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the engine exited with code ${child.exitCode} while starting`);
    }
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the engine did not become ready within 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    token,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
