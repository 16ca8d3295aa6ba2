import type { PerceptionMetrics } from '../../observability/metrics.ts';
import type { LogEntry } from '../../sources/types.ts';
import { loadTemplates, saveTemplates } from '../../store/logTemplates.ts';
import type { Queryable } from '../../store/store.ts';
import { MINER_DEFAULTS, TemplateMiner } from './miner.ts';
import type { Template } from './miner.ts';
import { parseStructured } from './structured.ts';

export interface MinedEntry {
  template: Template;
  /** The stream's labels plus, for JSON and logfmt lines, their other fields. */
  labels: Record<string, string>;
  level: string | undefined;
}

/**
 * The engine's one template miner, persisted: templates learned from any query keep their ids across restarts,
 * so evidence that cites a template id stays valid.
 */
export class TemplateLibrary {
  private readonly dirty = new Set<Template>();
  private minedSinceFlush = 0;
  private readonly db: Queryable;
  private readonly miner: TemplateMiner;
  private readonly metrics: PerceptionMetrics | undefined;

  private constructor(db: Queryable, miner: TemplateMiner, metrics: PerceptionMetrics | undefined) {
    this.db = db;
    this.miner = miner;
    this.metrics = metrics;
  }

  static async open(db: Queryable, metrics?: PerceptionMetrics): Promise<TemplateLibrary> {
    const miner = new TemplateMiner();
    for (const template of await loadTemplates(db, MINER_DEFAULTS.maxTemplates)) {
      miner.restore(template);
    }
    metrics?.templates.set(miner.size);
    return new TemplateLibrary(db, miner, metrics);
  }

  get size(): number {
    return this.miner.size;
  }

  mine(entry: LogEntry): MinedEntry {
    const structured = parseStructured(entry.line);
    const { template, level } = this.miner.add(structured?.message ?? entry.line, entry.t);
    this.dirty.add(template);
    this.minedSinceFlush++;
    const labels = structured === undefined ? entry.labels : { ...structured.labels, ...entry.labels };
    return { template, labels, level: level ?? labels.level ?? labels.severity ?? labels.detected_level };
  }

  /** Saves the templates mined since the last flush. */
  async flush(): Promise<void> {
    // Counted here, once per batch, rather than per line on the mining path.
    this.metrics?.linesMined.inc(this.minedSinceFlush);
    this.minedSinceFlush = 0;
    this.metrics?.templates.set(this.miner.size);
    const templates = [...this.dirty];
    this.dirty.clear();
    try {
      await saveTemplates(this.db, templates);
    } catch (error) {
      // Saved next time instead: losing a count update is better than losing the template.
      for (const template of templates) {
        this.dirty.add(template);
      }
      throw error;
    }
  }
}
