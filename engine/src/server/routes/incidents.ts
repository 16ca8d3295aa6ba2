import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { invalidInput, quote } from '../../invalidInput.ts';
import { parseTimeInput } from '../../timeInput.ts';
import { INCIDENT_STATUSES } from '../../perception/alerts/incidents.ts';
import { findIncidents } from '../../perception/alerts/incidentsQuery.ts';
import type { IncidentWithAlerts } from '../../perception/alerts/incidentsQuery.ts';
import { SEVERITIES } from '../../perception/alerts/types.ts';
import { INDICATORS } from '../../reasoning/rootCause.ts';
import type { StoredAlert } from '../../store/alerts.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface IncidentRoutesOptions {
  store: Store;
  clock: () => Date;
}

export const DEFAULT_INCIDENT_LIMIT = 500;
export const MAX_INCIDENT_LIMIT = 5000;

const Time = Type.String({ format: 'date-time' });
const StringMap = Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' } });

const JoinReasonSchema = Type.Object(
  {
    rule: Type.String({ description: 'same-alert, same-service, topology, labels or text' }),
    score: Type.Number(),
    peer: Type.String({ description: 'The earlier alert (fingerprint@startsAt) this one was linked to' }),
    detail: Type.String(),
  },
  { title: 'JoinReason' }
);

export const IncidentAlertSchema = Type.Object(
  {
    fingerprint: Type.String(),
    startsAt: Time,
    endsAt: Type.Union([Time, Type.Null()]),
    status: Type.String({ enum: ['firing', 'resolved'] }),
    title: Type.String(),
    severity: Type.String({ enum: [...SEVERITIES] }),
    service: Type.Union([Type.String(), Type.Null()]),
    source: Type.String({ enum: ['alertmanager', 'grafana', 'generic'] }),
    labels: StringMap,
    annotations: StringMap,
    generatorURL: Type.Union([Type.String(), Type.Null()]),
    deliveries: Type.Integer({ description: 'How many times the alert was delivered (redeliveries counted)' }),
    joinReason: Type.Union([JoinReasonSchema, Type.Null()], { description: 'Why the alert joined the incident; null for the first alert' }),
  },
  { title: 'IncidentAlert' }
);

const GroupingReasonSchema = Type.Object(
  {
    alert: Type.String({ description: 'fingerprint@startsAt' }),
    rule: Type.String({ description: 'first, same-alert, same-service, topology, labels or text' }),
    score: Type.Number(),
    peer: Type.Union([Type.String(), Type.Null()]),
    detail: Type.String(),
  },
  { title: 'GroupingReason' }
);

const TopCauseSchema = Type.Object(
  {
    service: Type.String(),
    indicator: Type.String({ enum: [...INDICATORS] }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    method: Type.String({ enum: ['graph', 'llm'], description: 'graph: the deterministic ranking; llm: the LLM refined it' }),
  },
  { additionalProperties: false, title: 'TopCause' }
);

export const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String({ description: 'The title of the alert that started the incident' }),
    severity: Type.String({ enum: [...SEVERITIES], description: 'The highest severity of its alerts' }),
    status: Type.String({
      enum: [...INCIDENT_STATUSES],
      description: 'open: an alert fires; resolving: all alerts resolved, waiting out the quiet period; resolved',
    }),
    services: Type.Array(Type.String()),
    alerts: Type.Array(IncidentAlertSchema, { description: 'Every alert of the incident in start order (empty with alerts=none)' }),
    startsAt: Time,
    endsAt: Type.Union([Time, Type.Null()], { description: 'When its last alert ended; null while open' }),
    tags: StringMap,
    groupingReasons: Type.Array(GroupingReasonSchema, { description: 'Why each alert is in the incident' }),
    alertCount: Type.Integer(),
    flaps: Type.Integer({ description: 'Re-firings of an alert already in the incident' }),
    updatedAt: Time,
    topCause: Type.Union([TopCauseSchema, Type.Null()], {
      description: 'The strongest cause of the latest analysis (GET …/rca has all of it); null until analysed',
    }),
  },
  { title: 'Incident' }
);
export type IncidentView = Static<typeof IncidentSchema>;

export const IncidentListSchema = Type.Object(
  {
    incidents: Type.Array(IncidentSchema),
    truncated: Type.Boolean({ description: 'More incidents matched than `limit`' }),
  },
  { title: 'IncidentList' }
);

export const TimeParam = (what: string) => Type.Optional(Type.String({ maxLength: 64, description: `${what}: RFC 3339 time or epoch milliseconds` }));
const ListParam = (what: string) =>
  Type.Optional(Type.Array(Type.String({ maxLength: 512 }), { maxItems: 100, description: `${what}; comma-separated or repeated` }));

const IncidentsQuerySchema = Type.Object(
  {
    from: TimeParam('Incidents active at or after this time'),
    to: TimeParam('Incidents active at or before this time'),
    status: ListParam(`Statuses (${INCIDENT_STATUSES.join(', ')})`),
    service: ListParam('Incidents touching any of these services'),
    severity: ListParam(`Severities (${SEVERITIES.join(', ')})`),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INCIDENT_LIMIT, description: `Most incidents returned, newest first (default ${DEFAULT_INCIDENT_LIMIT})` })),
    alerts: Type.Optional(Type.String({ enum: ['full', 'none'], description: 'full (default): every alert of each incident; none: no alerts' })),
  },
  { additionalProperties: false }
);

/** Epoch milliseconds or an RFC 3339 time. */
export function parseTimeParam(value: string | undefined, name: string): Date | undefined {
  return value === undefined || value === '' ? undefined : new Date(parseTimeInput(value, `querystring/${name}`));
}

/** A query's optional `from` and `to`, which must not be the wrong way round. */
export function timeRangeParams(query: { from?: string; to?: string }): { from: Date | undefined; to: Date | undefined } {
  const from = parseTimeParam(query.from, 'from');
  const to = parseTimeParam(query.to, 'to');
  if (from !== undefined && to !== undefined && from.getTime() > to.getTime()) {
    throw invalidInput('querystring/from must not be after querystring/to');
  }
  return { from, to };
}

function listParam(values: readonly string[] | undefined): string[] | undefined {
  const items = values?.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  return items === undefined || items.length === 0 ? undefined : items;
}

export function enumListParam<T extends string>(values: readonly string[] | undefined, name: string, allowed: readonly T[]): T[] | undefined {
  return listParam(values)?.map((item) => {
    const found = allowed.find((candidate) => candidate === item);
    if (found === undefined) {
      throw invalidInput(`querystring/${name} ${quote(item)} is not one of ${allowed.join(', ')}`);
    }
    return found;
  });
}

function alertView(stored: StoredAlert): IncidentView['alerts'][number] {
  const { alert, reason } = stored;
  return {
    fingerprint: alert.fingerprint,
    startsAt: alert.startsAt.toISOString(),
    endsAt: alert.endsAt?.toISOString() ?? null,
    status: alert.status,
    title: alert.title,
    severity: alert.severity,
    service: alert.service ?? null,
    source: alert.source,
    labels: alert.labels,
    annotations: alert.annotations,
    generatorURL: alert.generatorURL ?? null,
    deliveries: stored.deliveries,
    joinReason: reason ?? null,
  };
}

export function incidentView({ incident, alerts }: IncidentWithAlerts): IncidentView {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    services: incident.services,
    alerts: alerts.map(alertView),
    startsAt: incident.startsAt.toISOString(),
    endsAt: incident.endsAt?.toISOString() ?? null,
    tags: incident.tags,
    groupingReasons: incident.groupingReasons,
    alertCount: incident.alertCount,
    flaps: incident.flaps,
    updatedAt: incident.updatedAt.toISOString(),
    topCause: incident.topCause,
  };
}

/** GET /api/v1/incidents and /api/v1/incidents/{id}. */
export const incidentRoutes: FastifyPluginAsyncTypebox<IncidentRoutesOptions> = async (app, { store, clock }) => {
  app.get(
    '/incidents',
    {
      schema: {
        summary: 'Incidents active in a time range, newest first, with their alerts',
        description:
          'An incident matches when it was active at some time in [from, to] (it started by `to` and had not ended before `from`). ' +
          'Filters combine with AND; the values within one filter with OR.',
        tags: ['incidents'],
        querystring: IncidentsQuerySchema,
        response: { 200: IncidentListSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const query = request.query;
      const { from, to } = timeRangeParams(query);
      const page = await findIncidents(
        store,
        {
          from,
          to,
          statuses: enumListParam(query.status, 'status', INCIDENT_STATUSES),
          services: listParam(query.service),
          severities: enumListParam(query.severity, 'severity', SEVERITIES),
          limit: query.limit ?? DEFAULT_INCIDENT_LIMIT,
          withAlerts: query.alerts !== 'none',
        },
        clock()
      );
      return { incidents: page.incidents.map(incidentView), truncated: page.truncated };
    }
  );

  app.get(
    '/incidents/:id',
    {
      schema: {
        summary: 'One incident with all its alerts',
        tags: ['incidents'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 200: IncidentSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const page = await findIncidents(store, { ids: [request.params.id], limit: 1, withAlerts: true }, clock());
      const found = page.incidents[0];
      if (found === undefined) {
        return reply.code(404).send(errorBody(404, `No incident with id ${quote(request.params.id)}`));
      }
      return incidentView(found);
    }
  );
};
