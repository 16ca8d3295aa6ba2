import type { Incident, JoinReason } from './incidents';

const RULE_LABELS: Record<string, string> = {
  first: 'Started the incident',
  'same-alert': 'Same alert',
  'same-service': 'Same service',
  topology: 'Topology',
  labels: 'Shared labels',
  text: 'Similar text',
};

/** The grouping rule in words; an unknown rule from a newer engine shows as sent. */
export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule] ?? rule;
}

// Incidents are open, resolving or resolved; their alerts firing or resolved.
const STATUS_LABELS: Record<string, string> = {
  open: 'Open',
  firing: 'Firing',
  resolving: 'Resolving',
  resolved: 'Resolved',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** Still going: anything not resolved. */
export function isOngoing(status: string): boolean {
  return status !== 'resolved';
}

/** From the first alert to the end, or to `now` while the incident has not ended. */
export function incidentDurationMs(incident: Pick<Incident, 'startsAt' | 'endsAt'>, now: number): number {
  const start = Date.parse(incident.startsAt);
  const end = incident.endsAt === null ? now : Date.parse(incident.endsAt);
  return Math.max(0, end - start);
}

/** Why the alerts joined: from each alert's joinReason, or from groupingReasons when the alerts were left out. */
export function joinReasons(incident: Pick<Incident, 'alerts' | 'groupingReasons'>): JoinReason[] {
  const fromAlerts = incident.alerts.flatMap((alert) => (alert.joinReason ? [alert.joinReason] : []));
  const reasons = fromAlerts.length > 0 ? fromAlerts : incident.groupingReasons;
  return reasons.filter((reason) => reason.rule !== 'first');
}

export interface RuleCount {
  rule: string;
  count: number;
  /** The highest score among the joins by this rule. */
  bestScore: number;
}

/** How many alerts joined by each rule, the most used first (ties: the higher score). */
export function ruleCounts(incident: Pick<Incident, 'alerts' | 'groupingReasons'>): RuleCount[] {
  const counts = new Map<string, RuleCount>();
  for (const reason of joinReasons(incident)) {
    const current = counts.get(reason.rule) ?? { rule: reason.rule, count: 0, bestScore: Number.NEGATIVE_INFINITY };
    counts.set(reason.rule, {
      rule: reason.rule,
      count: current.count + 1,
      bestScore: Math.max(current.bestScore, reason.score),
    });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || b.bestScore - a.bestScore);
}

/** "Topology (5 alerts)": the rule that joined most of the incident's alerts; empty for a single-alert incident. */
export function topGroupingReason(incident: Pick<Incident, 'alerts' | 'groupingReasons'>): string {
  const [top] = ruleCounts(incident);
  if (!top) {
    return '';
  }
  return `${ruleLabel(top.rule)} (${top.count} ${top.count === 1 ? 'alert' : 'alerts'})`;
}
