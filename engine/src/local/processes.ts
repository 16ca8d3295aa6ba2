import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A free TCP port on 127.0.0.1 (free now; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The first of `names` found on PATH or in the usual bin and sbin folders, or undefined. */
export function findBinary(...names: string[]): string | undefined {
  // root's tools (runuser) live in sbin, which a minimal PATH may leave out.
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin', '/usr/sbin', '/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (existsSync(file)) {
        return file;
      }
    }
  }
  return undefined;
}

export interface Child {
  process: ChildProcess;
  /** The last output of the process (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running program; stop() ends it (SIGTERM, then SIGKILL after 5 s), as does this process exiting. */
export function startChild(file: string, args: string[]): Child {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  // If this process dies first, do not leave the program running.
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  return {
    process: child,
    output: () => output,
    async stop() {
      process.removeListener('exit', killNow);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
