import type { EngineLogger } from '../../observability/logger.ts';
import {
  AGENT_NAMES,
  GEN_AI,
  GEN_AI_OPERATION,
  INTELOPS,
  SESSION_ID,
} from '../../observability/tracing/conventions.ts';
import { traceRun } from '../../observability/tracing/spans.ts';
import type { AgentTracing } from '../../observability/tracing/spans.ts';
import type { ReasoningMetrics } from '../../observability/metrics.ts';
import { findIncidents } from '../../perception/alerts/incidentsQuery.ts';
import { saveEvidence } from '../../store/evidence.ts';
import { saveContextTags } from '../../store/incidents.ts';
import type { IncidentRecord } from '../../store/incidents.ts';
import { loadFeedback, loadPayload, loadRca, saveFeedback, saveRca } from '../../store/rca.ts';
import type { Feedback, Verdict } from '../../store/rca.ts';
import type { Store } from '../../store/store.ts';
import { recordHumanVerdict } from '../../evals/humanVerdict.ts';
import { addResolvedIncident } from '../knowledge/resolvedIncidents.ts';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.ts';
import type { RcaResult, SemanticPayload } from '../rootCause.ts';
import { analyzeIncident } from './analyzeIncident.ts';
import type { AnalysisInputs, AnalysisStep } from './analyzeIncident.ts';

/** An analysis in flight: when it began and the steps finished so far, for progress displays. */
export interface AnalysisProgress {
  startedAt: Date;
  /** Whether an LLM step will follow the deterministic ranking. */
  withLlm: boolean;
  finished: Array<{ step: AnalysisStep; at: Date }>;
}

export interface RcaServiceOptions {
  store: Store;
  knowledge: KnowledgeBase;
  /** Built per analysis, so settings saved since apply. */
  inputs: () => Promise<AnalysisInputs>;
  clock: () => Date;
  logger: EngineLogger;
  metrics: ReasoningMetrics;
  /** Each analysis becomes an agent run (a trace) when given. */
  tracing?: AgentTracing | undefined;
}

export interface FeedbackInput {
  service: string;
  verdict: Verdict;
  by: string | undefined;
  comment: string | undefined;
  remediation: string | undefined;
}

/** Runs analyses (one at a time per incident), keeps their results and takes what SREs say of them. */
export class RcaService {
  private readonly running = new Map<string, Promise<RcaResult>>();
  private readonly progressOf = new Map<string, AnalysisProgress>();
  private readonly options: RcaServiceOptions;

  constructor(options: RcaServiceOptions) {
    this.options = options;
  }

  async incident(id: string): Promise<IncidentRecord | undefined> {
    const { store, clock } = this.options;
    return (await findIncidents(store, { ids: [id], limit: 1, withAlerts: false }, clock())).incidents[0]?.incident;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** The analysis of the incident in flight, or undefined when none runs. */
  progress(id: string): AnalysisProgress | undefined {
    return this.progressOf.get(id);
  }

  /** Analyses the incident now; a second request while one runs waits for the same analysis. */
  analyze(incident: IncidentRecord): Promise<RcaResult> {
    const current = this.running.get(incident.id);
    if (current !== undefined) {
      return current;
    }
    const run = this.run(incident).finally(() => {
      this.running.delete(incident.id);
      this.progressOf.delete(incident.id);
    });
    this.running.set(incident.id, run);
    return run;
  }

  /** Starts an analysis in the background; its failure is logged, and the previous result stays. */
  start(incident: IncidentRecord): void {
    this.analyze(incident).catch((error: unknown) => {
      this.options.logger.error({ err: error, incident: incident.id }, 'root-cause analysis failed');
    });
  }

  /** Waits for the analyses in flight (at shutdown). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  result(id: string): Promise<RcaResult | undefined> {
    return loadRca(this.options.store, id);
  }

  /** The semantic payload of the latest analysis. */
  payload(id: string): Promise<SemanticPayload | undefined> {
    return loadPayload(this.options.store, id);
  }

  /** Records a verdict; a confirmed cause becomes a resolved incident in the knowledge base. */
  async feedback(incident: IncidentRecord, input: FeedbackInput): Promise<Feedback[]> {
    const { store, knowledge, clock, metrics } = this.options;
    const rca = await loadRca(store, incident.id);
    const cause = rca?.causes.find((one) => one.service === input.service);
    if (input.verdict === 'confirm') {
      // The knowledge base checks the document before anything is stored, so a bad one leaves no feedback row.
      await store.transaction(async (tx) => {
        await addResolvedIncident(
          knowledge,
          {
            incidentId: incident.id,
            title: incident.title,
            services: incident.services,
            cause: { service: input.service, indicator: cause?.indicator ?? 'other' },
            remediation:
              input.remediation ?? cause?.actions[0] ?? cause?.explanation ?? `Confirmed root cause: ${input.service}`,
            tags: Object.entries(incident.tags).map(([key, value]) => `${key}:${value}`),
            confirmedBy: input.by,
          },
          tx
        );
        await saveFeedback(tx, incident.id, { ...input, at: clock() });
      });
    } else {
      await saveFeedback(store, incident.id, { ...input, at: clock() });
    }
    // The evals' accuracy reads verdicts per analysis run; the feedback stands even if this write fails.
    await recordHumanVerdict(store, incident.id, { ...input, at: clock() }, rca).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, incident: incident.id },
        'the verdict could not be put on its analysis run'
      );
    });
    metrics.feedback.inc({
      verdict: input.verdict,
      rank: rankLabel(rca?.causes.findIndex((one) => one.service === input.service)),
    });
    return loadFeedback(store, incident.id);
  }

  listFeedback(id: string): Promise<Feedback[]> {
    return loadFeedback(this.options.store, id);
  }

  private run(incident: IncidentRecord): Promise<RcaResult> {
    return traceRun(
      this.options.tracing,
      {
        kind: 'analyze',
        name: `${GEN_AI_OPERATION.invokeAgent} ${AGENT_NAMES.analyze}`,
        attributes: {
          [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
          [GEN_AI.agentName]: AGENT_NAMES.analyze,
          [GEN_AI.conversationId]: incident.id,
          [SESSION_ID]: incident.id,
          [INTELOPS.incidentId]: incident.id,
        },
      },
      async (span) => {
        const result = await this.analyzeAndSave(incident, span.traceId);
        span.set({
          [INTELOPS.method]: result.method,
          [INTELOPS.fallbackReason]: result.fallbackReason,
          [GEN_AI.requestModel]: result.model,
        });
        return result;
      }
    );
  }

  private async analyzeAndSave(incident: IncidentRecord, traceId: string | undefined): Promise<RcaResult> {
    const { store, clock, metrics, logger } = this.options;
    const stop = metrics.duration.startTimer();
    try {
      const progress: AnalysisProgress = { startedAt: clock(), withLlm: false, finished: [] };
      this.progressOf.set(incident.id, progress);
      const inputs = await this.options.inputs();
      progress.withLlm = inputs.llm !== undefined;
      const onStep = (step: AnalysisStep) => progress.finished.push({ step, at: clock() });
      const analysis = await analyzeIncident(incident, inputs, clock(), undefined, onStep);
      const { collected, tags, payload } = analysis;
      const result: RcaResult = traceId === undefined ? analysis.result : { ...analysis.result, traceId };
      await store.transaction(async (tx) => {
        await saveEvidence(tx, incident.id, collected);
        await saveContextTags(tx, incident.id, tags);
        await saveRca(tx, result, payload);
      });
      stop({ method: result.method });
      metrics.analyses.inc({ method: result.method, outcome: 'ok' });
      metrics.hallucinationsDropped.inc(result.hallucinationsDropped);
      logger.info(
        {
          incident: incident.id,
          method: result.method,
          top: result.causes[0]?.service,
          ms: result.durationMs,
          fallback: result.fallbackReason,
        },
        'root causes ranked'
      );
      return result;
    } catch (error) {
      metrics.analyses.inc({ method: 'none', outcome: 'error' });
      throw error;
    }
  }
}

/** Bounded label values: the cause's position in the answer, or "other" for a service the answer did not name. */
function rankLabel(index: number | undefined): string {
  return index === undefined || index < 0 ? 'other' : String(index + 1);
}
