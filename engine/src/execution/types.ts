import type { TSchema } from 'typebox';
import type { EngineLogger } from '../observability/logger.ts';
import type { Sources } from '../sources/fromSettings.ts';

/**
 * Execution: declarative workflows that turn what reasoning found into actions, safely. These are the types the
 * workflow definitions, the actions and the durable runner share.
 */

/** What starts a workflow. */
export const TRIGGER_KINDS = [
  'incident.created',
  'incident.updated',
  'incident.resolved',
  'rca.ready',
  'change.created',
  'schedule',
  'manual',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface Trigger {
  on: TriggerKind;
  /** For `schedule`: a five-field cron expression, evaluated in UTC unless `timezone` says otherwise. */
  cron?: string;
  timezone?: string;
  /** For `manual`: the inputs a person gives, as a JSON schema of an object. */
  inputs?: Record<string, unknown>;
}

/** Approval of a side-effecting step: `auto` lets the policy decide, `required` always asks a person. */
export type ApprovalMode = 'auto' | 'required';

export interface WorkflowStep {
  /** Unique within the workflow; later steps read its output as `steps.<id>.output`. */
  id: string;
  /** The action's name (webhook, slack, grafana_annotation, inspection, remediation, llm_summary…). */
  action: string;
  /** The action's input; strings may hold templates (`{{ incident.title }}`), rendered just before the step runs. */
  with: Record<string, unknown>;
  /** A CEL condition over the run context; the step is skipped when false. */
  if?: string;
  timeoutMs: number;
  /** Attempts after the first, with exponential backoff. */
  retries: number;
  approval: ApprovalMode;
}

export interface Workflow {
  name: string;
  description?: string;
  triggers: Trigger[];
  /** A CEL condition over the trigger's context; the workflow runs only when true. */
  if?: string;
  steps: WorkflowStep[];
  /** Where it was defined: a file (with the line of each step) or the API. */
  source: { kind: 'file'; file: string } | { kind: 'api' };
}

/** What templates and CEL conditions read while a run goes on. */
export interface RunContext {
  run: { id: string; workflow: string; trigger: TriggerKind; dryRun: boolean; startedAt: string };
  /** The trigger's subject, when it has one. */
  incident?: Record<string, unknown>;
  rca?: Record<string, unknown>;
  change?: Record<string, unknown>;
  inputs: Record<string, unknown>;
  /** Outputs of the steps that finished, by step id. */
  steps: Record<string, { status: 'succeeded' | 'skipped' | 'failed'; output: unknown }>;
}

/** Secrets are referenced by name in workflows and resolved only when a step runs; values never leave the engine. */
export interface SecretResolver {
  /** The value of secret `name`, or an error naming the secret (never its value) when it is not set. */
  get(name: string): string;
  /** Every secret value in use, so that logs, outputs and errors can be scrubbed of them. */
  redact(text: string): string;
}

/** Outbound HTTP for actions: only to allowed hosts, never to loopback, link-local or metadata addresses unless allowed. */
export interface GuardedHttp {
  request(request: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<{ status: number; headers: Record<string, string>; body: string }>;
}

export interface ActionContext {
  /** Stable per run and step: actions pass it on (Idempotency-Key, PagerDuty dedup_key) so a retry never acts twice. */
  idempotencyKey: string;
  /** Describe, do not act. */
  dryRun: boolean;
  signal: AbortSignal;
  /** The step's timeout; each outbound request gets at most this long (the signal still ends it sooner). */
  timeoutMs?: number;
  secrets: SecretResolver;
  http: GuardedHttp;
  sources: Sources;
  logger: EngineLogger;
}

/** One typed action: its input schema, whether it changes anything outside the engine, and what it does. */
export interface ActionDefinition<Input = unknown, Output = unknown> {
  name: string;
  description: string;
  /** Side effects go through the policy and, unless allowed, a person's approval. */
  sideEffect: boolean;
  input: TSchema;
  /** One sentence saying what will be done, to whom, for the approval list and dry runs (no secret values). */
  describe(input: Input): string;
  /**
   * For actions that hold the run (wait): until when, from the input and the step's first look. The runner parks the
   * run until then without holding a worker, then calls `run`; throwing says the input cannot be held on.
   */
  holdUntil?(input: Input, firstLook: Date): Date;
  run(input: Input, context: ActionContext): Promise<Output>;
}
