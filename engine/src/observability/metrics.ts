import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface AlertMetrics {
  /** Alerts stored, by source and result: created (new) or redelivered (known fingerprint and start). */
  alertsReceived: Counter<'source' | 'result'>;
  /** Intake requests, by source and result: accepted, invalid (400), overloaded (503), failed (500). */
  alertRequests: Counter<'source' | 'result'>;
  ingestBatchSize: Histogram;
  ingestBatchDuration: Histogram;
  /** Alerts received but not yet stored. */
  queueDepth: Gauge;
  /** Incidents by status; counted from the store when scraped. */
  incidents: Gauge<'status'>;
  /** Set by the intake: how to count incidents by status at scrape time. */
  countIncidents: (() => Promise<Record<string, number>>) | undefined;
}

export interface PerceptionMetrics {
  linesMined: Counter;
  /** Templates the miner holds; set by the template library. */
  templates: Gauge;
  /** Evidence collections per source and state (ok, error, unconfigured). */
  evidenceCollections: Counter<'source' | 'state'>;
  evidenceDuration: Histogram;
}

export interface ReasoningMetrics {
  /** Analyses by the method that answered (graph, llm) and outcome (ok, error). */
  analyses: Counter<'method' | 'outcome'>;
  duration: Histogram<'method'>;
  /** Causes the LLM cited unknown evidence or services for, dropped by the guard. */
  hallucinationsDropped: Counter;
  /** SRE verdicts by verdict and the cause's position in the answer (1–3, or other). */
  feedback: Counter<'verdict' | 'rank'>;
  /** Follow-up questions about incidents by outcome (ok, llm_failed, no_llm, not_analysed). */
  questions: Counter<'outcome'>;
}

export interface ExecutionMetrics {
  /** Engine events (incident, analysis and change events) handed to the workflow triggers, by kind. */
  eventsDispatched: Counter<'kind'>;
  /** Workflow runs that ended, by workflow and final status (succeeded, failed, rejected, expired, cancelled). */
  runsFinished: Counter<'workflow' | 'status'>;
  /** Step attempts, by action and outcome (ok, error, timeout). */
  stepDuration: Histogram<'action' | 'outcome'>;
  /** Approvals waiting for a person; counted from the store when scraped. */
  approvalsPending: Gauge;
  /** Set by execution: how to count pending approvals at scrape time. */
  countPendingApprovals: (() => Promise<number>) | undefined;
}

/** The engine's AI watched as it works (MELT+E): runs, LLM calls, retrieval, citations and online evals. */
export interface AiMetrics {
  /** Agent runs that ended, by kind (analyze, ask, draft, judge, workflow) and status (ok, error). */
  runs: Counter<'kind' | 'status'>;
  runDuration: Histogram<'kind' | 'status'>;
  /** One LLM call (OpenTelemetry GenAI client metric), by operation and the model asked for. */
  operationDuration: Histogram<'gen_ai_operation_name' | 'gen_ai_request_model'>;
  /** Tokens of one LLM call (OpenTelemetry GenAI client metric), by type (input, output) and model. */
  tokenUsage: Histogram<'gen_ai_token_type' | 'gen_ai_request_model'>;
  timeToFirstToken: Histogram<'model'>;
  /** Estimated from the prices in the settings; models without a price are not counted. */
  costUsd: Counter<'model'>;
  /** Retrievals by whether a hit cleared the relevance floor. */
  retrievals: Counter<'hit'>;
  /** Evidence citations in LLM answers, kept or dropped by the hallucination guard. */
  citations: Counter<'outcome'>;
  judgeFaithfulness: Histogram;
  /** LLM-as-judge attempts by outcome (ok, llm_failed, invalid_answer, no_llm, no_answer, skipped, error). */
  judgeOutcomes: Counter<'outcome'>;
  /** 1 − incidents / alerts over the last 24 hours; computed from the store when scraped. */
  alertCompression: Gauge;
  /** Set by the online evals: the ratio at scrape time, or undefined with no alerts in the window. */
  compressionRatio: (() => Promise<number | undefined>) | undefined;
}

export interface EngineMetrics {
  /** One registry per engine instance, so tests running several engines never share series. */
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  alerts: AlertMetrics;
  perception: PerceptionMetrics;
  reasoning: ReasoningMetrics;
  execution: ExecutionMetrics;
  ai: AiMetrics;
}

/**
 * A gauge's value read from the store when Prometheus scrapes: nothing while the engine has not set the hook yet,
 * and the last value kept when the store is closing or unreachable, rather than failing the whole scrape.
 */
async function readAtScrape<T>(read: (() => Promise<T>) | undefined, apply: (value: T) => void): Promise<void> {
  if (read === undefined) {
    return;
  }
  let value: T;
  try {
    value = await read();
  } catch {
    return;
  }
  apply(value);
}

function createReasoningMetrics(registry: Registry): ReasoningMetrics {
  return {
    analyses: new Counter({
      name: 'intelops_rca_analyses_total',
      help: 'Root-cause analyses by the method that answered (graph, llm) and outcome (ok, error)',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'intelops_rca_duration_seconds',
      help: 'Time of one root-cause analysis (evidence, ranking, retrieval and the LLM when used)',
      labelNames: ['method'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers: [registry],
    }),
    hallucinationsDropped: new Counter({
      name: 'intelops_rca_hallucinations_dropped_total',
      help: 'Causes the LLM gave that cited unknown evidence or services, dropped by the guard',
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'intelops_rca_feedback_total',
      help: 'SRE verdicts on root causes by verdict (confirm, reject) and the cause\'s rank in the answer (1-3, other)',
      labelNames: ['verdict', 'rank'] as const,
      registers: [registry],
    }),
    questions: new Counter({
      name: 'intelops_llm_questions_total',
      help: 'Follow-up questions about incidents by outcome (ok, llm_failed, no_llm, not_analysed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}

function createPerceptionMetrics(registry: Registry): PerceptionMetrics {
  return {
    linesMined: new Counter({ name: 'intelops_log_lines_mined_total', help: 'Log lines mined into templates', registers: [registry] }),
    templates: new Gauge({ name: 'intelops_log_templates', help: 'Log templates the miner holds (capped; the least recently seen are evicted)', registers: [registry] }),
    evidenceCollections: new Counter({
      name: 'intelops_evidence_collections_total',
      help: 'Evidence collections per source and its state (ok, error, unconfigured)',
      labelNames: ['source', 'state'] as const,
      registers: [registry],
    }),
    evidenceDuration: new Histogram({
      name: 'intelops_evidence_collection_duration_seconds',
      help: 'Time to collect an incident’s evidence from all sources',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

function createAlertMetrics(registry: Registry): AlertMetrics {
  const alerts: AlertMetrics = {
    alertsReceived: new Counter({
      name: 'intelops_alerts_received_total',
      help: 'Alerts stored by the intake, by source and result (created: new alert; redelivered: known fingerprint and start)',
      labelNames: ['source', 'result'] as const,
      registers: [registry],
    }),
    alertRequests: new Counter({
      name: 'intelops_alert_requests_total',
      help: 'Alert intake requests by source and result (accepted, invalid, overloaded, failed)',
      labelNames: ['source', 'result'] as const,
      registers: [registry],
    }),
    ingestBatchSize: new Histogram({
      name: 'intelops_alert_ingest_batch_size',
      help: 'Alerts written per intake transaction (group commit)',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    }),
    ingestBatchDuration: new Histogram({
      name: 'intelops_alert_ingest_batch_duration_seconds',
      help: 'Time to store, group and summarize one intake batch',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'intelops_alert_ingest_queue_depth',
      help: 'Alerts received and waiting to be stored',
      registers: [registry],
    }),
    incidents: new Gauge({
      name: 'intelops_incidents',
      help: 'Incidents by status (open, resolving, resolved)',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        await readAtScrape(alerts.countIncidents, (counts) => {
          for (const [status, value] of Object.entries(counts)) {
            this.set({ status }, value);
          }
        });
      },
    }),
    countIncidents: undefined,
  };
  return alerts;
}

export function createMetrics(): EngineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served by the engine, by route pattern, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    httpRequestDuration,
    alerts: createAlertMetrics(registry),
    perception: createPerceptionMetrics(registry),
    reasoning: createReasoningMetrics(registry),
    execution: createExecutionMetrics(registry),
    ai: createAiMetrics(registry),
  };
}

function createExecutionMetrics(registry: Registry): ExecutionMetrics {
  const execution: ExecutionMetrics = {
    eventsDispatched: new Counter({
      name: 'intelops_events_dispatched_total',
      help: 'Engine events (incident created, updated, resolved; analysis ready; change created) dispatched to workflow triggers, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    runsFinished: new Counter({
      name: 'intelops_workflow_runs_total',
      help: 'Workflow runs that ended, by workflow and final status (succeeded, failed, rejected, expired, cancelled)',
      labelNames: ['workflow', 'status'] as const,
      registers: [registry],
    }),
    stepDuration: new Histogram({
      name: 'intelops_workflow_step_duration_seconds',
      help: 'Workflow step attempts (the action call), by action and outcome (ok, error, timeout)',
      labelNames: ['action', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    approvalsPending: new Gauge({
      name: 'intelops_workflow_approvals_pending',
      help: 'Workflow steps waiting for a person to approve or reject them (not yet expired)',
      registers: [registry],
      async collect() {
        await readAtScrape(execution.countPendingApprovals, (count) => this.set(count));
      },
    }),
    countPendingApprovals: undefined,
  };
  return execution;
}

// The buckets the OpenTelemetry GenAI semantic conventions advise for gen_ai.client.operation.duration (seconds)…
export const GEN_AI_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
// …and for gen_ai.client.token.usage (tokens).
export const GEN_AI_TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

function createAiMetrics(registry: Registry): AiMetrics {
  const ai: AiMetrics = {
    runs: new Counter({
      name: 'intelops_agent_runs_total',
      help: 'Agent runs that ended, by kind (analyze, ask, draft, judge, workflow) and status (ok, error)',
      labelNames: ['kind', 'status'] as const,
      registers: [registry],
    }),
    runDuration: new Histogram({
      name: 'intelops_agent_run_duration_seconds',
      help: 'Time of one agent run from its start to its answer, by kind and status',
      labelNames: ['kind', 'status'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300],
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'GenAI operation duration: one LLM call, by operation (chat) and the model asked for (others: other)',
      labelNames: ['gen_ai_operation_name', 'gen_ai_request_model'] as const,
      buckets: GEN_AI_DURATION_BUCKETS,
      registers: [registry],
    }),
    tokenUsage: new Histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Number of input and output tokens used per LLM call, by token type and the model asked for (others: other)',
      labelNames: ['gen_ai_token_type', 'gen_ai_request_model'] as const,
      buckets: GEN_AI_TOKEN_BUCKETS,
      registers: [registry],
    }),
    timeToFirstToken: new Histogram({
      name: 'intelops_llm_time_to_first_token_seconds',
      help: 'Time from the first streamed LLM request of a run to its first token, by model (others: other)',
      labelNames: ['model'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30],
      registers: [registry],
    }),
    costUsd: new Counter({
      name: 'intelops_llm_cost_usd_total',
      help: 'Estimated LLM cost in US dollars from the prices in the settings, by model (models without a price are not counted)',
      labelNames: ['model'] as const,
      registers: [registry],
    }),
    retrievals: new Counter({
      name: 'intelops_retrieval_queries_total',
      help: 'Knowledge retrievals by agent runs, by whether a hit cleared the relevance floor (hit: true, false)',
      labelNames: ['hit'] as const,
      registers: [registry],
    }),
    citations: new Counter({
      name: 'intelops_llm_citations_total',
      help: 'Evidence citations in LLM answers, by outcome (kept; dropped by the hallucination guard)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    judgeFaithfulness: new Histogram({
      name: 'intelops_eval_judge_faithfulness',
      help: 'LLM-as-judge faithfulness of analyses to the evidence they cite (0: none of it supported, 1: all of it)',
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers: [registry],
    }),
    judgeOutcomes: new Counter({
      name: 'intelops_eval_judge_total',
      help: 'LLM-as-judge attempts by outcome (ok, llm_failed, invalid_answer, no_llm, no_answer, skipped, error)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    alertCompression: new Gauge({
      name: 'intelops_alert_compression_ratio',
      help: 'Alert volume compressed away over the last 24 hours: 1 - incidents / alerts received',
      registers: [registry],
      async collect() {
        // No alerts in the window: NaN, which Prometheus stores as "no ratio", not a compression of 0.
        await readAtScrape(ai.compressionRatio, (ratio) => this.set(ratio ?? Number.NaN));
      },
    }),
    compressionRatio: undefined,
  };
  return ai;
}
