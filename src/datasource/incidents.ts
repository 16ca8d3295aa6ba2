import { type EngineClient, EngineRequestError } from './engineClient';

export const INCIDENTS_PATH = '/api/v1/incidents';

export const SEVERITIES = ['critical', 'high', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Incident statuses the engine filters on (`?status=`): open while an alert fires, resolving in the quiet period. */
export const INCIDENT_STATUSES = ['open', 'resolving', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Why an alert joined its incident: the grouping rule, its score, the alert it was linked to and a sentence. */
export interface JoinReason {
  rule: string;
  score: number;
  peer: string | null;
  detail: string;
}

export interface IncidentAlert {
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
  status: string;
  title: string;
  service: string | null;
  /** null for the alert that started the incident. */
  joinReason: JoinReason | null;
}

/** The strongest cause of the incident's latest analysis (GET …/rca has all of it). */
export interface TopCause {
  service: string;
  /** cpu, memory, latency, errors, traffic, saturation, disk, network, log_template, change or other. */
  indicator: string;
  /** In [0, 1]. */
  confidence: number;
  /** graph: the deterministic ranking; llm: the LLM refined it. */
  method: string;
}

/** An indicator in words: "log_template" reads "log template". */
export function indicatorText(indicator: string): string {
  return indicator.replace(/_/g, ' ');
}

/** One incident as GET /api/v1/incidents and /api/v1/incidents/{id} return it. */
export interface Incident {
  id: string;
  title: string;
  /** critical, high, warning or info; kept as sent so a newer engine's value still shows. */
  severity: string;
  status: string;
  services: string[];
  alerts: IncidentAlert[];
  startsAt: string;
  endsAt: string | null;
  tags: Record<string, string>;
  groupingReasons: JoinReason[];
  alertCount: number;
  /** null until the engine analysed the incident (or an older engine that does not send it). */
  topCause: TopCause | null;
}

export interface IncidentList {
  incidents: Incident[];
  /** More incidents matched than the limit. */
  truncated: boolean;
}

/** What to ask GET /api/v1/incidents for: times in epoch milliseconds, filters OR-ed within, AND-ed across. */
export interface IncidentsRequest {
  from?: number;
  to?: number;
  status?: string[];
  severity?: string[];
  service?: string[];
  limit?: number;
}

/** The one client call the incident reads need; the datasource's EngineClient. */
export type EngineReader = Pick<EngineClient, 'get'>;

export function isSeverity(value: unknown): value is Severity {
  return SEVERITIES.some((severity) => severity === value);
}

export function isIncidentStatus(value: unknown): value is IncidentStatus {
  return INCIDENT_STATUSES.some((status) => status === value);
}

/** Higher is worse; unknown severities sort below info. */
export function severityRank(severity: string): number {
  return isSeverity(severity) ? SEVERITIES.length - SEVERITIES.indexOf(severity) : 0;
}

/** Query parameters as the engine reads them: lists comma-separated, empty filters left out. */
export function incidentsParams(request: IncidentsRequest): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (request.from !== undefined) {
    params.from = Math.round(request.from);
  }
  if (request.to !== undefined) {
    params.to = Math.round(request.to);
  }
  for (const key of ['status', 'severity', 'service'] as const) {
    const values = (request[key] ?? []).map((value) => value.trim()).filter((value) => value !== '');
    if (values.length > 0) {
      params[key] = [...new Set(values)].join(',');
    }
  }
  if (request.limit !== undefined) {
    params.limit = request.limit;
  }
  return params;
}

export async function fetchIncidents(client: EngineReader, request: IncidentsRequest): Promise<IncidentList> {
  return parseIncidentList(await client.get(INCIDENTS_PATH, incidentsParams(request)));
}

export async function fetchIncident(client: EngineReader, id: string): Promise<Incident> {
  const path = `${INCIDENTS_PATH}/${encodeURIComponent(id)}` as const;
  return parseIncident(await client.get(path), path);
}

export function parseIncidentList(body: unknown): IncidentList {
  const incidents: unknown = isRecord(body) ? body.incidents : undefined;
  if (!Array.isArray(incidents)) {
    throw invalid(INCIDENTS_PATH, 'the body has no incidents list');
  }
  return {
    incidents: incidents.map((item, index) => parseIncident(item, INCIDENTS_PATH, `incident ${index + 1}`)),
    truncated: isRecord(body) && body.truncated === true,
  };
}

/** Checks one incident; id, title, severity, status and startsAt are required, the rest defaults to empty. */
export function parseIncident(value: unknown, path = INCIDENTS_PATH, what = 'the incident'): Incident {
  if (!isRecord(value)) {
    throw invalid(path, `${what} is not a JSON object`);
  }
  const { id, title, severity, status, startsAt } = value;
  if (typeof id !== 'string' || id === '') {
    throw invalid(path, `${what} has no id`);
  }
  if (typeof title !== 'string' || typeof severity !== 'string' || typeof status !== 'string') {
    throw invalid(path, `incident ${id} has no title, severity or status`);
  }
  if (typeof startsAt !== 'string' || Number.isNaN(Date.parse(startsAt))) {
    throw invalid(path, `incident ${id} has no valid startsAt`);
  }
  const alerts = Array.isArray(value.alerts) ? value.alerts.flatMap(parseAlert) : [];
  return {
    id,
    title,
    severity,
    status,
    services: stringList(value.services),
    alerts,
    startsAt,
    endsAt: typeof value.endsAt === 'string' && !Number.isNaN(Date.parse(value.endsAt)) ? value.endsAt : null,
    tags: stringMap(value.tags),
    groupingReasons: Array.isArray(value.groupingReasons)
      ? value.groupingReasons.flatMap((reason) => parseJoinReason(reason) ?? [])
      : [],
    alertCount: typeof value.alertCount === 'number' ? value.alertCount : alerts.length,
    topCause: parseTopCause(value.topCause),
  };
}

function parseTopCause(value: unknown): TopCause | null {
  if (!isRecord(value)) {
    return null;
  }
  const { service, indicator, confidence, method } = value;
  return typeof service === 'string' &&
    service !== '' &&
    typeof indicator === 'string' &&
    typeof confidence === 'number' &&
    Number.isFinite(confidence) &&
    typeof method === 'string'
    ? { service, indicator, confidence: Math.min(1, Math.max(0, confidence)), method }
    : null;
}

function parseAlert(value: unknown): IncidentAlert[] {
  if (!isRecord(value) || typeof value.fingerprint !== 'string' || typeof value.startsAt !== 'string') {
    return [];
  }
  const labels = stringMap(value.labels);
  return [
    {
      fingerprint: value.fingerprint,
      startsAt: value.startsAt,
      labels,
      status: typeof value.status === 'string' ? value.status : 'firing',
      title:
        typeof value.title === 'string' && value.title !== '' ? value.title : (labels.alertname ?? value.fingerprint),
      service: typeof value.service === 'string' && value.service !== '' ? value.service : null,
      joinReason: parseJoinReason(value.joinReason),
    },
  ];
}

function parseJoinReason(value: unknown): JoinReason | null {
  if (!isRecord(value) || typeof value.rule !== 'string') {
    return null;
  }
  return {
    rule: value.rule,
    score: typeof value.score === 'number' && Number.isFinite(value.score) ? value.score : 0,
    peer: typeof value.peer === 'string' && value.peer !== '' ? value.peer : null,
    detail: typeof value.detail === 'string' ? value.detail : '',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) => (typeof item === 'string' ? [[key, item]] : []))
  );
}

function invalid(path: string, detail: string): EngineRequestError {
  return new EngineRequestError('invalid-response', path, 200, detail);
}
