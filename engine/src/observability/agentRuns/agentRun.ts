/**
 * Agent runs: what the engine's AI did, recorded as OpenTelemetry traces (the run id is the trace id) and summed up
 * for the evals. The tracing records them (one row of agent_runs, its spans in agent_spans); metrics and online
 * evals read them.
 */

export const AGENT_RUN_KINDS = ['analyze', 'ask', 'draft', 'judge', 'workflow'] as const;
export type AgentRunKind = (typeof AGENT_RUN_KINDS)[number];

/** What the agent trace panel colours spans by. */
export const AGENT_SPAN_KINDS = ['perception', 'retrieval', 'llm', 'tool', 'action', 'other'] as const;
export type AgentSpanKind = (typeof AGENT_SPAN_KINDS)[number];

export interface RetrievalRecord {
  query: string;
  hits: Array<{ id: string; title: string; score: number }>;
}

/** An LLM-as-judge's reading of an analysis: is the explanation supported by the evidence it cites? */
export interface JudgeRecord {
  /** In [0, 1]: the share of the explanation's claims the cited evidence supports. */
  faithfulness: number;
  verdict: 'faithful' | 'partially_faithful' | 'unfaithful';
  /** Claims the evidence does not support, in the judge's words. */
  unsupported: string[];
  model: string;
  at: string;
}

/** A person's verdict on an analysis, from the root cause panel (confirm or reject one of its causes). */
export interface HumanVerdictRecord {
  verdict: 'confirm' | 'reject';
  service: string;
  /** The cause's position in the answer (1–3), or null when the service was not among them. */
  rank: number | null;
  by: string;
  at: string;
}

export interface AgentRunRecord {
  id: string;
  kind: AgentRunKind;
  sessionId: string | null;
  incidentId: string | null;
  workflowRunId: string | null;
  startedAt: Date;
  durationMs: number | null;
  status: 'running' | 'ok' | 'error';
  error: string | null;
  model: string | null;
  llmCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  ttftMs: number | null;
  retrieval: RetrievalRecord | null;
  /** Whether any retrieval hit cleared the relevance floor; null without retrieval. */
  retrievalHit: boolean | null;
  citations: number;
  citationsDropped: number;
  method: 'graph' | 'llm' | null;
  judge: JudgeRecord | null;
  human: HumanVerdictRecord | null;
}

export interface AgentSpanRecord {
  runId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: AgentSpanKind;
  startTime: Date;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  attributes: Record<string, string | number | boolean | string[] | number[] | boolean[]>;
  events: Array<{ name: string; time: string; attributes: Record<string, unknown> }>;
}
