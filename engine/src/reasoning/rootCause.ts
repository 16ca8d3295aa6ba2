/**
 * What reasoning answers for one incident: at most three root causes, each with a confidence, the evidence it
 * rests on, an explanation and actions. The deterministic ranking always produces one; the LLM may refine it.
 */

/** What a cause points at: a resource, a golden signal, a log template or a change. */
export const INDICATORS = [
  'cpu',
  'memory',
  'latency',
  'errors',
  'traffic',
  'saturation',
  'disk',
  'network',
  'log_template',
  'change',
  'other',
] as const;
export type CauseIndicator = (typeof INDICATORS)[number];

/** One root cause as the API returns it. */
export interface RootCause {
  service: string;
  indicator: CauseIndicator;
  /** In [0, 1]. */
  confidence: number;
  /** Ids of the evidence items (ev_…) and changes it rests on. */
  evidence: string[];
  explanation: string;
  /** What to do, most useful first (runbook steps, rolling back a change). */
  actions: string[];
}

/** The services around the incident, for a node graph: the suspected cause is the one with `rank` 1. */
export interface IncidentGraph {
  nodes: Array<{ service: string; score: number; rank: number | undefined; inIncident: boolean }>;
  edges: Array<{ client: string; server: string }>;
}

export interface RetrievedDocument {
  id: string;
  title: string;
  score: number;
}

export interface RcaResult {
  incidentId: string;
  /** At most 3, strongest first. */
  causes: RootCause[];
  method: 'graph' | 'llm';
  hallucinationsDropped: number;
  /** Why the LLM's answer was not used when method is graph: not configured, timed out, rate limited, invalid JSON… */
  fallbackReason?: string;
  analyzedAt: string;
  durationMs: number;
  model?: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** Runbooks and resolved incidents retrieved for the incident. */
  documents: RetrievedDocument[];
  graph: IncidentGraph;
  /** The analysis' OpenTelemetry trace id, which is its agent run id (GET /api/v1/runs/{id}); absent untraced. */
  traceId?: string;
}

/**
 * The incident as the LLM and workflows read it (after the seed's build_alarm_payload): who owns it, what changed
 * around it, which business it touches, and the ids of the evidence gathered.
 */
export interface SemanticPayload {
  incidentId: string;
  title: string;
  severity: string;
  /** The first service the incident's alerts name. */
  service: string | undefined;
  services: string[];
  owner: string | undefined;
  team: string | undefined;
  tier: string | undefined;
  startsAt: string;
  /** The change to one of its services whose window the incident started in (the latest, if several). */
  changeWindow:
    | { changeId: string; service: string; kind: string; title: string; startsAt: string; endsAt: string | undefined }
    | undefined;
  /** Business context: capability:payments, customer-facing, and business attributes from tag rules. */
  bizTags: string[];
  /** Tags from rules: category, impact, environment… */
  tags: Record<string, string>;
  evidence: string[];
}

export const MAX_CAUSES = 3;
