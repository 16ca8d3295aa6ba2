import type { Change } from '../../context/changes.ts';
import type { EngineLogger } from '../../observability/logger.ts';
import type { Evidence } from '../../perception/evidence.ts';
import type { RootCause, SemanticPayload } from '../rootCause.ts';

/** What the CMDB says about one service, as the prompt and the get_service tool show it. */
export interface ServiceContext {
  owner?: string;
  team?: string;
  tier?: string;
  capability?: string;
  customerFacing?: boolean;
  dependsOn?: string[];
}

/** Everything the LLM step reads for one incident; nothing else reaches the prompt. */
export interface LlmRcaInput {
  payload: SemanticPayload;
  evidence: Evidence[];
  changes: Change[];
  /** The deterministic ranking, strongest first (up to 5), with the evidence ids each rests on. */
  candidates: RootCause[];
  services: Record<string, ServiceContext>;
  /** Retrieved runbooks and resolved incidents. */
  documents: Array<{ id: string; title: string; text: string }>;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What the model did on the way, whether or not its answer was used. */
export interface LlmCallTrace {
  /** Milliseconds from the first request to the first streamed token (streaming only). */
  ttftMs?: number;
  /** Tool calls the model made, in order. */
  toolCalls?: string[];
}

/** An answer that was not used, and why (the key is never in the reason). */
export interface LlmFailure extends LlmCallTrace {
  ok: false;
  reason: string;
  hallucinationsDropped: number;
  usage?: TokenUsage;
}

export type LlmRcaOutcome =
  | ({ ok: true; causes: RootCause[]; hallucinationsDropped: number; model: string; usage: TokenUsage } & LlmCallTrace)
  | LlmFailure;

/** A function the model may call for follow-up questions (the data catalog: metrics, logs, runbooks, CMDB). */
export interface LlmTool {
  name: string;
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
  run(args: unknown, signal?: AbortSignal): Promise<unknown>;
}

export interface ExplainOptions {
  signal?: AbortSignal;
  tools?: LlmTool[];
  /** Rounds of tool calls before the model must answer (default 4). */
  maxToolCalls?: number;
  /** Streams the completion (server-sent events) and records the time to first token. */
  stream?: boolean;
  logger?: EngineLogger;
}
