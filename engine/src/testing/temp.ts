import { accessSync, constants, statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

const MIN_FREE_BYTES = 2 * 1024 ** 3;

/**
 * Where test folders go: $INTELOPS_TEST_TMPDIR, else /dev/shm when it is a roomy writable RAM disk
 * (database folders there are several times faster to create), else the system temp dir.
 */
function tempRoot(): string {
  const chosen = process.env.INTELOPS_TEST_TMPDIR;
  if (chosen) {
    return chosen;
  }
  try {
    const stats = statfsSync('/dev/shm');
    accessSync('/dev/shm', constants.W_OK);
    if (stats.bavail * stats.bsize >= MIN_FREE_BYTES) {
      return '/dev/shm';
    }
  } catch {
    // No usable /dev/shm: fall through to the system temp dir.
  }
  return os.tmpdir();
}

/** A new empty folder for a test; remove() deletes it. */
export async function tempDir(prefix: string): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tempRoot(), `intelops-${prefix}-`));
  return { path: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
