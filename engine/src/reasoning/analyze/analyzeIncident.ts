import { CHANGE_LEAD_MS, CHANGE_TAIL_MS, changesInWindow } from '../../context/changeWindow.ts';
import type { ChangeCandidate } from '../../context/changeWindow.ts';
import type { Change } from '../../context/changes.ts';
import { cmdbContext } from '../../context/cmdb.ts';
import type { Cmdb } from '../../context/cmdb.ts';
import { mergedGraph } from '../../context/mergedGraph.ts';
import { buildSemanticPayload } from '../../context/semanticPayload.ts';
import { canonicalServiceName } from '../../context/serviceLabels.ts';
import { buildTagContext } from '../../context/tagContext.ts';
import { tagIncident } from '../../context/tagRules.ts';
import type { TagRuleError, TagRules } from '../../context/tagRules.ts';
import { INTELOPS } from '../../observability/tracing/conventions.ts';
import { traceStep } from '../../observability/tracing/spans.ts';
import type { CallEdge, Evidence } from '../../perception/evidence.ts';
import { collectEvidence, evidenceWindows } from '../../perception/collectEvidence.ts';
import type { CollectedEvidence, EvidenceInputs } from '../../perception/collectEvidence.ts';
import { gridTimestamps } from '../../perception/metrics/grid.ts';
import { incidentStepSeconds } from '../../perception/metrics/metricEvidence.ts';
import type { TimeRange } from '../../sources/types.ts';
import type { IncidentRecord } from '../../store/incidents.ts';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.ts';
import { rankRootCauses } from '../ranking/rankRootCauses.ts';
import type { RankedCause } from '../ranking/rankRootCauses.ts';
import type { RcaResult, RetrievedDocument, RootCause, SemanticPayload } from '../rootCause.ts';
import { catalogTools } from '../llm/tools.ts';
import type { LlmRcaInput, LlmRcaOutcome, LlmTool, ServiceContext } from '../llm/types.ts';
import { causesOf } from './causes.ts';
import { edgeLatencySeries } from './edgeLatencySeries.ts';
import { incidentGraph } from './incidentGraph.ts';
import { neighbourhood } from './neighbourhood.ts';
import { rankingSeriesOf } from './rankingSeries.ts';
import { actionsOf } from './runbookActions.ts';

/** Most services ranked: the incident's, then what they call and their callers. */
export const MAX_RANKED_SERVICES = 25;
// Retrieved documents per cause, and in all (what the LLM reads).
const DOCUMENTS_PER_CAUSE = 2;
const MAX_DOCUMENTS = 5;
// The graph relations the CMDB lookup needs for payloads (owners and tiers; no relations are read).
const LOOKUP_HOPS = 1;

/** The LLM step, when one is configured: it may refine the deterministic answer, never replace the guard. */
export type LlmStep = (
  input: LlmRcaInput,
  options: { signal?: AbortSignal; tools: LlmTool[] }
) => Promise<LlmRcaOutcome>;

/** What the analysis reads besides the incident: perception inputs, context and knowledge. */
export interface AnalysisInputs {
  perception: EvidenceInputs;
  /** The CMDB files merged with the CMDB saved through the API. */
  cmdb: Cmdb | undefined;
  /** Call edges around the incident's services (Tempo's service graph); the CMDB's are merged in. */
  observedEdges: (services: string[], window: TimeRange) => Promise<CallEdge[]>;
  /** Changes active in a range (stored, and from Grafana annotations when configured). */
  changes: (range: TimeRange) => Promise<Change[]>;
  tagRules: TagRules;
  onTagRuleError?: (error: TagRuleError) => void;
  knowledge: KnowledgeBase;
  llm: LlmStep | undefined;
  /** Why there is no LLM step, for the answer's fallbackReason. */
  llmUnavailable?: string | undefined;
}

/** The stages of an analysis, in order, as progress reports name them. */
export const ANALYSIS_STEPS = ['context', 'perception', 'reasoning', 'llm'] as const;
export type AnalysisStep = (typeof ANALYSIS_STEPS)[number];

export interface Analysis {
  result: RcaResult;
  collected: CollectedEvidence;
  /** What the tag rules said of the incident. */
  tags: Record<string, string>;
  payload: SemanticPayload;
}

/**
 * Analyses one incident: collects evidence for it and the services around it, ranks candidate root causes
 * deterministically (metrics, call graph, logs, traces, changes), tags it, attaches runbook actions, then lets the
 * LLM refine the top 3 when one is configured. Any LLM failure leaves the deterministic answer, with the reason.
 */
export async function analyzeIncident(
  incident: IncidentRecord,
  inputs: AnalysisInputs,
  now: Date,
  signal?: AbortSignal,
  onStep: (step: AnalysisStep) => void = () => undefined
): Promise<Analysis> {
  const started = performance.now();
  const { cmdb } = inputs;
  const windows = evidenceWindows(
    { id: incident.id, services: incident.services, startsAt: incident.startsAt, endsAt: incident.endsAt },
    now
  );
  // Context (kind perception: it reads Tempo's service graph, the CMDB and changes).
  const { graph, edges, services, nearby } = await traceStep('context', 'perception', {}, async (span) => {
    // Without Tempo's service graph the CMDB's edges still stand; the evidence's source states say what failed.
    const observed = await inputs.observedEdges(incident.services, windows.incident).catch(() => []);
    const merged = mergedGraph(cmdb, observed);
    const around = neighbourhood(incident.services, merged.edges, MAX_RANKED_SERVICES);
    const start = incident.startsAt.getTime();
    const active = await inputs.changes({ from: start - CHANGE_TAIL_MS, to: start + CHANGE_LEAD_MS });
    const inWindow = changesInWindow(
      active,
      { services: incident.services, neighbours: around, cmdb },
      incident.startsAt
    ).map((candidate) => ({
      ...candidate,
      change: { ...candidate.change, service: canonicalServiceName(candidate.change.service, cmdb) },
    }));
    span.set({
      'intelops.services': around.length,
      'intelops.edges': merged.edges.length,
      'intelops.changes': inWindow.length,
    });
    return { graph: merged, edges: merged.edges, services: around, nearby: inWindow };
  });
  onStep('context');
  const collected = await traceStep('perception', 'perception', {}, async (span) => {
    const found = await collectEvidence(
      { id: incident.id, services, startsAt: incident.startsAt, endsAt: incident.endsAt },
      inputs.perception,
      now,
      signal
    );
    span.set({ 'intelops.evidence': found.evidence.length });
    return found;
  });
  const { evidence } = collected;
  onStep('perception');
  // Ranking, runbook retrieval, tags and the payload (kind other; the per-edge latency it reads is the one query).
  const { ranking, causes, documents, tags, payload } = await traceStep('reasoning', 'other', {}, async (span) => {
    const stepSeconds = incidentStepSeconds(windows.incident);
    const metrics = inputs.perception.sources.prometheus;
    // Without per-edge latency the ranking still stands on the services' own series; the source's state says why.
    const edgeLatency =
      metrics === undefined
        ? []
        : await edgeLatencySeries({ metrics, services, ...windows, stepSeconds, signal }).catch(() => []);
    const ranked = rankRootCauses({
      series: rankingSeriesOf(collected.signals),
      edges,
      evidence: otherEvidence(services, evidence, nearby),
      edgeLatency,
    });
    const first = gridTimestamps(windows.incident, stepSeconds * 1000)[0] ?? windows.incident.from;
    const onsetTime = (index: number) => first + index * stepSeconds * 1000;
    const deterministic = causesOf({
      ranking: ranked,
      evidence,
      changes: nearby,
      incidentStart: incident.startsAt,
      onsetTime,
    });
    const withActions = await withRunbookActions(deterministic, incident, evidence, inputs.knowledge);
    const tagged = tagIncident(
      buildTagContext({ incident, evidence, changes: nearby, cmdb, graph }),
      inputs.tagRules,
      inputs.onTagRuleError
    );
    const built = buildSemanticPayload(incident, {
      evidence,
      changesInWindow: nearby,
      lookup: cmdbContext(cmdb, LOOKUP_HOPS).lookup,
      tags: { ...tagged, ...incident.tags },
    });
    span.set({ 'intelops.candidates': ranked.length, 'intelops.top_cause': withActions.causes[0]?.service });
    return { ranking: ranked, ...withActions, tags: tagged, payload: built };
  });

  const base = {
    incidentId: incident.id,
    analyzedAt: now.toISOString(),
    documents: documents.map(({ id, title, score }) => ({ id, title, score })),
    graph: incidentGraph(services, incident.services, edges, ranking),
  };
  const finish = (result: Omit<RcaResult, 'durationMs' | keyof typeof base>): Analysis => ({
    result: { ...base, ...result, durationMs: Math.round(performance.now() - started) },
    collected,
    tags,
    payload,
  });
  onStep('reasoning');
  if (inputs.llm === undefined) {
    return finish({
      causes,
      method: 'graph',
      hallucinationsDropped: 0,
      fallbackReason: inputs.llmUnavailable ?? 'No LLM is configured',
    });
  }
  const context = serviceContext(cmdb, services);
  const { sources } = inputs.perception;
  const tools = catalogTools({
    knowledge: inputs.knowledge,
    metrics: sources.prometheus,
    logs: sources.loki,
    evidence,
    services: context,
    window: windows.incident,
  });
  const { llm } = inputs;
  const outcome = await traceStep('llm', 'other', {}, async (span) => {
    const answered = await llm(
      {
        payload,
        evidence,
        changes: nearby.map(({ change }) => change),
        candidates: withAlternatives(causes, ranking),
        services: context,
        documents: documents.map(({ id, title, text }) => ({ id, title, text })),
      },
      { signal, tools }
    );
    if (!answered.ok) {
      span.set({ [INTELOPS.fallbackReason]: answered.reason });
    }
    return answered;
  });
  onStep('llm');
  if (!outcome.ok) {
    return finish({
      causes,
      method: 'graph',
      hallucinationsDropped: outcome.hallucinationsDropped,
      fallbackReason: outcome.reason,
      usage: outcome.usage,
    });
  }
  return finish({
    causes: outcome.causes,
    method: 'llm',
    hallucinationsDropped: outcome.hallucinationsDropped,
    model: outcome.model,
    usage: outcome.usage,
  });
}

/**
 * Per service examined, the strongest evidence that is not a metric (the ranker reads the metrics itself), or a
 * change; 0 for those with none, which stay candidates: a service nothing was found on is not ruled out.
 */
function otherEvidence(
  services: readonly string[],
  evidence: readonly Evidence[],
  changes: readonly ChangeCandidate[]
): Record<string, number> {
  const scores: Record<string, number> = Object.fromEntries(services.map((service) => [service, 0]));
  const raise = (service: string | undefined, score: number) => {
    if (service !== undefined) {
      scores[service] = Math.max(scores[service] ?? 0, score);
    }
  };
  for (const item of evidence) {
    if (item.kind !== 'metric_anomaly') {
      raise(item.service, item.score);
    }
  }
  for (const { change, strength } of changes) {
    raise(change.service, strength);
  }
  return scores;
}

/** The top causes and two more from the ranking (without evidence of their own), so the LLM may reorder them. */
function withAlternatives(causes: RootCause[], ranking: readonly RankedCause[]): RootCause[] {
  const named = new Set(causes.map((cause) => cause.service));
  const more = ranking
    .filter((ranked) => ranked.score > 0 && !named.has(ranked.service))
    .slice(0, 2)
    .map((ranked) => ({
      service: ranked.service,
      indicator: ranked.indicator === 'io' ? ('disk' as const) : ranked.indicator,
      confidence: ranked.confidence,
      evidence: [],
      explanation: `${ranked.metric} deviated ${ranked.deviation.toFixed(1)}σ`,
      actions: [],
    }));
  return [...causes, ...more];
}

/** What the CMDB says about the given services, as the LLM reads it. */
export function serviceContext(cmdb: Cmdb | undefined, services: readonly string[]): Record<string, ServiceContext> {
  const wanted = new Set(services);
  const context: Record<string, ServiceContext> = {};
  for (const { name, owner, team, tier, capability, customerFacing, dependsOn } of cmdb?.services ?? []) {
    if (wanted.has(name)) {
      context[name] = { owner, team, tier, capability, customerFacing, dependsOn };
    }
  }
  return context;
}

interface Retrieved extends RetrievedDocument {
  text: string;
}

/**
 * Runbooks and resolved incidents for each cause (its service, indicator and strongest log templates), their
 * remediation steps appended to the cause's actions, with `$service` filled in.
 */
async function withRunbookActions(
  causes: RootCause[],
  incident: IncidentRecord,
  evidence: readonly Evidence[],
  knowledge: KnowledgeBase
): Promise<{ causes: RootCause[]; documents: Retrieved[] }> {
  const documents = new Map<string, Retrieved>();
  const withActions: RootCause[] = [];
  for (const cause of causes) {
    const cited = new Set(cause.evidence);
    const phrases = evidence
      .filter((item) => cited.has(item.id) && item.kind === 'log_template')
      .map((item) => (item.kind === 'log_template' ? item.details.template : ''));
    const hits = await knowledge.search(
      {
        text: [incident.title, cause.indicator, ...phrases].join(' '),
        services: [cause.service],
        tags: [cause.indicator],
      },
      DOCUMENTS_PER_CAUSE
    );
    const actions = [...cause.actions];
    for (const hit of hits) {
      const known = documents.get(hit.id);
      documents.set(hit.id, {
        id: hit.id,
        title: hit.title,
        score: Math.max(hit.score, known?.score ?? 0),
        text: hit.document.body,
      });
      for (const action of actionsOf(hit.document)) {
        const filled = action.replaceAll('$service', cause.service);
        if (!actions.includes(filled)) {
          actions.push(filled);
        }
      }
    }
    withActions.push({ ...cause, actions: actions.slice(0, 5) });
  }
  const ranked = [...documents.values()].sort((a, b) => b.score - a.score).slice(0, MAX_DOCUMENTS);
  return { causes: withActions, documents: ranked };
}
