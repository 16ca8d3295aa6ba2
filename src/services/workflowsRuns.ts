import { isEngineRequestError } from '../datasource/engineClient';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';
import { asWriter, workflowPath } from './workflows';

export const RUNS_PATH = '/api/v1/workflow-runs';
export const APPROVALS_PATH = '/api/v1/approvals';

/** Runs the engine still works on: their detail is read again until they end. */
export const OPEN_RUN_STATUSES = ['queued', 'running', 'waiting_approval'];

export function isOpenRun(status: string): boolean {
  return OPEN_RUN_STATUSES.includes(status);
}

/** One row of GET /api/v1/workflow-runs. */
export interface RunSummary {
  id: string;
  workflow: string;
  trigger: string;
  dryRun: boolean;
  /** queued, running, waiting_approval, succeeded, failed, rejected, expired or cancelled. */
  status: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface RunStep {
  id: string;
  action: string;
  index: number;
  /** pending, running, waiting_approval, succeeded, failed, skipped, rejected or expired. */
  status: string;
  attempt: number;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  nextAttemptAt: string | null;
}

/** A side-effecting step waiting for (or given) a person's decision. */
export interface Approval {
  id: string;
  runId: string;
  workflow: string;
  stepId: string;
  /** What the step will do, to whom. */
  what: string;
  /** pending, approved, rejected or expired. */
  state: string;
  requestedAt: string;
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface AuditEntry {
  at: string;
  /** engine, or the Grafana login of a person. */
  actor: string;
  event: string;
  stepId: string | null;
  detail: unknown;
}

/** GET /api/v1/workflow-runs/{id}: steps with their outputs, approvals and the audit trail, secrets redacted. */
export interface RunDetail extends RunSummary {
  /** What the person gave a manual run (context.inputs); empty for other triggers. */
  inputs: Record<string, unknown>;
  steps: RunStep[];
  approvals: Approval[];
  audit: AuditEntry[];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseRunSummary(value: unknown, path: string): RunSummary {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.status !== 'string') {
    throw invalidBody(path, 'a run has no id or status');
  }
  return {
    id: value.id,
    workflow: text(value.workflow),
    trigger: text(value.trigger),
    dryRun: value.dryRun === true,
    status: value.status,
    createdAt: text(value.createdAt),
    updatedAt: text(value.updatedAt),
    finishedAt: textOrNull(value.finishedAt),
  };
}

export function parseRunList(body: unknown): RunSummary[] {
  if (!isRecord(body) || !Array.isArray(body.runs)) {
    throw invalidBody(RUNS_PATH, 'the body has no runs list');
  }
  return body.runs.map((run) => parseRunSummary(run, RUNS_PATH));
}

function parseStep(value: unknown, path: string): RunStep {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.status !== 'string') {
    throw invalidBody(path, 'a step has no id or status');
  }
  return {
    id: value.id,
    action: text(value.action),
    index: typeof value.index === 'number' ? value.index : 0,
    status: value.status,
    attempt: typeof value.attempt === 'number' ? value.attempt : 0,
    input: value.input ?? null,
    output: value.output ?? null,
    error: textOrNull(value.error),
    startedAt: textOrNull(value.startedAt),
    finishedAt: textOrNull(value.finishedAt),
    nextAttemptAt: textOrNull(value.nextAttemptAt),
  };
}

export function parseApproval(value: unknown, path: string): Approval {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.what !== 'string') {
    throw invalidBody(path, 'an approval has no id or description');
  }
  return {
    id: value.id,
    runId: text(value.runId),
    workflow: text(value.workflow),
    stepId: text(value.stepId),
    what: value.what,
    state: text(value.state),
    requestedAt: text(value.requestedAt),
    expiresAt: text(value.expiresAt),
    decidedBy: textOrNull(value.decidedBy),
    decidedAt: textOrNull(value.decidedAt),
    reason: textOrNull(value.reason),
  };
}

function parseAudit(value: unknown, path: string): AuditEntry {
  if (!isRecord(value) || typeof value.event !== 'string') {
    throw invalidBody(path, 'an audit entry has no event');
  }
  return {
    at: text(value.at),
    actor: text(value.actor),
    event: value.event,
    stepId: textOrNull(value.stepId),
    detail: value.detail ?? null,
  };
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function parseRunDetail(body: unknown, path: string): RunDetail {
  const summary = parseRunSummary(body, path);
  if (!isRecord(body) || !Array.isArray(body.steps)) {
    throw invalidBody(path, 'the run has no steps list');
  }
  const inputs = isRecord(body.context) && isRecord(body.context.inputs) ? body.context.inputs : {};
  return {
    ...summary,
    inputs,
    steps: body.steps.map((step) => parseStep(step, path)),
    approvals: list(body.approvals).map((approval) => parseApproval(approval, path)),
    audit: list(body.audit).map((entry) => parseAudit(entry, path)),
  };
}

export function parseApprovalList(body: unknown): Approval[] {
  if (!isRecord(body) || !Array.isArray(body.approvals)) {
    throw invalidBody(APPROVALS_PATH, 'the body has no approvals list');
  }
  return body.approvals.map((approval) => parseApproval(approval, APPROVALS_PATH));
}

function runPath(id: string): `/api/v1/${string}` {
  return `${RUNS_PATH}/${encodeURIComponent(id)}`;
}

export interface RunsRequest {
  workflow?: string;
  status?: string;
  limit?: number;
}

export function loadRuns(lookup: DatasourceLookup, request: RunsRequest = {}): Promise<EngineRead<RunSummary[]>> {
  const params: Record<string, string | number> = { limit: request.limit ?? 50 };
  if (request.workflow) {
    params.workflow = request.workflow;
  }
  if (request.status) {
    params.status = request.status;
  }
  return readFromEngine(lookup, async (client) => parseRunList(await client.get(RUNS_PATH, params)));
}

export function loadRun(lookup: DatasourceLookup, id: string): Promise<EngineRead<RunDetail>> {
  const path = runPath(id);
  return readFromEngine(lookup, async (client) => parseRunDetail(await client.get(path), path));
}

/** What a start or a decision came to: done, or refused by the engine with its message (shown as is). */
export type Refused = { state: 'refused'; message: string };

export type StartOutcome = { state: 'started'; id: string; dryRun: boolean } | Refused;

/** 400, 403, 404 and 409 carry the engine's sentence for the person: shown as is. */
function refusedBy(error: unknown): Refused | undefined {
  if (!isEngineRequestError(error) || error.detail === undefined) {
    return undefined;
  }
  return error.kind === 'rejected' || [403, 404, 409].includes(error.status ?? 0)
    ? { state: 'refused', message: error.detail }
    : undefined;
}

/** POST /api/v1/workflows/{name}/runs: the run goes on in the engine; its detail says how it went. */
export function startRun(
  lookup: DatasourceLookup,
  name: string,
  options: { dryRun: boolean; inputs?: Record<string, unknown> }
): Promise<EngineRead<StartOutcome>> {
  const path: `/api/v1/${string}` = `${workflowPath(name)}/runs`;
  return readFromEngine(lookup, async (client): Promise<StartOutcome> => {
    try {
      const body = await asWriter(client).post(path, {
        dryRun: options.dryRun,
        ...(options.inputs ? { inputs: options.inputs } : {}),
      });
      if (!isRecord(body) || typeof body.id !== 'string') {
        throw invalidBody(path, 'the answer names no run id');
      }
      return { state: 'started', id: body.id, dryRun: body.dryRun === true };
    } catch (error) {
      const refused = refusedBy(error);
      if (refused) {
        return refused;
      }
      throw error;
    }
  });
}

export type ApprovalsFilter = 'pending' | 'decided' | 'all';

export function loadApprovals(
  lookup: DatasourceLookup,
  state: ApprovalsFilter = 'pending'
): Promise<EngineRead<Approval[]>> {
  return readFromEngine(lookup, async (client) => parseApprovalList(await client.get(APPROVALS_PATH, { state })));
}

export type Decision = 'approve' | 'reject';

export type DecisionOutcome = { state: 'decided'; approval: Approval } | Refused;

/**
 * POST /api/v1/approvals/{id}/approve|reject with the reason. The engine records the Grafana user from the
 * X-Grafana-User header Grafana's data proxy adds; without it the engine's 403 says what to change.
 */
export function decideApproval(
  lookup: DatasourceLookup,
  id: string,
  decision: Decision,
  reason: string
): Promise<EngineRead<DecisionOutcome>> {
  const path: `/api/v1/${string}` = `${APPROVALS_PATH}/${encodeURIComponent(id)}/${decision}`;
  const trimmed = reason.trim();
  return readFromEngine(lookup, async (client): Promise<DecisionOutcome> => {
    try {
      const body = await asWriter(client).post(path, trimmed === '' ? {} : { reason: trimmed });
      return { state: 'decided', approval: parseApproval(body, path) };
    } catch (error) {
      const refused = refusedBy(error);
      if (refused) {
        return refused;
      }
      throw error;
    }
  });
}

export type CancelOutcome = { state: 'cancelled'; run: RunDetail } | Refused;

/**
 * POST /api/v1/workflow-runs/{id}/cancel with an optional reason: the engine answers the run as it is now
 * (cancelled); 409 when it already ended and 404 for an unknown run come back as the engine's sentence.
 */
export function cancelRun(lookup: DatasourceLookup, id: string, reason: string): Promise<EngineRead<CancelOutcome>> {
  const path: `/api/v1/${string}` = `${runPath(id)}/cancel`;
  const trimmed = reason.trim();
  return readFromEngine(lookup, async (client): Promise<CancelOutcome> => {
    try {
      const body = await asWriter(client).post(path, trimmed === '' ? {} : { reason: trimmed });
      return { state: 'cancelled', run: parseRunDetail(body, path) };
    } catch (error) {
      const refused = refusedBy(error);
      if (refused) {
        return refused;
      }
      throw error;
    }
  });
}
