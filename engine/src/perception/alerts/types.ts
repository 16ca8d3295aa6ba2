export const SEVERITIES = ['critical', 'high', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertStatus = 'firing' | 'resolved';
export type AlertSource = 'alertmanager' | 'grafana' | 'generic';

/** One alert as every source is turned into: what grouping, storage and the API work on. */
export interface Alert {
  /** Identifies the alert rule instance across deliveries (Alertmanager's label hash, or ours). */
  fingerprint: string;
  /** When it started firing, by the sender's clock: grouping works on this, never on arrival time. */
  startsAt: Date;
  endsAt: Date | undefined;
  status: AlertStatus;
  source: AlertSource;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  title: string;
  severity: Severity;
  /** The CMDB service (or, without a CMDB, the service its labels name); undefined when nothing names one. */
  service: string | undefined;
  generatorURL: string | undefined;
}

/** An alert's identity: a redelivery has the same key, a new firing of the same rule a new one. */
export function alertKey(alert: Pick<Alert, 'fingerprint' | 'startsAt'>): string {
  return `${alert.fingerprint}@${alert.startsAt.toISOString()}`;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function maxSeverity(severities: Iterable<Severity>): Severity {
  let best: Severity = 'info';
  for (const severity of severities) {
    if (severityRank(severity) > severityRank(best)) {
      best = severity;
    }
  }
  return best;
}
