import { checkCmdb } from '../../engine/src/context/cmdb.ts';
import { createLogger } from '../../engine/src/observability/logger.ts';
import { createMetrics } from '../../engine/src/observability/metrics.ts';
import { findIncidents } from '../../engine/src/perception/alerts/incidentsQuery.ts';
import { AlertIntake } from '../../engine/src/perception/alerts/intake.ts';
import { parseAlertmanager } from '../../engine/src/perception/alerts/payloads/parse.ts';
import { alertKey } from '../../engine/src/perception/alerts/types.ts';
import { saveCmdb } from '../../engine/src/store/cmdb.ts';
import { migrate } from '../../engine/src/store/migrations.ts';
import { openStore } from '../../engine/src/store/open.ts';
import type { Store } from '../../engine/src/store/store.ts';
import { freshPgliteStore } from '../../engine/src/testing/stores.ts';
import { stormQuality } from './score.ts';
import type { StormQuality } from './score.ts';
import { generateStorm, STORM_PRESETS } from './storm.ts';
import type { Storm, StormPreset } from './storm.ts';

export interface GroupingEvalOptions {
  presets?: readonly StormPreset[];
  /** Seeds 1…seeds of every preset. */
  seeds?: number;
}

/** The figures averaged over storms, each storm weighing the same whatever its size. */
export interface GroupingMeans {
  compression: number;
  pairwisePrecision: number;
  pairwiseRecall: number;
  homogeneity: number;
  completeness: number;
}

export interface GroupingReport {
  presets: string[];
  seeds: number[];
  storms: StormQuality[];
  mean: GroupingMeans;
  /** Alerts lost over all storms (stored nowhere): any is a bug, not a score. */
  lost: number;
  rawAlerts: number;
}

/** The seed set the eval and its floors are measured on: three storms of every preset. */
export const DEFAULT_SEEDS = 3;

const DAY = 86_400_000;
const ORIGIN = Date.parse('2026-01-05T00:00:00Z');
/** More than any preset's storm makes; a truncated incident list would score as lost alerts. */
const INCIDENT_LIMIT = 10_000;

/**
 * Feeds generated storms to the engine's real alert intake (normalising, grouping, storing on PGlite, in this
 * process) one Alertmanager webhook at a time, each at the time Alertmanager would send it, and scores where the
 * stored incidents put every alert. Each storm has its own day and CMDB, as bench:alerts runs them.
 */
export async function evalGrouping(options: GroupingEvalOptions = {}): Promise<GroupingReport> {
  const presets = options.presets ?? STORM_PRESETS;
  const seeds = Array.from({ length: options.seeds ?? DEFAULT_SEEDS }, (_, i) => i + 1);
  const fresh = await freshPgliteStore();
  let store: Store | undefined;
  let intake: AlertIntake | undefined;
  try {
    store = await openStore(fresh.config);
    await migrate(store);
    let now = ORIGIN;
    intake = new AlertIntake({
      store,
      logger: createLogger('error', process.stderr),
      metrics: createMetrics().alerts,
      clock: () => new Date(now),
      batchLingerMs: 0,
    });
    await intake.start();
    const storms: StormQuality[] = [];
    let day = 0;
    for (const preset of presets) {
      for (const seed of seeds) {
        const start = ORIGIN + day++ * DAY;
        const storm = generateStorm({ ...preset, seed, start: new Date(start) });
        await saveCmdb(store, checkCmdb({ services: storm.services }).cmdb);
        intake.contextChanged();
        for (const delivery of storm.deliveries) {
          now = start + delivery.at;
          // One request at a time: the same storm groups the same way on every run, whatever the machine's speed.
          await intake.submit('alertmanager', parseAlertmanager(delivery.payload, new Date(now)));
        }
        storms.push(stormQuality(`${preset.name}#${seed}`, [storm], await placements(store, storm, start, new Date(now))));
      }
    }
    return {
      presets: presets.map((preset) => preset.name),
      seeds,
      storms,
      mean: means(storms),
      lost: storms.reduce((sum, one) => sum + one.lost, 0),
      rawAlerts: storms.reduce((sum, one) => sum + one.rawAlerts, 0),
    };
  } finally {
    await intake?.close();
    await store?.close();
    await fresh.remove();
  }
}

/** Which incident the store put each of the storm's alerts in (alert key → incident id). */
async function placements(store: Store, storm: Storm, start: number, now: Date): Promise<Map<string, string>> {
  const page = await findIncidents(store, { from: new Date(start - DAY / 4), to: new Date(start + DAY / 2), limit: INCIDENT_LIMIT, withAlerts: true }, now);
  if (page.truncated) {
    throw new Error(`more than ${INCIDENT_LIMIT} incidents for one storm of ${storm.truth.size} alerts`);
  }
  const placed = new Map<string, string>();
  for (const { incident, alerts } of page.incidents) {
    for (const stored of alerts) {
      placed.set(alertKey(stored.alert), incident.id);
    }
  }
  return placed;
}

function means(storms: readonly StormQuality[]): GroupingMeans {
  const mean = (pick: (one: StormQuality) => number) => (storms.length === 0 ? 0 : storms.reduce((sum, one) => sum + pick(one), 0) / storms.length);
  return {
    compression: mean((one) => one.compression),
    pairwisePrecision: mean((one) => one.score.pairwisePrecision),
    pairwiseRecall: mean((one) => one.score.pairwiseRecall),
    homogeneity: mean((one) => one.score.homogeneity),
    completeness: mean((one) => one.score.completeness),
  };
}
