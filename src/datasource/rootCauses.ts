import { type EngineClient, isEngineRequestError } from './engineClient';
import { type EngineReader, INCIDENTS_PATH, parseIncidentList } from './incidents';
import { finiteOr, invalidBody, isRecord, stringOr } from './jsonBody';

/** One root cause as GET /api/v1/incidents/{id}/rca returns it (engine/src/reasoning/rootCause.ts). */
export interface RootCause {
  service: string;
  /** cpu, memory, latency, errors, traffic, saturation, disk, network, log_template, change or other. */
  indicator: string;
  /** In [0, 1]. */
  confidence: number;
  /** Evidence ids (ev_…) and change ids it rests on. */
  evidence: string[];
  explanation: string;
  actions: string[];
}

export interface GraphNode {
  service: string;
  score: number;
  /** 1 for the suspected cause; unset for services that are not among the candidates. */
  rank: number | undefined;
  inIncident: boolean;
}

/** The services around the incident; an edge is a call from client to server. */
export interface IncidentGraph {
  nodes: GraphNode[];
  edges: Array<{ client: string; server: string }>;
}

export interface RcaResult {
  incidentId: string;
  causes: RootCause[];
  method: 'graph' | 'llm';
  hallucinationsDropped: number;
  fallbackReason?: string;
  analyzedAt: string;
  durationMs: number;
  model?: string;
  usage?: { promptTokens: number; completionTokens: number };
  documents: Array<{ id: string; title: string; score: number }>;
  graph: IncidentGraph;
  /** The analysis' agent run (its trace id), when the engine recorded one. */
  traceId?: string;
}

/** The engine's answer to a feedback post: every verdict given on the incident so far, oldest first. */
export interface FeedbackEntry {
  service: string;
  verdict: 'confirm' | 'reject';
  by: string | undefined;
  at: string;
  comment: string | undefined;
}

export type Verdict = FeedbackEntry['verdict'];

export function incidentPath(incidentId: string, leaf: 'rca' | 'analyze' | 'analysis' | 'feedback') {
  return `${INCIDENTS_PATH}/${encodeURIComponent(incidentId)}/${leaf}` as const;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function parseCause(value: unknown, path: string, index: number): RootCause {
  if (!isRecord(value) || typeof value.service !== 'string' || value.service === '') {
    throw invalidBody(path, `cause ${index + 1} has no service`);
  }
  return {
    service: value.service,
    indicator: stringOr(value.indicator, 'other'),
    confidence: Math.min(1, Math.max(0, finiteOr(value.confidence, 0))),
    evidence: stringList(value.evidence),
    explanation: stringOr(value.explanation, ''),
    actions: stringList(value.actions),
  };
}

function parseGraph(value: unknown): IncidentGraph {
  if (!isRecord(value)) {
    return { nodes: [], edges: [] };
  }
  const nodes = Array.isArray(value.nodes)
    ? value.nodes.flatMap((node): GraphNode[] =>
        isRecord(node) && typeof node.service === 'string' && node.service !== ''
          ? [
              {
                service: node.service,
                score: finiteOr(node.score, 0),
                rank: typeof node.rank === 'number' && Number.isFinite(node.rank) ? node.rank : undefined,
                inIncident: node.inIncident === true,
              },
            ]
          : []
      )
    : [];
  const edges = Array.isArray(value.edges)
    ? value.edges.flatMap((edge) =>
        isRecord(edge) && typeof edge.client === 'string' && typeof edge.server === 'string'
          ? [{ client: edge.client, server: edge.server }]
          : []
      )
    : [];
  return { nodes, edges };
}

function parseUsage(value: unknown): RcaResult['usage'] {
  if (!isRecord(value) || typeof value.promptTokens !== 'number' || typeof value.completionTokens !== 'number') {
    return undefined;
  }
  return { promptTokens: value.promptTokens, completionTokens: value.completionTokens };
}

/** Checks an RcaResult body; causes must name a service, the rest defaults to empty. */
export function parseRcaResult(body: unknown, path: string): RcaResult {
  if (!isRecord(body) || !Array.isArray(body.causes)) {
    throw invalidBody(path, 'the body has no causes list');
  }
  const usage = parseUsage(body.usage);
  const documents = Array.isArray(body.documents)
    ? body.documents.flatMap((doc) =>
        isRecord(doc) && typeof doc.id === 'string'
          ? [{ id: doc.id, title: stringOr(doc.title, doc.id), score: finiteOr(doc.score, 0) }]
          : []
      )
    : [];
  return {
    incidentId: stringOr(body.incidentId, ''),
    causes: body.causes.map((cause, index) => parseCause(cause, path, index)),
    method: body.method === 'llm' ? 'llm' : 'graph',
    hallucinationsDropped: finiteOr(body.hallucinationsDropped, 0),
    ...(typeof body.fallbackReason === 'string' && body.fallbackReason !== ''
      ? { fallbackReason: body.fallbackReason }
      : {}),
    analyzedAt: stringOr(body.analyzedAt, ''),
    durationMs: finiteOr(body.durationMs, 0),
    ...(typeof body.model === 'string' && body.model !== '' ? { model: body.model } : {}),
    ...(usage ? { usage } : {}),
    documents,
    graph: parseGraph(body.graph),
    ...(typeof body.traceId === 'string' && body.traceId !== '' ? { traceId: body.traceId } : {}),
  };
}

/** Why GET …/rca answered 404: the incident is unknown, or it has no analysis yet (the engine's message says). */
export type RcaMissing = { missing: 'incident' | 'analysis'; detail: string };

/** GET /api/v1/incidents/{id}/rca; on 404, whether the incident or only its analysis is missing. */
export async function fetchRca(client: EngineReader, incidentId: string): Promise<RcaResult | RcaMissing> {
  const path = incidentPath(incidentId, 'rca');
  try {
    return parseRcaResult(await client.get(path), path);
  } catch (error) {
    if (isEngineRequestError(error) && error.kind === 'not-found') {
      const detail = error.detail ?? '';
      return { missing: /^No incident/i.test(detail) ? 'incident' : 'analysis', detail };
    }
    throw error;
  }
}

export function isRcaMissing(value: RcaResult | RcaMissing): value is RcaMissing {
  return 'missing' in value;
}

/** POST /api/v1/incidents/{id}/analyze, synchronously: the engine answers once the analysis is done. */
export async function analyzeIncident(client: Pick<EngineClient, 'post'>, incidentId: string): Promise<RcaResult> {
  const path = incidentPath(incidentId, 'analyze');
  return parseRcaResult(await client.post(path, {}), path);
}

/** One step of an analysis in flight (GET …/analysis): context, perception, reasoning, then llm when configured. */
export interface AnalysisStep {
  name: string;
  state: 'done' | 'running' | 'pending';
}

/** GET …/analysis: the steps of the analysis in flight, empty when none runs. */
export async function fetchAnalysisSteps(client: EngineReader, incidentId: string): Promise<AnalysisStep[]> {
  const path = incidentPath(incidentId, 'analysis');
  const body = await client.get(path);
  if (!isRecord(body) || !Array.isArray(body.steps)) {
    throw invalidBody(path, 'it has no steps');
  }
  return body.steps.flatMap((step): AnalysisStep[] =>
    isRecord(step) &&
    typeof step.name === 'string' &&
    (step.state === 'done' || step.state === 'running' || step.state === 'pending')
      ? [{ name: step.name, state: step.state }]
      : []
  );
}

export interface FeedbackRequest {
  service: string;
  verdict: Verdict;
  /** The Grafana login of the person giving it; left out when unknown. */
  by?: string;
  comment?: string;
}

/** POST /api/v1/incidents/{id}/feedback: confirms or rejects one cause. */
export async function postFeedback(
  client: Pick<EngineClient, 'post'>,
  incidentId: string,
  feedback: FeedbackRequest
): Promise<FeedbackEntry[]> {
  const path = incidentPath(incidentId, 'feedback');
  const body = await client.post(path, {
    service: feedback.service,
    verdict: feedback.verdict,
    ...(feedback.by ? { by: feedback.by } : {}),
    ...(feedback.comment ? { comment: feedback.comment } : {}),
  });
  if (!isRecord(body) || !Array.isArray(body.feedback)) {
    throw invalidBody(path, 'the body has no feedback list');
  }
  return body.feedback.flatMap((entry): FeedbackEntry[] =>
    isRecord(entry) && typeof entry.service === 'string' && (entry.verdict === 'confirm' || entry.verdict === 'reject')
      ? [
          {
            service: entry.service,
            verdict: entry.verdict,
            by: typeof entry.by === 'string' ? entry.by : undefined,
            at: stringOr(entry.at, ''),
            comment: typeof entry.comment === 'string' ? entry.comment : undefined,
          },
        ]
      : []
  );
}

/**
 * The newest incident touching `service` that was active in [from, to] (GET /api/v1/incidents, newest first);
 * undefined when there is none.
 */
export async function latestIncidentId(
  client: EngineReader,
  service: string,
  range: { from: number; to: number }
): Promise<string | undefined> {
  const body = await client.get(INCIDENTS_PATH, {
    service,
    from: Math.round(range.from),
    to: Math.round(range.to),
    limit: 1,
    alerts: 'none',
  });
  return parseIncidentList(body).incidents[0]?.id;
}
