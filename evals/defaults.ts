import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RcaFormat } from './rca/evalRca.ts';

/** The shared datasets folder beside the repository (CI has it; users usually don't). */
export const SHARED_DATASETS = path.resolve(fileURLToPath(new URL('../../shared/datasets', import.meta.url)));

/** Where each dataset sits inside a datasets folder (`--data`). */
export const LOGHUB_2K_DIR = 'loghub-2k';
export const RCA_DIRS: Record<RcaFormat, string> = {
  rcd: path.join('rca', 'sockshop-rcd'),
  nezha: path.join('rca', 'nezha-onlineboutique-2022-08-22'),
};

export const LOGHUB_2K = path.join(SHARED_DATASETS, LOGHUB_2K_DIR);

/** The demo runbooks and their labelled queries, shipped in the repository. */
export const DEFAULT_KNOWLEDGE = fileURLToPath(new URL('../knowledge/', import.meta.url));

export function hasDataset(dir: string): boolean {
  return existsSync(dir);
}
