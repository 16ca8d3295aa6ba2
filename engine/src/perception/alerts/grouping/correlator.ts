import { createHash } from 'node:crypto';
import { DependencyGraph } from '../../../context/dependencyGraph.ts';
import type { Alert } from '../types.ts';
import { alertKey } from '../types.ts';
import type { GroupingConfig } from './config.ts';
import { DEFAULT_GROUPING } from './config.ts';
import { before, link } from './link.ts';
import type { Entry, JoinReason } from './link.ts';
import { informativeLabels, targetOf, textTokens } from './similarity.ts';

/** Where an alert sits after grouping: its incident, and the earlier alert it joined (none for the first). */
export interface Placement {
  key: string;
  incidentId: string;
  reason: JoinReason | undefined;
}

export interface GroupingResult {
  /** Alerts that were placed for the first time or moved. */
  placed: Placement[];
  /** Incidents that gained, lost or renamed alerts (including ones left empty). */
  touched: Set<string>;
  /** Keys already known (redeliveries): grouping ignores them. */
  duplicates: string[];
}

export interface CorrelatorOptions {
  config?: GroupingConfig;
  graph?: DependencyGraph;
  /** Alerts kept in memory to group new ones against; the oldest go first. */
  maxEntries?: number;
}

/**
 * Groups alerts into incidents. Each alert joins the earlier alert it links to most strongly (see link.ts);
 * an incident is one tree of such links. Because each alert's choice depends only on the set of earlier
 * alerts, a late or replayed alert regroups exactly as if it had come in order: later alerts that would
 * have chosen it move to it.
 */
export class Correlator {
  private config: GroupingConfig;
  private graph: DependencyGraph;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();
  private readonly parents = new Map<string, JoinReason>();
  private readonly children = new Map<string, Set<string>>();
  private readonly incidentOf = new Map<string, string>();
  private readonly createdSeq = new Map<string, number>();
  private readonly index = new Map<string, Entry[]>();
  private seq = 0;

  constructor(options: CorrelatorOptions = {}) {
    this.config = options.config ?? DEFAULT_GROUPING;
    this.graph = options.graph ?? new DependencyGraph([], this.config.maxHops);
    this.maxEntries = options.maxEntries ?? 200_000;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A new CMDB applies to alerts grouped from now on; placed alerts stay where they are. */
  setGraph(graph: DependencyGraph): void {
    this.graph = graph;
  }

  setConfig(config: GroupingConfig): void {
    this.config = config;
  }

  incidentOfAlert(key: string): string | undefined {
    return this.incidentOf.get(key);
  }

  /**
   * Restores an alert placed earlier (from the store) without regrouping it, so that a restarted engine
   * groups new alerts against the same history.
   */
  restore(alert: Alert, incidentId: string, reason: JoinReason | undefined): void {
    const entry = this.entry(alert);
    if (this.entries.has(entry.key)) {
      return;
    }
    this.insert(entry);
    this.incidentOf.set(entry.key, incidentId);
    if (!this.createdSeq.has(incidentId)) {
      this.createdSeq.set(incidentId, this.seq++);
    }
    if (reason !== undefined && this.entries.has(reason.peer)) {
      this.attach(entry.key, reason);
    } else if (reason !== undefined) {
      this.parents.set(entry.key, reason);
    }
  }

  add(alerts: readonly Alert[]): GroupingResult {
    const result: GroupingResult = { placed: [], touched: new Set(), duplicates: [] };
    const moved = new Map<string, Placement>();
    const fresh = alerts.map((alert) => this.entry(alert)).sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    for (const entry of fresh) {
      if (this.entries.has(entry.key)) {
        result.duplicates.push(entry.key);
        continue;
      }
      this.insert(entry);
      this.place(entry, moved, result.touched);
      this.adoptLaterAlerts(entry, moved, result.touched);
    }
    result.placed = [...moved.values()];
    this.evict();
    return result;
  }

  private entry(alert: Alert): Entry {
    return {
      key: alertKey(alert),
      alert,
      time: alert.startsAt.getTime(),
      labels: informativeLabels(alert.labels),
      tokens: textTokens(alert),
      target: targetOf(alert.labels),
    };
  }

  private indexKeys(entry: Entry): string[] {
    const keys = [`f:${entry.alert.fingerprint}`];
    if (entry.alert.service !== undefined) {
      keys.push(`s:${entry.alert.service}`);
    }
    for (const label of entry.labels) {
      keys.push(`l:${label}`);
    }
    for (const token of entry.tokens) {
      keys.push(`t:${token}`);
    }
    return keys;
  }

  /** Index keys under which an alert that may link with `entry` is found. */
  private lookupKeys(entry: Entry): string[] {
    const keys = this.indexKeys(entry);
    const service = entry.alert.service;
    if (service !== undefined) {
      for (const related of this.graph.relationsOf(service).keys()) {
        keys.push(`s:${related}`);
      }
    }
    return keys;
  }

  private insert(entry: Entry): void {
    this.entries.set(entry.key, entry);
    for (const key of this.indexKeys(entry)) {
      const list = this.index.get(key);
      if (list === undefined) {
        this.index.set(key, [entry]);
      } else {
        insertSorted(list, entry);
      }
    }
  }

  /** Alerts within reach in time of `entry`, on either side, each once. */
  private neighbours(entry: Entry): Entry[] {
    const reach = Math.max(this.config.windowMs, this.config.flapWindowMs);
    const seen = new Set<string>([entry.key]);
    const found: Entry[] = [];
    for (const key of this.lookupKeys(entry)) {
      const list = this.index.get(key) ?? [];
      // Lists are in time order: only the slice within reach is read, not the whole history.
      for (let i = firstAtOrAfter(list, entry.time - reach); i < list.length; i++) {
        const other = list[i];
        if (other === undefined || other.time > entry.time + reach) {
          break;
        }
        if (!seen.has(other.key)) {
          seen.add(other.key);
          found.push(other);
        }
      }
    }
    return found;
  }

  private place(entry: Entry, moved: Map<string, Placement>, touched: Set<string>): void {
    let best: JoinReason | undefined;
    let bestEntry: Entry | undefined;
    for (const candidate of this.neighbours(entry)) {
      if (!before(candidate, entry)) {
        continue;
      }
      const reason = link(entry, candidate, this.graph, this.config);
      if (reason !== undefined && (bestEntry === undefined || best === undefined || stronger(reason, candidate, best, bestEntry))) {
        best = reason;
        bestEntry = candidate;
      }
    }
    if (best === undefined) {
      const incidentId = incidentIdFor(entry.key);
      this.incidentOf.set(entry.key, incidentId);
      this.createdSeq.set(incidentId, this.seq++);
      touched.add(incidentId);
      moved.set(entry.key, { key: entry.key, incidentId, reason: undefined });
      return;
    }
    this.attach(entry.key, best);
    const incidentId = this.incidentOf.get(best.peer) ?? incidentIdFor(best.peer);
    this.incidentOf.set(entry.key, incidentId);
    touched.add(incidentId);
    moved.set(entry.key, { key: entry.key, incidentId, reason: best });
  }

  /** Later alerts that link to `entry` more strongly than to their current parent move to it. */
  private adoptLaterAlerts(entry: Entry, moved: Map<string, Placement>, touched: Set<string>): void {
    for (const later of this.neighbours(entry)) {
      if (!before(entry, later)) {
        continue;
      }
      const reason = link(later, entry, this.graph, this.config);
      if (reason === undefined) {
        continue;
      }
      const current = this.parents.get(later.key);
      const currentEntry = current === undefined ? undefined : this.entries.get(current.peer);
      if (current !== undefined && currentEntry !== undefined && !stronger(reason, entry, current, currentEntry)) {
        continue;
      }
      this.reparent(later.key, reason, moved, touched);
    }
  }

  private reparent(key: string, reason: JoinReason, moved: Map<string, Placement>, touched: Set<string>): void {
    const wasRoot = !this.parents.has(key);
    const oldIncident = this.incidentOf.get(key) ?? incidentIdFor(key);
    this.detach(key);
    this.attach(key, reason);
    const newIncident = this.incidentOf.get(reason.peer) ?? incidentIdFor(reason.peer);
    touched.add(oldIncident);
    touched.add(newIncident);
    if (wasRoot && (this.createdSeq.get(oldIncident) ?? Infinity) < (this.createdSeq.get(newIncident) ?? Infinity)) {
      // A whole incident joined a younger one: the older id survives, so links to it keep working.
      this.relabel(this.rootOf(key), oldIncident, moved);
    } else {
      this.relabel(key, newIncident, moved);
    }
    moved.set(key, { key, incidentId: this.incidentOf.get(key) ?? newIncident, reason });
  }

  private attach(key: string, reason: JoinReason): void {
    this.parents.set(key, reason);
    let siblings = this.children.get(reason.peer);
    if (siblings === undefined) {
      siblings = new Set();
      this.children.set(reason.peer, siblings);
    }
    siblings.add(key);
  }

  private detach(key: string): void {
    const current = this.parents.get(key);
    if (current !== undefined) {
      this.children.get(current.peer)?.delete(key);
      this.parents.delete(key);
    }
  }

  private rootOf(key: string): string {
    let current = key;
    for (let parent = this.parents.get(current); parent !== undefined && this.entries.has(parent.peer); parent = this.parents.get(current)) {
      current = parent.peer;
    }
    return current;
  }

  private relabel(from: string, incidentId: string, moved: Map<string, Placement>): void {
    const stack = [from];
    for (let key = stack.pop(); key !== undefined; key = stack.pop()) {
      if (this.incidentOf.get(key) !== incidentId) {
        this.incidentOf.set(key, incidentId);
        moved.set(key, { key, incidentId, reason: this.parents.get(key) });
      }
      stack.push(...(this.children.get(key) ?? []));
    }
  }

  private evict(): void {
    if (this.entries.size <= this.maxEntries) {
      return;
    }
    const byTime = [...this.entries.values()].sort((a, b) => a.time - b.time);
    const cut = byTime[Math.floor(this.maxEntries * 0.1) + (this.entries.size - this.maxEntries)]?.time ?? 0;
    for (const entry of byTime) {
      if (entry.time >= cut) {
        break;
      }
      this.entries.delete(entry.key);
      this.children.delete(entry.key);
      // Without these, a long-running engine keeps every alert it ever saw.
      this.parents.delete(entry.key);
      this.incidentOf.delete(entry.key);
    }
    for (const [key, list] of this.index) {
      // Evicted entries are the oldest, so each list loses a prefix.
      const keep = firstAtOrAfter(list, cut);
      if (keep >= list.length) {
        this.index.delete(key);
      } else if (keep > 0) {
        list.splice(0, keep);
      }
    }
  }
}

/** Index of the first entry at or after `time` in a list kept in `before` order. */
function firstAtOrAfter(list: readonly Entry[], time: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle]?.time ?? Infinity) < time) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** Inserts keeping `before` order; alerts mostly come in time order, so this is usually a push. */
function insertSorted(list: Entry[], entry: Entry): void {
  const last = list[list.length - 1];
  if (last === undefined || before(last, entry)) {
    list.push(entry);
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = list[middle];
    if (other !== undefined && before(other, entry)) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  list.splice(low, 0, entry);
}

/** Stronger link first; then the closer in time; then the later alert; then the key, so ties are decided the same way every time. */
function stronger(reason: JoinReason, entry: Entry, than: JoinReason, thanEntry: Entry): boolean {
  if (reason.score !== than.score) {
    return reason.score > than.score;
  }
  if (entry.time !== thanEntry.time) {
    return entry.time > thanEntry.time;
  }
  return entry.key > thanEntry.key;
}

export function incidentIdFor(rootKey: string): string {
  return `inc_${createHash('sha256').update(rootKey).digest('hex').slice(0, 16)}`;
}
