import type { Change } from './changes.ts';
import type { Cmdb } from './cmdb.ts';
import { canonicalServiceName } from './serviceLabels.ts';

/**
 * Which changes an incident may have come from: a change to one of its services (or a service next to them in
 * the dependency graph) whose window the incident started in. The window of a change runs from CHANGE_LEAD_MS
 * before it began to CHANGE_TAIL_MS after it ended (or began, for a change that is a point in time).
 */

/**
 * An incident may start a little before the change it came from is recorded: pipelines post the change when a step
 * ends, alert start times are rule evaluation times, and clocks differ by minutes.
 */
export const CHANGE_LEAD_MS = 5 * 60_000;
/**
 * A bad change often shows only under load, after caches expire or as a slow leak; two hours catches most of these
 * without blaming the day's every deploy for a later incident.
 */
export const CHANGE_TAIL_MS = 2 * 60 * 60_000;
/** After the change ended, its strength halves every 45 minutes (0.16 at the end of the tail). */
export const CHANGE_HALF_LIFE_MS = 45 * 60_000;
/** An incident that started before the change (within the lead) is less likely its effect. */
const BEFORE_START_FACTOR = 0.7;
/** A change to a neighbour reaches the incident only through a call. */
const NEIGHBOUR_FACTOR = 0.5;

export interface ChangeScope {
  /** The incident's services. */
  services: readonly string[];
  /** Services next to them in the dependency graph (callers and dependencies). */
  neighbours?: readonly string[];
  /** Maps a change's service name (an alias) to its CMDB name. */
  cmdb?: Cmdb | undefined;
}

export interface ChangeCandidate {
  change: Change;
  /** In [0, 1]: 1 for a change to an incident service that was rolling out when the incident started. */
  strength: number;
  /** The change was to one of the incident's services, or to a neighbour. */
  relation: 'service' | 'neighbour';
  /** Incident start minus change start, in milliseconds (negative: the incident started first). */
  offsetMs: number;
}

/** The changes whose window the incident started in, strongest first (then the latest first). */
export function changesInWindow(changes: readonly Change[], scope: ChangeScope, startsAt: Date): ChangeCandidate[] {
  const services = new Set(scope.services);
  const neighbours = new Set(scope.neighbours ?? []);
  const start = startsAt.getTime();
  const candidates: ChangeCandidate[] = [];
  for (const change of changes) {
    const service = canonicalServiceName(change.service, scope.cmdb);
    const relation = services.has(service) ? 'service' : neighbours.has(service) ? 'neighbour' : undefined;
    if (relation === undefined) {
      continue;
    }
    const timeFactor = timeStrength(change, start);
    if (timeFactor === 0) {
      continue;
    }
    const strength = timeFactor * (relation === 'service' ? 1 : NEIGHBOUR_FACTOR);
    candidates.push({ change, strength: Math.round(strength * 1000) / 1000, relation, offsetMs: start - change.startsAt.getTime() });
  }
  return candidates.sort(
    (a, b) => b.strength - a.strength || b.change.startsAt.getTime() - a.change.startsAt.getTime() || a.change.id.localeCompare(b.change.id)
  );
}

/** 1 while the change rolled out, halving every CHANGE_HALF_LIFE_MS after it ended, 0 outside its window. */
function timeStrength(change: Change, incidentStart: number): number {
  const changeStart = change.startsAt.getTime();
  const changeEnd = (change.endsAt ?? change.startsAt).getTime();
  if (incidentStart < changeStart - CHANGE_LEAD_MS || incidentStart > changeEnd + CHANGE_TAIL_MS) {
    return 0;
  }
  if (incidentStart < changeStart) {
    return BEFORE_START_FACTOR;
  }
  if (incidentStart <= changeEnd) {
    return 1;
  }
  return 0.5 ** ((incidentStart - changeEnd) / CHANGE_HALF_LIFE_MS);
}
