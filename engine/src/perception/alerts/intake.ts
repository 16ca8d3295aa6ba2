import { performance } from 'node:perf_hooks';
import { cmdbContext } from '../../context/cmdb.ts';
import type { Cmdb, CmdbContext } from '../../context/cmdb.ts';
import { mergeCmdb } from '../../context/cmdbFiles.ts';
import type { EngineLogger } from '../../observability/logger.ts';
import type { AlertMetrics } from '../../observability/metrics.ts';
import type { Settings } from '../../settings/settings.ts';
import { writeAlertBatch } from '../../store/alertBatch.ts';
import type { NewAlert, Redelivery } from '../../store/alertBatch.ts';
import { loadMembers, recentAlerts, storedStates } from '../../store/alerts.ts';
import type { PlacementRecord, StoredState } from '../../store/alerts.ts';
import { loadCmdb } from '../../store/cmdb.ts';
import { countIncidentsByStatus, resolveQuietIncidents } from '../../store/incidents.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { Correlator, incidentIdFor } from './grouping/correlator.ts';
import { groupingFromSettings } from './grouping/settings.ts';
import type { GroupingOptions } from './grouping/settings.ts';
import { summarizeIncident } from './incidents.ts';
import type { IncidentMember, IncidentSummary } from './incidents.ts';
import { IncidentMemberCache } from './memberCache.ts';
import { normalizeAlert } from './normalize.ts';
import type { RawAlert } from './normalize.ts';
import type { Alert, AlertSource } from './types.ts';
import { alertKey } from './types.ts';

export interface IntakeOptions {
  store: Store;
  logger: EngineLogger;
  metrics: AlertMetrics;
  /** The engine's clock (receipt times, quiet periods); tests pass their own. */
  clock?: () => Date;
  /** Alerts received but not yet stored, above which requests are answered 503. */
  maxQueuedAlerts?: number;
  /** Alerts per transaction at most (whole requests are never split). */
  maxBatchAlerts?: number;
  /** How far back the grouping state is rebuilt from the store on start. */
  restoreHours?: number;
  /** How often resolving incidents whose quiet period has passed are marked resolved. */
  sweepIntervalMs?: number;
  /** How long a batch waits for more requests once the first arrives (group commit); 0: the next event-loop turn. */
  batchLingerMs?: number;
  /**
   * How often settings and the CMDB are re-read from the store before a batch (changes made through this
   * engine apply at once; this bounds how late another replica's changes are seen).
   */
  contextRefreshMs?: number;
  /** Alerts kept in memory for grouping. */
  correlatorMaxEntries?: number;
  /** The CMDB from INTELOPS_CMDB_DIR: the base the CMDB saved through the API is merged over. */
  cmdbFiles?: Cmdb | undefined;
}

/** What the intake did with one request's alerts. */
export interface IntakeReceipt {
  accepted: number;
  /** Alerts seen for the first time. */
  created: number;
  /** Alerts already stored (same fingerprint and startsAt): counted, status and end updated. */
  redelivered: number;
  /** The incidents the request's alerts are in now. */
  incidents: string[];
}

/**
 * The store and the in-memory grouping disagree (another writer stored an alert, or stored alerts were removed):
 * the batch is retried once on a grouping state rebuilt from the store.
 */
class OutOfSyncError extends Error {
  override name = 'OutOfSyncError';
}

/** One alert of a batch, merged over its deliveries in the batch. */
interface Delivery {
  alert: Alert;
  deliveries: number;
}

/** The queue is full: the caller should retry later (Alertmanager and Grafana retry on 5xx). */
export class IntakeOverloadedError extends Error {
  override name = 'IntakeOverloadedError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface Pending {
  source: AlertSource;
  alerts: readonly RawAlert[];
  resolve: (receipt: IntakeReceipt) => void;
  reject: (error: Error) => void;
}

const DEFAULTS = {
  maxQueuedAlerts: 50_000,
  maxBatchAlerts: 5_000,
  restoreHours: 6,
  sweepIntervalMs: 15_000,
  batchLingerMs: 2,
  contextRefreshMs: 1000,
};

/**
 * Durable, idempotent alert intake with group commit: requests queue up, and each batch of them is stored,
 * grouped into incidents and summarized in one transaction, after which every request in it is answered.
 * An answered request is stored; a full queue is answered 503, never dropped.
 */
export class AlertIntake {
  private readonly store: Store;
  private readonly logger: EngineLogger;
  private readonly metrics: AlertMetrics;
  private readonly clock: () => Date;
  private readonly maxQueuedAlerts: number;
  private readonly maxBatchAlerts: number;
  private readonly restoreHours: number;
  private readonly sweepIntervalMs: number;
  private readonly batchLingerMs: number;
  private readonly contextRefreshMs: number;
  private readonly correlatorMaxEntries: number | undefined;
  /** performance.now() of the last settings/CMDB read; -Infinity forces a read before the next batch. */
  private contextReadAt = Number.NEGATIVE_INFINITY;
  private queue: Pending[] = [];
  private queuedAlerts = 0;
  private draining: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  private sweeper: NodeJS.Timeout | undefined;
  private options: GroupingOptions = groupingFromSettings(undefined);
  private cmdbVersion: number | undefined = undefined;
  private readonly cmdbFiles: Cmdb | undefined;
  private cmdb: CmdbContext;
  private correlator: Correlator;
  private readonly members = new IncidentMemberCache();
  /** Set when a failed batch may have left the in-memory grouping ahead of the store. */
  private stale = false;

  constructor(options: IntakeOptions) {
    this.store = options.store;
    this.cmdbFiles = options.cmdbFiles;
    this.cmdb = cmdbContext(options.cmdbFiles, this.options.grouping.maxHops);
    this.logger = options.logger;
    this.metrics = options.metrics;
    this.clock = options.clock ?? (() => new Date());
    this.maxQueuedAlerts = options.maxQueuedAlerts ?? DEFAULTS.maxQueuedAlerts;
    this.maxBatchAlerts = options.maxBatchAlerts ?? DEFAULTS.maxBatchAlerts;
    this.restoreHours = options.restoreHours ?? DEFAULTS.restoreHours;
    this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULTS.sweepIntervalMs;
    this.batchLingerMs = options.batchLingerMs ?? DEFAULTS.batchLingerMs;
    this.contextRefreshMs = options.contextRefreshMs ?? DEFAULTS.contextRefreshMs;
    this.correlatorMaxEntries = options.correlatorMaxEntries;
    this.correlator = this.newCorrelator();
  }

  /** Loads settings and the CMDB, rebuilds the grouping state from the store, and starts the sweeper. */
  async start(): Promise<void> {
    const started = performance.now();
    const restored = await this.store.transaction(async (tx) => {
      await this.refreshContext(tx);
      return this.rebuild(tx);
    });
    this.metrics.countIncidents = () => this.countIncidents();
    this.sweeper = setInterval(() => void this.sweep(), this.sweepIntervalMs);
    this.sweeper.unref();
    this.logger.info({ restored, ms: Math.round(performance.now() - started) }, 'alert grouping state restored');
  }

  /** Settings or the CMDB changed: the next batch reads them before grouping. */
  contextChanged(): void {
    this.contextReadAt = Number.NEGATIVE_INFINITY;
  }

  /** The grouping thresholds and quiet period in force (as of the last batch or sweep). */
  get grouping(): GroupingOptions {
    return this.options;
  }

  get now(): Date {
    return this.clock();
  }

  /**
   * Queues a request's alerts; resolves once they are stored and grouped. Throws IntakeOverloadedError at
   * once when the queue is full, so that the sender can retry.
   */
  submit(source: AlertSource, alerts: readonly RawAlert[]): Promise<IntakeReceipt> {
    if (this.closed) {
      throw new IntakeOverloadedError('The engine is shutting down; retry against another replica or after the restart', 5);
    }
    if (alerts.length === 0) {
      return Promise.resolve({ accepted: 0, created: 0, redelivered: 0, incidents: [] });
    }
    if (this.queuedAlerts + alerts.length > this.maxQueuedAlerts) {
      throw new IntakeOverloadedError(
        `The alert queue is full (${this.queuedAlerts} alerts waiting, limit ${this.maxQueuedAlerts}); nothing of this request was stored, retry shortly`,
        1
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ source, alerts, resolve, reject });
      this.queuedAlerts += alerts.length;
      this.metrics.queueDepth.set(this.queuedAlerts);
      this.schedule();
    });
  }

  /** Stops taking alerts, finishes what is queued and stops the sweeper. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper !== undefined) {
      clearInterval(this.sweeper);
    }
    while (this.draining !== undefined || this.scheduled || this.queue.length > 0) {
      await (this.draining ?? new Promise((resolve) => setImmediate(resolve)));
    }
    this.metrics.countIncidents = undefined;
  }

  /** Marks resolved the resolving incidents whose quiet period has passed. */
  async sweep(): Promise<number> {
    try {
      const now = this.clock();
      const settings = await this.loadSettings(this.store);
      const { quietPeriodMs } = groupingFromSettings(settings?.grouping);
      const resolved = await resolveQuietIncidents(this.store, new Date(now.getTime() - quietPeriodMs), now);
      if (resolved > 0) {
        this.logger.info({ resolved }, 'incidents resolved after their quiet period');
      }
      return resolved;
    } catch (error) {
      this.logger.warn({ err: error }, 'resolving quiet incidents failed; the next sweep retries');
      return 0;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.draining !== undefined) {
      return;
    }
    this.scheduled = true;
    // Waiting a moment lets requests that arrive together share a transaction (group commit).
    setTimeout(() => {
      this.scheduled = false;
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
        if (this.queue.length > 0) {
          this.schedule();
        }
      });
    }, this.batchLingerMs);
  }

  private async drain(): Promise<void> {
    for (let first = true; this.queue.length > 0; first = false) {
      if (!first && this.queuedAlerts < this.maxBatchAlerts && this.batchLingerMs > 0) {
        // The senders just answered send their next requests now: wait for them to join this batch.
        await new Promise((resolve) => setTimeout(resolve, this.batchLingerMs));
      }
      const batch: Pending[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + (this.queue[0]?.alerts.length ?? 0) <= this.maxBatchAlerts)) {
        const next = this.queue.shift();
        if (next !== undefined) {
          batch.push(next);
          size += next.alerts.length;
        }
      }
      await this.runBatch(batch, size);
    }
  }

  private async runBatch(batch: readonly Pending[], size: number): Promise<void> {
    const started = performance.now();
    try {
      let receipts: IntakeReceipt[];
      try {
        receipts = await this.store.transaction((tx) => this.write(tx, batch));
      } catch (error) {
        if (!(error instanceof OutOfSyncError)) {
          throw error;
        }
        this.logger.warn({ reason: error.message }, 'the store had alerts grouping did not know; rebuilding the grouping state and retrying the batch');
        receipts = await this.store.transaction((tx) => this.write(tx, batch));
      }
      this.stale = false;
      batch.forEach((pending, index) => {
        const receipt = receipts[index];
        if (receipt === undefined) {
          pending.reject(new Error('the intake produced no receipt for a request'));
        } else {
          pending.resolve(receipt);
        }
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error({ err: failure, requests: batch.length, alerts: size }, 'storing an alert batch failed; its senders get a 500 and retry');
      for (const pending of batch) {
        pending.reject(failure);
      }
      this.stale = true;
    } finally {
      this.queuedAlerts -= size;
      this.metrics.queueDepth.set(this.queuedAlerts);
      this.metrics.ingestBatchSize.observe(size);
      this.metrics.ingestBatchDuration.observe((performance.now() - started) / 1000);
    }
  }

  /**
   * One transaction: find which alerts are new, group them, bring the touched incidents' members up to date,
   * and write alerts, placements and incident summaries in one statement.
   */
  private async write(tx: Queryable, batch: readonly Pending[]): Promise<IntakeReceipt[]> {
    const now = this.clock();
    await this.refreshContext(tx);
    if (this.stale) {
      await this.rebuild(tx);
    }
    const merged = new Map<string, Delivery>();
    const requestKeys = batch.map((pending) =>
      pending.alerts.map((raw) => {
        const alert = normalizeAlert(raw, pending.source, this.cmdb.resolver);
        const key = alertKey(alert);
        const known = merged.get(key);
        if (known === undefined) {
          merged.set(key, { alert, deliveries: 1 });
        } else {
          // The same alert twice in one batch: one row; a resolved delivery wins over a firing one.
          known.deliveries += 1;
          if (alert.status === 'resolved') {
            known.alert = { ...known.alert, status: 'resolved', endsAt: alert.endsAt };
          }
        }
        return key;
      })
    );
    const stored = await storedStates(tx, [...merged.values()].map(({ alert }) => alert));
    const fresh = [...merged].filter(([key]) => !stored.has(key));
    // From here until commit the in-memory state is ahead of the store.
    this.stale = true;
    const grouping = this.correlator.add(fresh.map(([, delivery]) => delivery.alert));
    if (grouping.duplicates.length > 0) {
      throw new OutOfSyncError(`${grouping.duplicates.length} alerts were grouped before but are not stored`);
    }
    const placements = new Map(grouping.placed.map((placement) => [placement.key, placement]));
    const touched = new Set(grouping.touched);
    const resolving = [...merged].filter(([key, { alert }]) => alert.status === 'resolved' && stored.get(key)?.status === 'firing');
    for (const [key] of resolving) {
      const incidentId = stored.get(key)?.incidentId;
      if (incidentId !== undefined) {
        touched.add(incidentId);
      }
    }
    await this.loadMembers(tx, touched, fresh);

    const created: NewAlert[] = [];
    for (const [key, { alert, deliveries }] of fresh) {
      const placement = placements.get(key);
      if (placement === undefined) {
        throw new Error(`grouping placed no incident for new alert ${key}`);
      }
      created.push({ alert, deliveries, incidentId: placement.incidentId, reason: placement.reason });
      this.members.put(newMember(key, alert, placement.reason, now), placement.incidentId);
    }
    const redelivered: Redelivery[] = [];
    for (const [key, { alert, deliveries }] of merged) {
      if (stored.has(key)) {
        const placement = placements.get(key);
        redelivered.push({ alert, deliveries, placement });
        this.updateMember(key, stored.get(key), alert, placement, now);
      }
    }
    const moved: PlacementRecord[] = [];
    for (const placement of placements.values()) {
      if (!merged.has(placement.key)) {
        moved.push(placement);
        const cached = this.members.find(placement.key);
        if (cached === undefined) {
          throw new OutOfSyncError(`alert ${placement.key} moved by grouping is in no incident read from the store`);
        }
        this.members.put({ ...cached.member, joinReason: placement.reason }, placement.incidentId);
      }
    }
    const { summaries, emptied } = this.summarize(touched, now);
    const inserted = await writeAlertBatch(tx, { created, redelivered, moved, summaries, emptied }, now);
    if (inserted !== created.length) {
      throw new OutOfSyncError(`${created.length - inserted} new alerts were stored meanwhile by another writer`);
    }
    this.members.trim(touched);
    return this.receipts(batch, requestKeys, stored, new Set(fresh.map(([key]) => key)));
  }

  /** Reads the members of touched incidents that are not cached (none, for incidents this batch creates). */
  private async loadMembers(tx: Queryable, touched: ReadonlySet<string>, fresh: ReadonlyArray<[string, Delivery]>): Promise<void> {
    // An incident named after a new alert is new: the store has nothing of it.
    const created = new Set(fresh.map(([key]) => incidentIdFor(key)));
    const missing: string[] = [];
    for (const id of touched) {
      if (created.has(id) && !this.members.has(id)) {
        this.members.load(id, []);
      } else if (!this.members.has(id)) {
        missing.push(id);
      }
    }
    for (const [id, members] of await loadMembers(tx, missing)) {
      this.members.load(id, members);
    }
  }

  /** A redelivery's effect on the cached member: it may resolve, or have been moved by grouping. */
  private updateMember(key: string, state: StoredState | undefined, alert: Alert, placement: PlacementRecord | undefined, now: Date): void {
    const cached = this.members.find(key);
    if (cached === undefined) {
      if (placement !== undefined) {
        throw new OutOfSyncError(`alert ${key} moved by grouping is in no incident read from the store`);
      }
      return;
    }
    let member = cached.member;
    if (alert.status === 'resolved' && state?.status === 'firing') {
      member = { ...member, status: 'resolved', endsAt: alert.endsAt, resolvedReceived: now };
    }
    if (placement !== undefined) {
      member = { ...member, joinReason: placement.reason };
    }
    if (member !== cached.member || placement !== undefined) {
      this.members.put(member, placement?.incidentId ?? cached.incidentId);
    }
  }

  private summarize(touched: ReadonlySet<string>, now: Date): { summaries: IncidentSummary[]; emptied: string[] } {
    const summaries: IncidentSummary[] = [];
    const emptied: string[] = [];
    for (const id of touched) {
      const members = [...(this.members.members(id)?.values() ?? [])];
      const summary = summarizeIncident(id, members, now, this.options.quietPeriodMs, this.cmdb.lookup);
      if (summary === undefined) {
        emptied.push(id);
      } else {
        summaries.push(summary);
      }
    }
    return { summaries, emptied };
  }

  private receipts(batch: readonly Pending[], requestKeys: readonly string[][], stored: ReadonlyMap<string, StoredState>, fresh: ReadonlySet<string>): IntakeReceipt[] {
    const counted = new Set<string>();
    return batch.map((pending, index) => {
      let created = 0;
      const incidents = new Set<string>();
      for (const key of requestKeys[index] ?? []) {
        if (fresh.has(key) && !counted.has(key)) {
          counted.add(key);
          created++;
        }
        const incident = this.correlator.incidentOfAlert(key) ?? stored.get(key)?.incidentId;
        if (incident !== undefined) {
          incidents.add(incident);
        }
      }
      const redelivered = pending.alerts.length - created;
      this.metrics.alertsReceived.inc({ source: pending.source, result: 'created' }, created);
      this.metrics.alertsReceived.inc({ source: pending.source, result: 'redelivered' }, redelivered);
      return { accepted: pending.alerts.length, created, redelivered, incidents: [...incidents].sort() };
    });
  }

  private async loadSettings(db: Queryable): Promise<Settings | undefined> {
    const { rows } = await db.query<{ document: Settings }>('select document from settings where id = 1');
    return rows[0]?.document;
  }

  /** Picks up settings and CMDB changes (from this or another replica) before a batch. */
  private async refreshContext(tx: Queryable): Promise<void> {
    const readAt = performance.now();
    if (readAt - this.contextReadAt < this.contextRefreshMs) {
      return;
    }
    const { rows } = await tx.query<{ settings: Settings | null; cmdb_version: Date | null }>(
      'select (select document from settings where id = 1) as settings, (select updated_at from cmdb where id = 1) as cmdb_version'
    );
    const row = rows[0];
    const options = groupingFromSettings(row?.settings?.grouping);
    const version = row?.cmdb_version?.getTime();
    if (version !== this.cmdbVersion || options.grouping.maxHops !== this.cmdb.graph.maxHops) {
      const stored = version === undefined ? undefined : await loadCmdb(tx);
      this.cmdb = cmdbContext(mergeCmdb(this.cmdbFiles, stored?.cmdb), options.grouping.maxHops);
      this.cmdbVersion = version;
      this.correlator.setGraph(this.cmdb.graph);
      this.logger.info({ services: stored?.cmdb.services.length ?? 0, graphNodes: this.cmdb.graph.size }, 'CMDB loaded for grouping');
    }
    if (JSON.stringify(options.grouping) !== JSON.stringify(this.options.grouping)) {
      this.correlator.setConfig(options.grouping);
      this.logger.info({ grouping: options.grouping }, 'grouping thresholds changed; they apply to alerts received from now on');
    }
    this.options = options;
    this.contextReadAt = readAt;
  }

  private newCorrelator(): Correlator {
    return new Correlator({ config: this.options.grouping, graph: this.cmdb.graph, maxEntries: this.correlatorMaxEntries });
  }

  /** Rebuilds the grouping state from the stored alerts of the last hours, as they were placed. */
  private async rebuild(tx: Queryable): Promise<number> {
    const stored = await recentAlerts(tx, this.clock(), this.restoreHours);
    const correlator = this.newCorrelator();
    const keyed = stored.map((entry) => ({ entry, key: alertKey(entry.alert), time: entry.alert.startsAt.getTime() }));
    // The correlator's own order (time, then key), so that every alert's peer is restored before it.
    keyed.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { entry } of keyed) {
      if (entry.incidentId !== undefined) {
        correlator.restore(entry.alert, entry.incidentId, entry.reason);
      }
    }
    this.correlator = correlator;
    this.members.clear();
    this.stale = false;
    return keyed.length;
  }

  private async countIncidents(): Promise<Record<string, number>> {
    return countIncidentsByStatus(this.store, new Date(this.clock().getTime() - this.options.quietPeriodMs));
  }
}

/** A new alert as an incident member. */
function newMember(key: string, alert: Alert, reason: IncidentMember['joinReason'], now: Date): IncidentMember {
  return {
    key,
    fingerprint: alert.fingerprint,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    status: alert.status,
    source: alert.source,
    title: alert.title,
    severity: alert.severity,
    service: alert.service,
    joinReason: reason,
    firstReceived: now,
    resolvedReceived: alert.status === 'resolved' ? now : undefined,
  };
}
