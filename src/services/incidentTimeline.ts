import type { Incident } from '../datasource/incidents';
import type { Change } from './changes';
import type { EvidenceItem } from './evidence';

export type TimelineLane = 'alert' | 'change' | 'anomaly';

export interface TimelineEntry {
  key: string;
  lane: TimelineLane;
  /** Epoch milliseconds. */
  at: number;
  title: string;
  service?: string;
  /** A link for the entry: the change's pipeline or PR. */
  url?: string;
}

export const LANE_LABELS: Record<TimelineLane, string> = {
  alert: 'Alerts',
  change: 'Changes',
  anomaly: 'Anomaly onsets',
};

const HOUR = 3_600_000;

/** Changes that may have caused the incident: from 2 h before it started to its end (or now). */
export function changesWindow(incident: Incident, now: number): { from: number; to: number } {
  const start = Date.parse(incident.startsAt);
  const end = incident.endsAt === null ? now : Date.parse(incident.endsAt);
  return { from: start - 2 * HOUR, to: Math.max(start, end) };
}

function onset(item: EvidenceItem): number | undefined {
  const value: unknown = item.details.onset;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** The incident's alerts, the changes around it and its anomalies' onsets, oldest first. */
export function timelineEntries(incident: Incident, changes: Change[], evidence: EvidenceItem[]): TimelineEntry[] {
  const alerts = incident.alerts.map((alert): TimelineEntry => ({
    key: `alert-${alert.fingerprint}-${alert.startsAt}`,
    lane: 'alert',
    at: Date.parse(alert.startsAt),
    title: alert.title,
    ...(alert.service ? { service: alert.service } : {}),
  }));
  const changed = changes.map((change): TimelineEntry => ({
    key: `change-${change.id}`,
    lane: 'change',
    at: Date.parse(change.startsAt),
    title: `${change.kind.replace(/_/g, ' ')}: ${change.title}`,
    service: change.service,
    ...(change.url ? { url: change.url } : {}),
  }));
  const anomalies = evidence.flatMap((item): TimelineEntry[] => {
    const at = item.kind === 'metric_anomaly' ? onset(item) : undefined;
    return at === undefined
      ? []
      : [
          {
            key: `anomaly-${item.id}`,
            lane: 'anomaly',
            at,
            title: item.summary,
            ...(item.service ? { service: item.service } : {}),
          },
        ];
  });
  return [...alerts, ...changed, ...anomalies]
    .filter((entry) => !Number.isNaN(entry.at))
    .sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}

/** The axis: every entry with a margin of a tenth of the span (at least a minute) on each side. */
export function timelineRange(entries: TimelineEntry[]): { from: number; to: number } | undefined {
  if (entries.length === 0) {
    return undefined;
  }
  const first = entries[0]?.at ?? 0;
  const last = entries[entries.length - 1]?.at ?? first;
  const margin = Math.max(60_000, (last - first) / 10);
  return { from: first - margin, to: last + margin };
}
