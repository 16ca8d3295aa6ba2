import type { JoinReason } from './grouping/link.ts';
import type { AlertSource, AlertStatus, Severity } from './types.ts';
import { maxSeverity } from './types.ts';

export const INCIDENT_STATUSES = ['open', 'resolving', 'resolved'] as const;
/** open: an alert fires; resolving: all resolved, waiting out the quiet period; resolved. */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** What an incident's summary is computed from, per alert. */
export interface IncidentMember {
  key: string;
  fingerprint: string;
  startsAt: Date;
  endsAt: Date | undefined;
  status: AlertStatus;
  source: AlertSource;
  title: string;
  severity: Severity;
  service: string | undefined;
  joinReason: JoinReason | undefined;
  firstReceived: Date;
  resolvedReceived: Date | undefined;
}

/** Why one alert is in its incident: the link it joined by, or "first" for the alert that started it. */
export interface GroupingReason {
  alert: string;
  rule: JoinReason['rule'] | 'first';
  score: number;
  peer: string | null;
  detail: string;
}

export interface IncidentSummary {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  services: string[];
  startsAt: Date;
  endsAt: Date | undefined;
  quietSince: Date;
  tags: Record<string, string>;
  groupingReasons: GroupingReason[];
  alertCount: number;
  flaps: number;
}

/** CMDB details of a service that become incident tags. */
export interface ServiceDetails {
  owner?: string;
  team?: string;
  tier?: string;
  capability?: string;
  customerFacing?: boolean;
}

export type ServiceLookup = (service: string) => ServiceDetails | undefined;

const byTime = (a: IncidentMember, b: IncidentMember) => a.startsAt.getTime() - b.startsAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function joined(values: Iterable<string | undefined>): string | undefined {
  const distinct = [...new Set([...values].filter((value): value is string => value !== undefined && value !== ''))].sort();
  return distinct.length === 0 ? undefined : distinct.join(',');
}

/** Tags from the CMDB entries of the incident's services, and where its alerts came from. */
export function incidentTags(services: readonly string[], sources: Iterable<AlertSource>, lookup: ServiceLookup): Record<string, string> {
  const details = services.map(lookup).filter((entry): entry is ServiceDetails => entry !== undefined);
  const tags: Record<string, string> = {};
  for (const key of ['team', 'owner', 'tier', 'capability'] as const) {
    const value = joined(details.map((entry) => entry[key]));
    if (value !== undefined) {
      tags[key] = value;
    }
  }
  if (details.some((entry) => entry.customerFacing !== undefined)) {
    tags.customerFacing = String(details.some((entry) => entry.customerFacing === true));
  }
  const source = joined(sources);
  if (source !== undefined) {
    tags.source = source;
  }
  return tags;
}

/**
 * An incident's summary from its alerts: titled after the alert that started it, as severe as its worst
 * alert, open while any alert fires, and resolved once all resolved and `quietPeriodMs` passed without news.
 */
export function summarizeIncident(id: string, members: readonly IncidentMember[], now: Date, quietPeriodMs: number, lookup: ServiceLookup): IncidentSummary | undefined {
  const sorted = [...members].sort(byTime);
  const first = sorted[0];
  if (first === undefined) {
    return undefined;
  }
  const root = sorted.find((member) => member.joinReason === undefined) ?? first;
  const firing = sorted.some((member) => member.status === 'firing');
  let quietSince = 0;
  let endsAt = 0;
  for (const member of sorted) {
    quietSince = Math.max(quietSince, member.firstReceived.getTime(), member.resolvedReceived?.getTime() ?? 0);
    endsAt = Math.max(endsAt, member.endsAt?.getTime() ?? 0);
  }
  const status: IncidentStatus = firing ? 'open' : now.getTime() - quietSince >= quietPeriodMs ? 'resolved' : 'resolving';
  const services = [...new Set(sorted.map((member) => member.service).filter((service): service is string => service !== undefined))].sort();
  return {
    id,
    title: root.title,
    severity: maxSeverity(sorted.map((member) => member.severity)),
    status,
    services,
    startsAt: first.startsAt,
    endsAt: firing || endsAt === 0 ? undefined : new Date(endsAt),
    quietSince: new Date(quietSince),
    tags: incidentTags(services, sorted.map((member) => member.source), lookup),
    groupingReasons: sorted.map((member) => groupingReason(member)),
    alertCount: sorted.length,
    flaps: sorted.length - new Set(sorted.map((member) => member.fingerprint)).size,
  };
}

function groupingReason(member: IncidentMember): GroupingReason {
  const reason = member.joinReason;
  return reason === undefined
    ? { alert: member.key, rule: 'first', score: 1, peer: null, detail: 'the first alert of the incident' }
    : { alert: member.key, rule: reason.rule, score: reason.score, peer: reason.peer, detail: reason.detail };
}

/** The status an incident has at `now`: a resolving one whose quiet period has passed is resolved. */
export function effectiveStatus(status: IncidentStatus, quietSince: Date, now: Date, quietPeriodMs: number): IncidentStatus {
  return status === 'resolving' && now.getTime() - quietSince.getTime() >= quietPeriodMs ? 'resolved' : status;
}
