import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const APP_ID = 'intelops-aiops-app';
export const DATASOURCE_ID = 'intelops-aiops-datasource';
export const PANEL_IDS = ['intelops-rootcause-panel', 'intelops-agenttrace-panel', 'intelops-evals-panel'];
export const PLUGIN_IDS = [APP_ID, DATASOURCE_ID, ...PANEL_IDS];
