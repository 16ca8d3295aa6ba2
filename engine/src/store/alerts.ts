import type { JoinReason } from '../perception/alerts/grouping/link.ts';
import type { IncidentMember } from '../perception/alerts/incidents.ts';
import type { Alert, AlertSource, AlertStatus, Severity } from '../perception/alerts/types.ts';
import { SEVERITIES, alertKey } from '../perception/alerts/types.ts';
import type { Queryable } from './store.ts';

export interface PlacementRecord {
  key: string;
  incidentId: string;
  reason: JoinReason | undefined;
}

/** Splits "fingerprint@2026-11-02T08:00:00.000Z" back into its parts. */
export function splitAlertKey(key: string): { fingerprint: string; startsAt: string } {
  const at = key.lastIndexOf('@');
  return { fingerprint: key.slice(0, at), startsAt: key.slice(at + 1) };
}

/** What the store already knows of an alert. */
export interface StoredState {
  incidentId: string | undefined;
  status: AlertStatus;
}

/** Which of these alerts are stored already (redeliveries), with their incident and status. */
export async function storedStates(tx: Queryable, keys: ReadonlyArray<{ fingerprint: string; startsAt: Date }>): Promise<Map<string, StoredState>> {
  const states = new Map<string, StoredState>();
  if (keys.length === 0) {
    return states;
  }
  // unnest of arrays (not jsonb_to_recordset): the planner then knows how many rows come in and uses the key index.
  const { rows } = await tx.query<{ fingerprint: string; starts_at: Date; incident_id: string | null; status: string }>(
    `select a.fingerprint, a.starts_at, a.incident_id, a.status
       from unnest($1::text[], $2::timestamptz[]) as k(fingerprint, starts_at)
       join alerts a on a.fingerprint = k.fingerprint and a.starts_at = k.starts_at`,
    [keys.map((key) => key.fingerprint), keys.map((key) => key.startsAt.toISOString())]
  );
  for (const row of rows) {
    states.set(alertKey({ fingerprint: row.fingerprint, startsAt: row.starts_at }), { incidentId: row.incident_id ?? undefined, status: asStatus(row.status) });
  }
  return states;
}

/** The alerts of the given incidents, with what their summaries need. */
export async function loadMembers(db: Queryable, incidentIds: readonly string[]): Promise<Map<string, IncidentMember[]>> {
  const members = new Map<string, IncidentMember[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) {
    return members;
  }
  const { rows } = await db.query<MemberRow>(
    `select incident_id, fingerprint, starts_at, ends_at, status, source, title, severity, service, join_reason, first_received, resolved_received
       from alerts where incident_id = any($1::text[])`,
    [incidentIds]
  );
  for (const row of rows) {
    if (row.incident_id !== null) {
      members.get(row.incident_id)?.push(memberOf(row));
    }
  }
  return members;
}

interface MemberRow {
  incident_id: string | null;
  fingerprint: string;
  starts_at: Date;
  ends_at: Date | null;
  status: string;
  source: string;
  title: string;
  severity: string;
  service: string | null;
  join_reason: unknown;
  first_received: Date;
  resolved_received: Date | null;
}

function memberOf(row: MemberRow): IncidentMember {
  return {
    key: alertKey({ fingerprint: row.fingerprint, startsAt: row.starts_at }),
    fingerprint: row.fingerprint,
    startsAt: row.starts_at,
    endsAt: row.ends_at ?? undefined,
    status: asStatus(row.status),
    source: asSource(row.source),
    title: row.title,
    severity: asSeverity(row.severity),
    service: row.service ?? undefined,
    joinReason: asJoinReason(row.join_reason),
    firstReceived: row.first_received,
    resolvedReceived: row.resolved_received ?? undefined,
  };
}

export interface StoredAlert {
  alert: Alert;
  incidentId: string | undefined;
  reason: JoinReason | undefined;
  deliveries: number;
}

export interface AlertRow {
  fingerprint: string;
  starts_at: Date;
  ends_at: Date | null;
  status: string;
  source: string;
  labels: unknown;
  annotations: unknown;
  title: string;
  severity: string;
  service: string | null;
  generator_url: string | null;
  incident_id: string | null;
  join_reason: unknown;
  deliveries: number;
}

export const ALERT_COLUMNS =
  'fingerprint, starts_at, ends_at, status, source, labels, annotations, title, severity, service, generator_url, incident_id, join_reason, deliveries';

export function storedAlert(row: AlertRow): StoredAlert {
  return {
    alert: {
      fingerprint: row.fingerprint,
      startsAt: row.starts_at,
      endsAt: row.ends_at ?? undefined,
      status: asStatus(row.status),
      source: asSource(row.source),
      labels: asStringRecord(row.labels),
      annotations: asStringRecord(row.annotations),
      title: row.title,
      severity: asSeverity(row.severity),
      service: row.service ?? undefined,
      generatorURL: row.generator_url ?? undefined,
    },
    incidentId: row.incident_id ?? undefined,
    reason: asJoinReason(row.join_reason),
    deliveries: row.deliveries,
  };
}

/**
 * Placed alerts that started within `hours` before the later of now and the newest stored start (so that
 * a replayed past storm finds its own history too), in start order.
 */
export async function recentAlerts(db: Queryable, now: Date, hours: number): Promise<StoredAlert[]> {
  const { rows } = await db.query<AlertRow>(
    `select ${ALERT_COLUMNS} from alerts
      where incident_id is not null
        and starts_at >= least($1::timestamptz, (select max(starts_at) from alerts)) - make_interval(secs => $2)
      order by starts_at, fingerprint`,
    [now.toISOString(), hours * 3600]
  );
  return rows.map(storedAlert);
}

/** The alerts of the given incidents, in start order. */
export async function alertsOfIncidents(db: Queryable, incidentIds: readonly string[]): Promise<StoredAlert[]> {
  if (incidentIds.length === 0) {
    return [];
  }
  const { rows } = await db.query<AlertRow>(`select ${ALERT_COLUMNS} from alerts where incident_id = any($1::text[]) order by starts_at, fingerprint`, [
    incidentIds,
  ]);
  return rows.map(storedAlert);
}

function asStatus(value: string): AlertStatus {
  return value === 'resolved' ? 'resolved' : 'firing';
}

function asSource(value: string): AlertSource {
  return value === 'grafana' || value === 'generic' ? value : 'alertmanager';
}

function asSeverity(value: string): Severity {
  return SEVERITIES.find((severity) => severity === value) ?? 'warning';
}

function asStringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry === 'string') {
        result[key] = entry;
      }
    }
  }
  return result;
}

const RULES: ReadonlyArray<JoinReason['rule']> = ['same-alert', 'same-service', 'topology', 'labels', 'text'];

export function asJoinReason(value: unknown): JoinReason | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { rule, score, peer, detail } = Object(value);
  const known = RULES.find((candidate) => candidate === rule);
  if (known === undefined || typeof score !== 'number' || typeof peer !== 'string' || typeof detail !== 'string') {
    return undefined;
  }
  return { rule: known, score, peer, detail };
}
