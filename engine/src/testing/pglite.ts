import { createHash } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { tempDir } from './temp.ts';
import type { TempDir } from './temp.ts';

/**
 * A fresh PGlite data folder costs ~3 s of WASM initdb. Tests copy an empty cluster made once per
 * PGlite build (shared by test processes) instead; it holds no schema, so migrations still run for real.
 */
async function templateDir(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const { size, mtimeMs } = await stat(entry);
  const key = createHash('sha256').update(`${entry}:${size}:${mtimeMs}`).digest('hex').slice(0, 12);
  const template = path.join(os.tmpdir(), `intelops-pglite-template-${key}`);
  if (await exists(template)) {
    return template;
  }
  const building = `${template}.${process.pid}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const db = await PGlite.create({ dataDir: building });
  await db.close();
  try {
    // Atomic: a test process racing us either wins the rename or finds the finished template.
    await rename(building, template);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!(await exists(template))) {
      throw error;
    }
  }
  return template;
}

async function exists(dir: string): Promise<boolean> {
  return stat(dir).then(
    () => true,
    () => false
  );
}

/** A new temp folder holding an initialized, empty PGlite cluster. */
export async function freshPgliteDir(): Promise<TempDir> {
  const template = await templateDir();
  const dir = await tempDir('pglite');
  await cp(template, dir.path, { recursive: true });
  return dir;
}
