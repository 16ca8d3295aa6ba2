import { dateTimeFormat } from '@grafana/data';
import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import { INCIDENTS_PATH, type EngineReader } from '../datasource/incidents';
import { finiteOr, invalidBody, isRecord, stringOr } from '../datasource/jsonBody';
import { type Upstream, UPSTREAM_LABELS, UPSTREAMS, upstreamUids } from '../datasource/upstreams';
import type { DatasourceLookup, EngineDatasource } from './engineConnection';
import { exploreUrl } from './exploreUrl';
import { type EngineRead, readFromEngine } from './incidents';

/** Evidence kinds as the engine names them (engine/src/perception/evidence.ts). */
export type EvidenceKind = 'log_template' | 'metric_anomaly' | 'trace_errors' | 'trace_latency';

/** How the page groups them: both trace kinds read as traces. */
export type EvidenceGroupKind = 'log_template' | 'metric_anomaly' | 'trace';

/** One evidence item, with what the page shows of it; `details` stays as the engine sent it. */
export interface EvidenceItem {
  id: string;
  kind: EvidenceKind;
  service: string | undefined;
  score: number;
  summary: string;
  from: string;
  to: string;
  link: { datasource: Upstream; query: string };
  details: Record<string, unknown>;
}

export type SourceState =
  { state: 'ok' } | { state: 'unconfigured'; message?: string } | { state: 'error'; message: string };

/** GET and POST /api/v1/incidents/{id}/evidence. */
export interface IncidentEvidence {
  incidentId: string;
  /** null until evidence was collected for this incident. */
  collectedAt: string | null;
  sources: Record<Upstream, SourceState>;
  evidence: EvidenceItem[];
}

export interface EvidenceGroup {
  kind: EvidenceGroupKind;
  label: string;
  items: EvidenceItem[];
}

/** The client calls evidence needs; the datasource's EngineClient has both. */
export type EngineReaderWriter = EngineReader & { post: (path: `/api/v1/${string}`, body: object) => Promise<unknown> };

export function evidencePath(incidentId: string) {
  return `${INCIDENTS_PATH}/${encodeURIComponent(incidentId)}/evidence` as const;
}

const KINDS: EvidenceKind[] = ['log_template', 'metric_anomaly', 'trace_errors', 'trace_latency'];

function isKind(value: unknown): value is EvidenceKind {
  return KINDS.some((kind) => kind === value);
}

function isUpstream(value: unknown): value is Upstream {
  return UPSTREAMS.some((upstream) => upstream === value);
}

function parseSource(value: unknown): SourceState {
  if (!isRecord(value)) {
    return { state: 'unconfigured' };
  }
  const message = typeof value.message === 'string' && value.message.trim() !== '' ? value.message : undefined;
  switch (value.state) {
    case 'ok':
      return { state: 'ok' };
    case 'error':
      return { state: 'error', message: message ?? 'the engine gave no reason' };
    default:
      return { state: 'unconfigured', ...(message ? { message } : {}) };
  }
}

// Items of a kind this page does not know yet (from a newer engine) are left out rather than failing the page.
function parseItem(value: unknown): EvidenceItem[] {
  if (!isRecord(value) || typeof value.id !== 'string' || !isKind(value.kind) || !isRecord(value.link)) {
    return [];
  }
  const { datasource, query } = value.link;
  if (!isUpstream(datasource) || typeof query !== 'string') {
    return [];
  }
  return [
    {
      id: value.id,
      kind: value.kind,
      service: typeof value.service === 'string' && value.service !== '' ? value.service : undefined,
      score: finiteOr(value.score, 0),
      summary: stringOr(value.summary, ''),
      from: stringOr(value.from, ''),
      to: stringOr(value.to, ''),
      link: { datasource, query },
      details: isRecord(value.details) ? value.details : {},
    },
  ];
}

export function parseIncidentEvidence(body: unknown, path: string): IncidentEvidence {
  if (!isRecord(body) || !Array.isArray(body.evidence)) {
    throw invalidBody(path, 'the body has no evidence list');
  }
  const sources = isRecord(body.sources) ? body.sources : {};
  return {
    incidentId: stringOr(body.incidentId, ''),
    collectedAt: typeof body.collectedAt === 'string' ? body.collectedAt : null,
    sources: {
      prometheus: parseSource(sources.prometheus),
      loki: parseSource(sources.loki),
      tempo: parseSource(sources.tempo),
    },
    evidence: body.evidence.flatMap(parseItem),
  };
}

export function groupKind(kind: EvidenceKind): EvidenceGroupKind {
  return kind === 'trace_errors' || kind === 'trace_latency' ? 'trace' : kind;
}

const GROUPS: Array<{ kind: EvidenceGroupKind; label: string }> = [
  { kind: 'metric_anomaly', label: 'Metric anomalies' },
  { kind: 'log_template', label: 'Log templates' },
  { kind: 'trace', label: 'Traces' },
];

/** Evidence by kind, strongest first within each; kinds without items are left out. */
export function groupEvidence(items: EvidenceItem[]): EvidenceGroup[] {
  return GROUPS.map(({ kind, label }) => ({
    kind,
    label,
    items: items.filter((item) => groupKind(item.kind) === kind).sort((a, b) => b.score - a.score),
  })).filter((group) => group.items.length > 0);
}

/** Explore on the item's Grafana datasource with its exact query, over its time range. */
export function evidenceExploreUrl(item: EvidenceItem, uids: Record<Upstream, string>): string {
  return exploreUrl({
    datasourceUid: uids[item.link.datasource],
    datasourceType: item.link.datasource,
    query: item.link.query,
    from: item.from,
    to: item.to,
  });
}

/** One line per source: whether the engine could read it, and what to do when not. */
export function sourceSentence(upstream: Upstream, source: SourceState): string {
  const name = UPSTREAM_LABELS[upstream];
  switch (source.state) {
    case 'ok':
      return `${name}: read`;
    case 'unconfigured':
      return `${name}: not configured${source.message ? ` (${source.message})` : ''}.`;
    case 'error':
      return `${name}: failed: ${source.message}`;
  }
}

/** What to do about a source, as the text of a link to the Settings page; none when it was read or failed. */
export function sourceHint(source: SourceState): string | undefined {
  return source.state === 'unconfigured' ? 'Set its URL in Settings' : undefined;
}

/** The evidence and where its Explore links point (the IntelOps datasource's settings, else the provisioned uids). */
export interface EvidenceRead {
  evidence: IncidentEvidence;
  uids: Record<Upstream, string>;
}

function uidsFor(lookup: DatasourceLookup, datasource: EngineDatasource): Record<Upstream, string> {
  const settings = lookup.getList().find((candidate) => candidate.uid === datasource.uid);
  return upstreamUids(settings?.jsonData);
}

function canPost(client: EngineReader): client is EngineReaderWriter {
  return typeof Reflect.get(client, 'post') === 'function';
}

function describe(id: string) {
  return (error: unknown, datasource: EngineDatasource) => {
    const engine = datasource.engineUrl ?? 'the configured URL';
    return isEngineRequestError(error) && error.kind === 'not-found'
      ? `The engine at ${engine} has no evidence for incident "${id}"${error.detail ? ` (${error.detail})` : ''}: it may be older than evidence collection, or gone.`
      : describeEngineFailure(error, engine);
  };
}

/** GET /api/v1/incidents/{id}/evidence: what was collected, if anything. */
export function loadEvidence(lookup: DatasourceLookup, id: string): Promise<EngineRead<EvidenceRead>> {
  const path = evidencePath(id);
  return readFromEngine(
    lookup,
    async (client, datasource) => ({
      evidence: parseIncidentEvidence(await client.get(path), path),
      uids: uidsFor(lookup, datasource),
    }),
    describe(id)
  );
}

/** POST /api/v1/incidents/{id}/evidence: the engine reads Prometheus, Loki and Tempo again for the incident. */
export function collectEvidence(lookup: DatasourceLookup, id: string): Promise<EngineRead<EvidenceRead>> {
  const path = evidencePath(id);
  return readFromEngine(
    lookup,
    async (client, datasource) => {
      if (!canPost(client)) {
        throw new Error('this IntelOps datasource cannot send POST requests: update the IntelOps plugin');
      }
      return { evidence: parseIncidentEvidence(await client.post(path, {}), path), uids: uidsFor(lookup, datasource) };
    },
    describe(id)
  );
}

/** "2026-11-23 21:02 – 21:44", the date repeated only when the range crosses midnight; empty when unreadable. */
export function timeRangeText(from: string, to: string, timeZone: string): string {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return '';
  }
  const day = (ms: number) => dateTimeFormat(ms, { timeZone, format: 'YYYY-MM-DD' });
  const startText = dateTimeFormat(start, { timeZone, format: 'YYYY-MM-DD HH:mm' });
  const endText = dateTimeFormat(end, { timeZone, format: day(start) === day(end) ? 'HH:mm' : 'YYYY-MM-DD HH:mm' });
  return `${startText} – ${endText}`;
}

/** The line under the heading: when the evidence was collected, or that it was not. */
export function collectedText(collectedAt: string | null, timeZone: string): string {
  const at = collectedAt === null ? Number.NaN : Date.parse(collectedAt);
  return Number.isNaN(at)
    ? 'Not collected yet.'
    : `Collected ${dateTimeFormat(at, { timeZone, format: 'YYYY-MM-DD HH:mm:ss' })}.`;
}

export const KIND_LABELS: Record<EvidenceKind, string> = {
  log_template: 'log template',
  metric_anomaly: 'metric anomaly',
  trace_errors: 'trace errors',
  trace_latency: 'trace latency',
};
