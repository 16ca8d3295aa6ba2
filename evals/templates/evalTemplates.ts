import { TemplateMiner } from '../../engine/src/perception/logs/miner.ts';
import { groupingAccuracy } from './groupingAccuracy.ts';
import { listSystems, loadSystem } from './loghub.ts';

export type Field = 'raw' | 'content';

export interface SystemResult {
  ga: number;
  lines: number;
  templates: number;
}

export interface TemplatesReport {
  field: Field;
  systems: Record<string, SystemResult>;
  average: { ga: number };
}

/** Mines each system with a fresh miner in its default configuration and scores its grouping. */
export function evalTemplates(dataDir: string, field: Field): TemplatesReport {
  const systems: Record<string, SystemResult> = {};
  for (const name of listSystems(dataDir)) {
    const system = loadSystem(dataDir, name);
    const lines = field === 'raw' ? system.raw : system.content;
    if (lines.length === 0) {
      throw new Error(`${name}: no raw log file ${name}_2k.log to mine with --field raw`);
    }
    const miner = new TemplateMiner();
    const ids = lines.map((line) => miner.add(line, 0).template.id);
    systems[name] = { ga: groupingAccuracy(ids, system.events), lines: lines.length, templates: new Set(ids).size };
  }
  const values = Object.values(systems);
  return { field, systems, average: { ga: values.reduce((sum, s) => sum + s.ga, 0) / values.length } };
}
