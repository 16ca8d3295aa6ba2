import type { JoinReason } from '../perception/alerts/grouping/link.ts';
import type { IncidentSummary } from '../perception/alerts/incidents.ts';
import type { Alert } from '../perception/alerts/types.ts';
import { splitAlertKey } from './alerts.ts';
import type { PlacementRecord } from './alerts.ts';
import { INCIDENT_RECORD_COLUMNS, incidentRecord } from './incidents.ts';
import type { Queryable } from './store.ts';

/** A new alert, stored with the incident grouping placed it in. */
export interface NewAlert {
  alert: Alert;
  deliveries: number;
  incidentId: string;
  reason: JoinReason | undefined;
}

/** A stored alert delivered again: counted; its status and end may change, and grouping may have moved it. */
export interface Redelivery {
  alert: Alert;
  deliveries: number;
  placement: { incidentId: string; reason: JoinReason | undefined } | undefined;
}

export interface AlertBatch {
  created: readonly NewAlert[];
  redelivered: readonly Redelivery[];
  /** Stored alerts not in this batch that grouping moved to another incident. */
  moved: readonly PlacementRecord[];
  summaries: readonly IncidentSummary[];
  /** Incidents left without alerts. */
  emptied: readonly string[];
}

const reasonText = (reason: JoinReason | undefined) => (reason === undefined ? null : JSON.stringify(reason));

/**
 * Writes one intake batch in a single statement: new alerts with their incidents, redeliveries (a resolved
 * alert stays resolved: a late firing delivery of it is out of date), moved alerts, and the incident
 * summaries. Each alert row is touched by one part only. Returns how many new alerts were inserted, which
 * the caller compares with what it expected (another writer may have stored one meanwhile).
 */
export async function writeAlertBatch(tx: Queryable, batch: AlertBatch, now: Date): Promise<number> {
  const created = batch.created.map(({ alert, deliveries, incidentId, reason }) => ({
    fingerprint: alert.fingerprint,
    starts_at: alert.startsAt.toISOString(),
    status: alert.status,
    ends_at: alert.endsAt?.toISOString() ?? null,
    source: alert.source,
    labels: alert.labels,
    annotations: alert.annotations,
    title: alert.title,
    severity: alert.severity,
    service: alert.service ?? null,
    generator_url: alert.generatorURL ?? null,
    incident_id: incidentId,
    join_reason: reason ?? null,
    deliveries,
  }));
  const redelivered = batch.redelivered;
  const moved = batch.moved.map((placement) => ({ ...splitAlertKey(placement.key), placement }));
  const { rows } = await tx.query<{ inserted: number }>(
    `with created as (
       insert into alerts (fingerprint, starts_at, status, ends_at, source, labels, annotations, title, severity, service, generator_url,
                           incident_id, join_reason, first_received, last_received, resolved_received, deliveries)
       select r.fingerprint, r.starts_at, r.status, r.ends_at, r.source, r.labels, r.annotations, r.title, r.severity, r.service, r.generator_url,
              r.incident_id, r.join_reason, $2, $2, case when r.status = 'resolved' then $2::timestamptz end, r.deliveries
         from jsonb_to_recordset($1::jsonb) as r(fingerprint text, starts_at timestamptz, status text, ends_at timestamptz, source text,
              labels jsonb, annotations jsonb, title text, severity text, service text, generator_url text, incident_id text, join_reason jsonb,
              deliveries integer)
       on conflict (fingerprint, starts_at) do nothing
       returning 1
     ), redelivered as (
       update alerts as a set
         status = case when a.status = 'resolved' then a.status else r.status end,
         ends_at = case when a.status = 'resolved' then a.ends_at else r.ends_at end,
         resolved_received = coalesce(a.resolved_received, case when r.status = 'resolved' then $2::timestamptz end),
         last_received = $2,
         deliveries = a.deliveries + r.deliveries,
         incident_id = coalesce(r.incident_id, a.incident_id),
         join_reason = case when r.incident_id is null then a.join_reason else r.join_reason::jsonb end
         from unnest($3::text[], $4::timestamptz[], $5::text[], $6::timestamptz[], $7::integer[], $8::text[], $9::text[])
              as r(fingerprint, starts_at, status, ends_at, deliveries, incident_id, join_reason)
        where a.fingerprint = r.fingerprint and a.starts_at = r.starts_at
     ), moved as (
       update alerts as a set incident_id = m.incident_id, join_reason = m.join_reason::jsonb
         from unnest($10::text[], $11::timestamptz[], $12::text[], $13::text[]) as m(fingerprint, starts_at, incident_id, join_reason)
        where a.fingerprint = m.fingerprint and a.starts_at = m.starts_at
     ), emptied as (
       delete from incidents where id = any($14::text[])
     ), summarized as (
       insert into incidents (id, title, severity, status, services, starts_at, ends_at, quiet_since, tags, grouping_reasons, alert_count, flaps, updated_at)
       select r.id, r.title, r.severity, r.status, array(select jsonb_array_elements_text(r.services)), r.starts_at, r.ends_at, r.quiet_since,
              r.tags, r.grouping_reasons, r.alert_count, r.flaps, $2
         from jsonb_to_recordset($15::jsonb) as r(${INCIDENT_RECORD_COLUMNS})
       on conflict (id) do update set
         title = excluded.title, severity = excluded.severity, status = excluded.status, services = excluded.services,
         starts_at = excluded.starts_at, ends_at = excluded.ends_at, quiet_since = excluded.quiet_since, tags = excluded.tags,
         grouping_reasons = excluded.grouping_reasons, alert_count = excluded.alert_count, flaps = excluded.flaps, updated_at = excluded.updated_at
       returning id, status, (xmax = 0) as is_new
     ), previous as (
       -- Sibling CTEs read the table as it was before this statement: the status before the upsert.
       select id, status from incidents where id in (select id from summarized)
     ), events as (
       insert into engine_events (kind, subject, at)
       select e.kind, e.id, $2
         from summarized s
         left join previous p on p.id = s.id
         cross join lateral (
           select 'incident.created' as kind, s.id where s.is_new
           union all
           select case when s.status = 'resolved' and p.status is distinct from 'resolved' then 'incident.resolved' else 'incident.updated' end, s.id
            where not s.is_new or s.status = 'resolved'
         ) as e
     )
     select (select count(*) from created)::integer as inserted`,
    [
      JSON.stringify(created),
      now.toISOString(),
      redelivered.map(({ alert }) => alert.fingerprint),
      redelivered.map(({ alert }) => alert.startsAt.toISOString()),
      redelivered.map(({ alert }) => alert.status),
      redelivered.map(({ alert }) => alert.endsAt?.toISOString() ?? null),
      redelivered.map(({ deliveries }) => deliveries),
      redelivered.map(({ placement }) => placement?.incidentId ?? null),
      redelivered.map(({ placement }) => reasonText(placement?.reason)),
      moved.map((entry) => entry.fingerprint),
      moved.map((entry) => entry.startsAt),
      moved.map((entry) => entry.placement.incidentId),
      moved.map((entry) => reasonText(entry.placement.reason)),
      batch.emptied,
      JSON.stringify(batch.summaries.map(incidentRecord)),
    ]
  );
  return rows[0]?.inserted ?? 0;
}
