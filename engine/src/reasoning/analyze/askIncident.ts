import { CHANGE_LEAD_MS, CHANGE_TAIL_MS } from '../../context/changeWindow.ts';
import { canonicalServiceName } from '../../context/serviceLabels.ts';
import type { ReasoningMetrics } from '../../observability/metrics.ts';
import {
  AGENT_NAMES,
  GEN_AI,
  GEN_AI_OPERATION,
  INTELOPS,
  SESSION_ID,
} from '../../observability/tracing/conventions.ts';
import { traceRun } from '../../observability/tracing/spans.ts';
import type { AgentTracing } from '../../observability/tracing/spans.ts';
import { findIncidents } from '../../perception/alerts/incidentsQuery.ts';
import { evidenceWindows } from '../../perception/collectEvidence.ts';
import { loadEvidence } from '../../store/evidence.ts';
import { loadPayload, loadRca } from '../../store/rca.ts';
import { answerQuestion } from '../llm/answerQuestion.ts';
import type { QuestionTurn } from '../llm/answerQuestion.ts';
import { catalogTools } from '../llm/tools.ts';
import type { TokenUsage } from '../llm/types.ts';
import { reasoningContext } from './analysisInputs.ts';
import type { AnalysisDeps } from './analysisInputs.ts';
import { serviceContext } from './analyzeIncident.ts';

export interface AskDeps extends AnalysisDeps {
  metrics: ReasoningMetrics;
  clock: () => Date;
  /** Each question the LLM is asked becomes an agent run (a trace) when given. */
  tracing?: AgentTracing | undefined;
}

export interface AskRequest {
  question: string;
  /** Earlier questions and answers, oldest first. */
  history: QuestionTurn[];
}

/** The answer as the API returns it. */
export interface IncidentAnswer {
  answer: string;
  /** Evidence and change ids of the incident the answer rests on. */
  evidence: string[];
  /** Tools the model called, in order. */
  toolCalls: string[];
  model: string;
  usage: TokenUsage;
  /** Cited ids that are not the incident's, dropped. */
  hallucinationsDropped: number;
  /** The answer's trace id (its agent run id); absent untraced. */
  traceId?: string;
}

export type AskOutcome =
  | { kind: 'answered'; answer: IncidentAnswer }
  | { kind: 'unknown_incident' }
  | { kind: 'no_llm'; message: string }
  | { kind: 'not_analysed' }
  | { kind: 'llm_failed'; reason: string };

/**
 * Answers follow-up questions about analysed incidents: reads what the latest analysis stored (payload, evidence,
 * causes), the changes it cited and the CMDB, and lets the configured LLM answer with the data catalog as tools
 * (runbooks, evidence, services and, when configured, metrics and logs over the incident's window).
 */
export function incidentQuestions(
  deps: AskDeps
): (incidentId: string, request: AskRequest, signal?: AbortSignal) => Promise<AskOutcome> {
  const { store, metrics, clock, logger } = deps;
  return async (incidentId, request, signal) => {
    const now = clock();
    const incident = (await findIncidents(store, { ids: [incidentId], limit: 1, withAlerts: false }, now)).incidents[0]
      ?.incident;
    if (incident === undefined) {
      return { kind: 'unknown_incident' };
    }
    const context = await reasoningContext(deps);
    const { client } = context.llm;
    if (client === undefined) {
      metrics.questions.inc({ outcome: 'no_llm' });
      return { kind: 'no_llm', message: context.llm.unavailable };
    }
    const [rca, payload, stored] = await Promise.all([
      loadRca(store, incidentId),
      loadPayload(store, incidentId),
      loadEvidence(store, incidentId),
    ]);
    if (rca === undefined || payload === undefined) {
      metrics.questions.inc({ outcome: 'not_analysed' });
      return { kind: 'not_analysed' };
    }
    return traceRun(
      deps.tracing,
      {
        kind: 'ask',
        name: `${GEN_AI_OPERATION.invokeAgent} ${AGENT_NAMES.ask}`,
        attributes: {
          [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
          [GEN_AI.agentName]: AGENT_NAMES.ask,
          [GEN_AI.conversationId]: incidentId,
          [SESSION_ID]: incidentId,
          [INTELOPS.incidentId]: incidentId,
        },
      },
      async (run): Promise<AskOutcome> => {
        const evidence = stored?.evidence ?? [];
        // The changes the analysis cited: the payload lists them with the evidence, the causes may cite more.
        const cited = new Set([...payload.evidence, ...rca.causes.flatMap((cause) => cause.evidence)]);
        const start = incident.startsAt.getTime();
        const changes = (await context.changes({ from: start - CHANGE_TAIL_MS, to: start + CHANGE_LEAD_MS }))
          .filter((change) => cited.has(change.id))
          .map((change) => ({ ...change, service: canonicalServiceName(change.service, context.cmdb) }));
        const services = serviceContext(context.cmdb, [
          ...new Set([...incident.services, ...rca.graph.nodes.map((node) => node.service)]),
        ]);
        const tools = catalogTools({
          knowledge: deps.knowledge,
          metrics: context.sources.prometheus,
          logs: context.sources.loki,
          evidence,
          services,
          window: evidenceWindows(incident, now).incident,
        });
        const outcome = await answerQuestion(
          client,
          {
            payload,
            evidence,
            changes,
            causes: rca.causes,
            services,
            documents: rca.documents.map(({ id, title }) => ({ id, title })),
            question: request.question,
            history: request.history,
          },
          { signal, tools, logger }
        );
        if (!outcome.ok) {
          metrics.questions.inc({ outcome: 'llm_failed' });
          run.fail(outcome.reason);
          return { kind: 'llm_failed', reason: outcome.reason };
        }
        metrics.questions.inc({ outcome: 'ok' });
        logger.info(
          {
            incident: incidentId,
            evidence: outcome.evidence.length,
            toolCalls: outcome.toolCalls,
            hallucinationsDropped: outcome.hallucinationsDropped,
          },
          'incident question answered'
        );
        return {
          kind: 'answered',
          answer: {
            answer: outcome.answer,
            evidence: outcome.evidence,
            toolCalls: outcome.toolCalls ?? [],
            model: outcome.model,
            usage: outcome.usage,
            hallucinationsDropped: outcome.hallucinationsDropped,
            ...(run.traceId === undefined ? {} : { traceId: run.traceId }),
          },
        };
      }
    );
  };
}
