import type { GroupingReason, IncidentStatus, IncidentSummary } from '../perception/alerts/incidents.ts';
import { INCIDENT_STATUSES } from '../perception/alerts/incidents.ts';
import type { Severity } from '../perception/alerts/types.ts';
import { SEVERITIES } from '../perception/alerts/types.ts';
import { INDICATORS } from '../reasoning/rootCause.ts';
import type { CauseIndicator } from '../reasoning/rootCause.ts';
import type { Queryable } from './store.ts';

/** An incident summary as a row for jsonb_to_recordset (see INCIDENT_RECORD_COLUMNS). */
export function incidentRecord(summary: IncidentSummary) {
  return {
    id: summary.id,
    title: summary.title,
    severity: summary.severity,
    status: summary.status,
    services: summary.services,
    starts_at: summary.startsAt.toISOString(),
    ends_at: summary.endsAt?.toISOString() ?? null,
    quiet_since: summary.quietSince.toISOString(),
    tags: summary.tags,
    grouping_reasons: summary.groupingReasons,
    alert_count: summary.alertCount,
    flaps: summary.flaps,
  };
}

export const INCIDENT_RECORD_COLUMNS =
  'id text, title text, severity text, status text, services jsonb, starts_at timestamptz, ends_at timestamptz, quiet_since timestamptz, tags jsonb, grouping_reasons jsonb, alert_count integer, flaps integer';

/** Marks resolved the resolving incidents whose quiet period has passed; returns how many. */
export async function resolveQuietIncidents(db: Queryable, quietBefore: Date, now: Date): Promise<number> {
  const { rows } = await db.query<{ resolved: number }>(
    `with resolved as (
       update incidents set status = 'resolved', updated_at = $2 where status = 'resolving' and quiet_since <= $1 returning id
     ), events as (
       insert into engine_events (kind, subject, at) select 'incident.resolved', id, $2 from resolved
     )
     select count(*)::integer as resolved from resolved`,
    [quietBefore.toISOString(), now.toISOString()]
  );
  return rows[0]?.resolved ?? 0;
}

/** The status as of now: a resolving incident whose quiet period has passed reads as resolved, even before the sweeper runs. */
const STATUS_NOW = `(case when status = 'resolving' and quiet_since <= $1::timestamptz then 'resolved' else status end)`;

export interface IncidentFilter {
  /** Incidents active at some time in [from, to] (either end open when undefined). */
  from?: Date;
  to?: Date;
  statuses?: readonly IncidentStatus[];
  services?: readonly string[];
  severities?: readonly Severity[];
  ids?: readonly string[];
  limit: number;
}

/** The strongest cause of an incident's latest analysis, for lists. */
export interface TopCause {
  service: string;
  indicator: CauseIndicator;
  confidence: number;
  method: 'graph' | 'llm';
}

export interface IncidentRecord extends Omit<IncidentSummary, 'quietSince'> {
  updatedAt: Date;
  /** From the latest analysis; null until the incident is analysed. */
  topCause: TopCause | null;
}

interface IncidentRow {
  id: string;
  title: string;
  severity: string;
  status: string;
  services: string[];
  starts_at: Date;
  ends_at: Date | null;
  tags: unknown;
  grouping_reasons: unknown;
  alert_count: number;
  flaps: number;
  updated_at: Date;
  top_cause: unknown;
  rca_method: string | null;
}

/** Incidents matching the filter, newest first; `quietBefore` decides which resolving ones already count as resolved. */
export async function queryIncidents(db: Queryable, filter: IncidentFilter, quietBefore: Date): Promise<IncidentRecord[]> {
  const { rows } = await db.query<IncidentRow>(
    `select id, title, severity, ${STATUS_NOW} as status, services, starts_at, ends_at, context_tags || tags as tags, grouping_reasons, alert_count, flaps, updated_at,
            rca.result->'causes'->0 as top_cause, rca.result->>'method' as rca_method
       from incidents
       left join incident_rca rca on rca.incident_id = incidents.id
      where ($2::timestamptz is null or ends_at is null or ends_at >= $2::timestamptz)
        and ($3::timestamptz is null or starts_at <= $3::timestamptz)
        and ($4::text[] is null or ${STATUS_NOW} = any($4::text[]))
        and ($5::text[] is null or services && $5::text[])
        and ($6::text[] is null or severity = any($6::text[]))
        and ($7::text[] is null or id = any($7::text[]))
      order by starts_at desc, id
      limit $8`,
    [
      quietBefore.toISOString(),
      filter.from?.toISOString() ?? null,
      filter.to?.toISOString() ?? null,
      filter.statuses ?? null,
      filter.services ?? null,
      filter.severities ?? null,
      filter.ids ?? null,
      filter.limit,
    ]
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    severity: SEVERITIES.find((severity) => severity === row.severity) ?? 'warning',
    status: INCIDENT_STATUSES.find((status) => status === row.status) ?? 'open',
    services: row.services,
    startsAt: row.starts_at,
    endsAt: row.ends_at ?? undefined,
    tags: asTags(row.tags),
    groupingReasons: Array.isArray(row.grouping_reasons) ? row.grouping_reasons.filter(isGroupingReason) : [],
    alertCount: row.alert_count,
    flaps: row.flaps,
    updatedAt: row.updated_at,
    topCause: topCause(row.top_cause, row.rca_method),
  }));
}

/** The first cause of a stored analysis; null when there is none or it is not shaped as the API returns it. */
function topCause(cause: unknown, method: string | null): TopCause | null {
  if (typeof cause !== 'object' || cause === null || (method !== 'graph' && method !== 'llm')) {
    return null;
  }
  const { service, indicator, confidence } = Object(cause);
  const known = INDICATORS.find((candidate) => candidate === indicator);
  return typeof service === 'string' && known !== undefined && typeof confidence === 'number'
    ? { service, indicator: known, confidence, method }
    : null;
}

/** Incidents per status as of now (for the metrics). */
export async function countIncidentsByStatus(db: Queryable, quietBefore: Date): Promise<Record<IncidentStatus, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `select ${STATUS_NOW} as status, count(*)::int as n from incidents group by 1`,
    [quietBefore.toISOString()]
  );
  const counts: Record<IncidentStatus, number> = { open: 0, resolving: 0, resolved: 0 };
  for (const row of rows) {
    const status = INCIDENT_STATUSES.find((candidate) => candidate === row.status);
    if (status !== undefined) {
      counts[status] = row.n;
    }
  }
  return counts;
}

function asTags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) {
      if (typeof entry === 'string') {
        tags[key] = entry;
      }
    }
  }
  return tags;
}

function isGroupingReason(value: unknown): value is GroupingReason {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { alert, rule, score, peer, detail } = Object(value);
  return typeof alert === 'string' && typeof rule === 'string' && typeof score === 'number' && (peer === null || typeof peer === 'string') && typeof detail === 'string';
}

/** Replaces the tags the tag rules gave an incident; its alert-derived tags are kept and win on a clash. */
export async function saveContextTags(db: Queryable, incidentId: string, tags: Record<string, string>): Promise<void> {
  await db.query('update incidents set context_tags = $2::jsonb where id = $1', [incidentId, JSON.stringify(tags)]);
}
