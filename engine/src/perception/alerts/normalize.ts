import { createHash } from 'node:crypto';
import type { Alert, AlertSource, AlertStatus, Severity } from './types.ts';

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical', crit: 'critical', fatal: 'critical', emergency: 'critical', disaster: 'critical', page: 'critical', p1: 'critical', sev1: 'critical',
  high: 'high', error: 'high', major: 'high', p2: 'high', sev2: 'high',
  warning: 'warning', warn: 'warning', medium: 'warning', minor: 'warning', average: 'warning', p3: 'warning', sev3: 'warning',
  info: 'info', informational: 'info', low: 'info', none: 'info', notice: 'info', p4: 'info', p5: 'info', sev4: 'info',
};

/** The severity a word names (critical, p1, warn, …), or undefined for a word that names none. */
export function severityFromWord(word: string): Severity | undefined {
  const key = word.trim().toLowerCase();
  // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
  return Object.hasOwn(SEVERITY_WORDS, key) ? SEVERITY_WORDS[key] : undefined;
}

/** Severity from the labels senders use (`severity`, `priority`, `level`); warning when none says. */
export function severityOf(labels: Record<string, string>): Severity {
  for (const key of ['severity', 'priority', 'level']) {
    const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
    const severity = value === undefined ? undefined : severityFromWord(value);
    if (severity !== undefined) {
      return severity;
    }
  }
  return 'warning';
}

// Kubernetes pod names end in a ReplicaSet hash and a pod suffix: frontend-579b9bff58-t2dbm → frontend.
const POD_SUFFIX = /-[a-z0-9]{6,10}-[a-z0-9]{5}$|-[a-z0-9]{5}$/;
const SERVICE_LABELS = ['service', 'service_name', 'app_kubernetes_io_name', 'app', 'k8s_app'];
// Labels that name a service only when the CMDB knows it: `job` is often an exporter (node, blackbox).
const CMDB_ONLY_LABELS = ['job', 'container', 'namespace'];

/** Maps an alert's labels to a service: a CMDB service when one matches, else what the labels name. */
export interface ServiceResolver {
  resolve(labels: Record<string, string>): string | undefined;
}

export function serviceResolver(cmdbServices: Iterable<string> = []): ServiceResolver {
  const known = new Set(cmdbServices);
  return {
    resolve(labels) {
      const candidates = SERVICE_LABELS.map((key) => labels[key]).filter((v): v is string => v !== undefined && v !== '');
      if (labels.pod !== undefined) {
        candidates.push(labels.pod.replace(POD_SUFFIX, ''));
      }
      if (known.size > 0) {
        const match = [...candidates, ...CMDB_ONLY_LABELS.map((key) => labels[key])].find((name) => name !== undefined && known.has(name));
        if (match !== undefined) {
          return match;
        }
      }
      return candidates[0];
    },
  };
}

/** Alertmanager's way: a stable hash of the sorted label set, for senders that send no fingerprint. */
export function fingerprintOf(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((key) => `${key}\u0000${labels[key]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export interface RawAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date | undefined;
  fingerprint?: string;
  generatorURL?: string;
  title?: string;
  severity?: Severity;
  service?: string;
}

/** Turns a parsed alert from any source into the engine's Alert. */
export function normalizeAlert(raw: RawAlert, source: AlertSource, services: ServiceResolver): Alert {
  return {
    fingerprint: raw.fingerprint || fingerprintOf(raw.labels),
    startsAt: raw.startsAt,
    endsAt: raw.endsAt,
    status: raw.status,
    source,
    labels: raw.labels,
    annotations: raw.annotations,
    title: raw.title || raw.annotations.summary || raw.labels.alertname || 'Unnamed alert',
    severity: raw.severity ?? severityOf(raw.labels),
    service: raw.service || services.resolve(raw.labels),
    generatorURL: raw.generatorURL || undefined,
  };
}
