import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared datasets folder beside the repository (CI has it; users usually don't). */
export const SHARED_DATASETS = path.resolve(fileURLToPath(new URL('../../shared/datasets', import.meta.url)));

export const LOGHUB_2K = path.join(SHARED_DATASETS, 'loghub-2k');

export function hasDataset(dir: string): boolean {
  return existsSync(dir);
}
