import type { Queryable } from './store.ts';

/**
 * Workflow runs, their steps, approvals and audit trail (migration 009). Runners claim runnable runs with a lease
 * (`for update skip locked`, so replicas on one PostgreSQL share the work) and write every transition fenced by
 * their claim: a runner whose run was taken over writes nothing more.
 */

export const RUN_STATUSES = ['queued', 'running', 'waiting_approval', 'succeeded', 'failed', 'rejected', 'expired', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Runs a runner still has work on. */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting_approval'];

export const STEP_STATUSES = ['pending', 'running', 'waiting_approval', 'succeeded', 'failed', 'skipped', 'rejected', 'expired', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const APPROVAL_DECISIONS = ['approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface StoredRun {
  id: string;
  workflow: string;
  definition: unknown;
  trigger: string;
  context: unknown;
  dryRun: boolean;
  status: RunStatus;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  claimedBy: string | null;
  leaseUntil: Date | null;
  wakeAt: Date;
}

export interface StoredStep {
  runId: string;
  stepId: string;
  index: number;
  action: string;
  status: StepStatus;
  attempt: number;
  interruptions: number;
  idempotencyKey: string;
  input: unknown;
  output: unknown;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  nextAttemptAt: Date | null;
}

export interface StoredApproval {
  id: string;
  runId: string;
  workflow: string;
  stepId: string;
  what: string;
  requestedAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decision: ApprovalDecision | null;
  reason: string | null;
}

export interface AuditEntry {
  id: number;
  runId: string;
  stepId: string | null;
  at: Date;
  actor: string;
  event: string;
  detail: unknown;
}

export interface NewRun {
  id: string;
  workflow: string;
  definition: unknown;
  trigger: string;
  context: unknown;
  dryRun: boolean;
  now: Date;
}

export interface NewStep {
  stepId: string;
  action: string;
  idempotencyKey: string;
}

/** A claim was lost: another runner took the run over (or it was cancelled), so this one must stop writing. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

interface RunRow {
  id: string;
  workflow: string;
  definition: unknown;
  trigger: string;
  context: unknown;
  dry_run: boolean;
  status: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  claimed_by: string | null;
  lease_until: Date | null;
  wake_at: Date;
}

const RUN_COLUMNS = 'id, workflow, definition, trigger, context, dry_run, status, created_at, updated_at, finished_at, claimed_by, lease_until, wake_at';

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    workflow: row.workflow,
    definition: row.definition,
    trigger: row.trigger,
    context: row.context,
    dryRun: row.dry_run,
    status: RUN_STATUSES.find((status) => status === row.status) ?? 'failed',
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until,
    wakeAt: row.wake_at,
  };
}

/** Stores a queued run and its pending steps (call inside a transaction: both or neither). */
export async function insertRun(tx: Queryable, run: NewRun, steps: readonly NewStep[]): Promise<void> {
  const now = run.now.toISOString();
  await tx.query(
    `insert into workflow_runs (id, workflow, definition, trigger, context, dry_run, status, created_at, updated_at, wake_at)
     values ($1, $2, $3::jsonb, $4, $5::jsonb, $6, 'queued', $7, $7, $7)`,
    [run.id, run.workflow, JSON.stringify(run.definition), run.trigger, JSON.stringify(run.context), run.dryRun, now]
  );
  await tx.query(
    `insert into workflow_steps (run_id, step_id, index, action, status, idempotency_key)
     select $1, step.step_id, step.index, step.action, 'pending', step.idempotency_key
       from jsonb_to_recordset($2::jsonb) as step (step_id text, index integer, action text, idempotency_key text)`,
    [run.id, JSON.stringify(steps.map((step, index) => ({ step_id: step.stepId, index, action: step.action, idempotency_key: step.idempotencyKey })))]
  );
}

/**
 * Claims up to `limit` runnable runs for `runnerId` until `leaseUntil`: open, due (wake_at passed) and not leased by
 * a live runner. Rows another runner is claiming at the same moment are skipped, not waited for.
 */
export async function claimRuns(db: Queryable, runnerId: string, now: Date, leaseUntil: Date, limit: number): Promise<StoredRun[]> {
  const { rows } = await db.query<RunRow>(
    `update workflow_runs set claimed_by = $1, lease_until = $3
      where id in (
        select id from workflow_runs
         where status in ('queued', 'running', 'waiting_approval')
           and wake_at <= $2
           and (lease_until is null or lease_until < $2)
         order by wake_at, created_at
         limit $4
         for update skip locked)
      returning ${RUN_COLUMNS}`,
    [runnerId, now.toISOString(), leaseUntil.toISOString(), limit]
  );
  return rows.map(toRun);
}

/** Extends the lease of a run this runner holds; false when it no longer holds it. */
export async function renewLease(db: Queryable, runId: string, runnerId: string, leaseUntil: Date): Promise<boolean> {
  const { rowCount } = await db.query('update workflow_runs set lease_until = $3 where id = $1 and claimed_by = $2', [runId, runnerId, leaseUntil.toISOString()]);
  return rowCount > 0;
}

/** Lapses the leases `runnerId` holds, for a restarted replica with a stable id to take its runs back at once. */
export async function lapseLeases(db: Queryable, runnerId: string): Promise<number> {
  const { rowCount } = await db.query(
    `update workflow_runs set lease_until = null where claimed_by = $1 and status in ('queued', 'running', 'waiting_approval')`,
    [runnerId]
  );
  return rowCount;
}

/** Locks the run for this transaction, refusing when `runnerId` no longer holds it: the fence on every transition. */
export async function lockClaim(tx: Queryable, runId: string, runnerId: string): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    `select id from workflow_runs where id = $1 and claimed_by = $2 and status in ('queued', 'running', 'waiting_approval') for update`,
    [runId, runnerId]
  );
  if (rows.length === 0) {
    throw new LostClaimError(`run ${runId} is no longer held by runner ${runnerId}`);
  }
}

/** Sets the run's open status and when it is next due; releasing lets any runner (this one included) claim it then. */
export async function updateOpenRun(tx: Queryable, runId: string, status: RunStatus, now: Date, wake: { at: Date; release: boolean }): Promise<void> {
  await tx.query(
    `update workflow_runs set status = $2, updated_at = $3, wake_at = $4,
            claimed_by = case when $5 then null else claimed_by end, lease_until = case when $5 then null else lease_until end
      where id = $1`,
    [runId, status, now.toISOString(), wake.at.toISOString(), wake.release]
  );
}

/** Ends the run with a final status and drops the claim. */
export async function finishRun(tx: Queryable, runId: string, status: RunStatus, now: Date): Promise<void> {
  await tx.query(
    `update workflow_runs set status = $2, updated_at = $3, finished_at = $3, claimed_by = null, lease_until = null where id = $1`,
    [runId, status, now.toISOString()]
  );
}

export interface StepPatch {
  status?: StepStatus;
  attempt?: number;
  interruptions?: number;
  input?: unknown;
  output?: unknown;
  error?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  nextAttemptAt?: Date | null;
}

/** Column and SQL cast of each patchable field; jsonb fields are sent as JSON text. */
const STEP_COLUMNS: { [K in keyof StepPatch]-?: { column: string; cast: string; json?: boolean } } = {
  status: { column: 'status', cast: 'text' },
  attempt: { column: 'attempt', cast: 'integer' },
  interruptions: { column: 'interruptions', cast: 'integer' },
  input: { column: 'input', cast: 'jsonb', json: true },
  output: { column: 'output', cast: 'jsonb', json: true },
  error: { column: 'error', cast: 'text' },
  startedAt: { column: 'started_at', cast: 'timestamptz' },
  finishedAt: { column: 'finished_at', cast: 'timestamptz' },
  nextAttemptAt: { column: 'next_attempt_at', cast: 'timestamptz' },
};

function isPatchKey(key: string): key is keyof StepPatch {
  return Object.hasOwn(STEP_COLUMNS, key);
}

export async function updateStep(tx: Queryable, runId: string, stepId: string, patch: StepPatch): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [runId, stepId];
  for (const [key, value] of Object.entries(patch)) {
    if (!isPatchKey(key) || value === undefined) {
      continue;
    }
    const { column, cast, json } = STEP_COLUMNS[key];
    params.push(value instanceof Date ? value.toISOString() : json === true && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${params.length}::${cast}`);
  }
  if (sets.length > 0) {
    await tx.query(`update workflow_steps set ${sets.join(', ')} where run_id = $1 and step_id = $2`, params);
  }
}

interface StepRow {
  run_id: string;
  step_id: string;
  index: number;
  action: string;
  status: string;
  attempt: number;
  interruptions: number;
  idempotency_key: string;
  input: unknown;
  output: unknown;
  error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  next_attempt_at: Date | null;
}

/** The run's steps in order. */
export async function loadSteps(db: Queryable, runId: string): Promise<StoredStep[]> {
  const { rows } = await db.query<StepRow>(
    `select run_id, step_id, index, action, status, attempt, interruptions, idempotency_key, input, output, error, started_at, finished_at, next_attempt_at
       from workflow_steps where run_id = $1 order by index`,
    [runId]
  );
  return rows.map((row) => ({
    runId: row.run_id,
    stepId: row.step_id,
    index: row.index,
    action: row.action,
    status: STEP_STATUSES.find((status) => status === row.status) ?? 'failed',
    attempt: row.attempt,
    interruptions: row.interruptions,
    idempotencyKey: row.idempotency_key,
    input: row.input,
    output: row.output,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    nextAttemptAt: row.next_attempt_at,
  }));
}

export async function appendAudit(
  tx: Queryable,
  entry: { runId: string; stepId?: string | undefined; at: Date; actor: string; event: string; detail?: Record<string, unknown> }
): Promise<void> {
  await tx.query('insert into workflow_audit (run_id, step_id, at, actor, event, detail) values ($1, $2, $3, $4, $5, $6::jsonb)', [
    entry.runId,
    entry.stepId ?? null,
    entry.at.toISOString(),
    entry.actor,
    entry.event,
    JSON.stringify(entry.detail ?? {}),
  ]);
}

export async function loadAudit(db: Queryable, runId: string): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: number; run_id: string; step_id: string | null; at: Date; actor: string; event: string; detail: unknown }>(
    'select id, run_id, step_id, at, actor, event, detail from workflow_audit where run_id = $1 order by id',
    [runId]
  );
  return rows.map((row) => ({ id: row.id, runId: row.run_id, stepId: row.step_id, at: row.at, actor: row.actor, event: row.event, detail: row.detail }));
}

export async function loadRun(db: Queryable, runId: string): Promise<StoredRun | undefined> {
  const { rows } = await db.query<RunRow>(`select ${RUN_COLUMNS} from workflow_runs where id = $1`, [runId]);
  const row = rows[0];
  return row === undefined ? undefined : toRun(row);
}

export interface RunFilter {
  statuses?: readonly RunStatus[];
  workflow?: string;
  limit: number;
}

/** Runs newest first. */
export async function listRuns(db: Queryable, filter: RunFilter): Promise<StoredRun[]> {
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from workflow_runs
      where ($1::text[] is null or status = any($1::text[])) and ($2::text is null or workflow = $2)
      order by created_at desc, id limit $3`,
    [filter.statuses ?? null, filter.workflow ?? null, filter.limit]
  );
  return rows.map(toRun);
}

export async function insertApproval(
  tx: Queryable,
  approval: { id: string; runId: string; stepId: string; what: string; requestedAt: Date; expiresAt: Date }
): Promise<void> {
  await tx.query('insert into workflow_approvals (id, run_id, step_id, what, requested_at, expires_at) values ($1, $2, $3, $4, $5, $6)', [
    approval.id,
    approval.runId,
    approval.stepId,
    approval.what,
    approval.requestedAt.toISOString(),
    approval.expiresAt.toISOString(),
  ]);
}

interface ApprovalRow {
  id: string;
  run_id: string;
  workflow: string;
  step_id: string;
  what: string;
  requested_at: Date;
  expires_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision: string | null;
  reason: string | null;
}

const APPROVAL_SELECT = `select a.id, a.run_id, r.workflow, a.step_id, a.what, a.requested_at, a.expires_at, a.decided_by, a.decided_at, a.decision, a.reason
  from workflow_approvals a join workflow_runs r on r.id = a.run_id`;

function toApproval(row: ApprovalRow): StoredApproval {
  return {
    id: row.id,
    runId: row.run_id,
    workflow: row.workflow,
    stepId: row.step_id,
    what: row.what,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decision: APPROVAL_DECISIONS.find((decision) => decision === row.decision) ?? null,
    reason: row.reason,
  };
}

export async function approvalForStep(db: Queryable, runId: string, stepId: string): Promise<StoredApproval | undefined> {
  const { rows } = await db.query<ApprovalRow>(`${APPROVAL_SELECT} where a.run_id = $1 and a.step_id = $2`, [runId, stepId]);
  const row = rows[0];
  return row === undefined ? undefined : toApproval(row);
}

export async function approvalsOfRun(db: Queryable, runId: string): Promise<StoredApproval[]> {
  const { rows } = await db.query<ApprovalRow>(`${APPROVAL_SELECT} where a.run_id = $1 order by a.requested_at`, [runId]);
  return rows.map(toApproval);
}

export type ApprovalState = 'pending' | 'decided' | 'all';

/** Approvals newest first; pending ones are undecided and not yet expired at `now`. */
export async function listApprovals(db: Queryable, state: ApprovalState, now: Date, limit: number): Promise<StoredApproval[]> {
  const { rows } = await db.query<ApprovalRow>(
    `${APPROVAL_SELECT}
      where case $1::text
              when 'pending' then a.decision is null and a.expires_at > $2::timestamptz
              when 'decided' then a.decision is not null or a.expires_at <= $2::timestamptz
              else true end
      order by a.requested_at desc, a.id limit $3`,
    [state, now.toISOString(), limit]
  );
  return rows.map(toApproval);
}

/** How many approvals are undecided and not yet expired at `now`. */
export async function countPendingApprovals(db: Queryable, now: Date): Promise<number> {
  const { rows } = await db.query<{ count: number }>('select count(*)::int as count from workflow_approvals where decision is null and expires_at > $1', [now.toISOString()]);
  return rows[0]?.count ?? 0;
}

/** The approval locked for a decision, or undefined. */
export async function lockApproval(tx: Queryable, id: string): Promise<StoredApproval | undefined> {
  const { rows } = await tx.query<ApprovalRow>(`${APPROVAL_SELECT} where a.id = $1 for update of a`, [id]);
  const row = rows[0];
  return row === undefined ? undefined : toApproval(row);
}

export async function decideApproval(
  tx: Queryable,
  id: string,
  decision: { decision: ApprovalDecision; by: string | null; at: Date; reason: string | null }
): Promise<void> {
  await tx.query('update workflow_approvals set decision = $2, decided_by = $3, decided_at = $4, reason = $5 where id = $1', [
    id,
    decision.decision,
    decision.by,
    decision.at.toISOString(),
    decision.reason,
  ]);
}

/**
 * Cancels an open run with its unfinished steps and undecided approvals, dropping any claim so that no runner goes
 * on with it; the run's status before and its workflow, or undefined when there is no such run.
 */
export async function cancelRun(
  tx: Queryable,
  runId: string,
  cancel: { at: Date; by: string; reason: string | null }
): Promise<{ before: RunStatus; workflow: string } | undefined> {
  const { rows } = await tx.query<{ status: string; workflow: string }>('select status, workflow from workflow_runs where id = $1 for update', [runId]);
  const row = rows[0];
  const before = RUN_STATUSES.find((status) => status === row?.status);
  if (row === undefined || before === undefined) {
    return undefined;
  }
  if (!OPEN_RUN_STATUSES.includes(before)) {
    return { before, workflow: row.workflow };
  }
  const at = cancel.at.toISOString();
  await finishRun(tx, runId, 'cancelled', cancel.at);
  await tx.query(`update workflow_steps set status = 'cancelled', finished_at = $2, next_attempt_at = null where run_id = $1 and status in ('pending', 'running', 'waiting_approval')`, [runId, at]);
  await tx.query(`update workflow_approvals set decision = 'cancelled', decided_by = $3, decided_at = $2, reason = $4 where run_id = $1 and decision is null`, [
    runId,
    at,
    cancel.by,
    cancel.reason,
  ]);
  return { before, workflow: row.workflow };
}

/** Deletes runs that finished before `before`, with their steps, approvals and audit trail; open runs are kept. */
export async function pruneFinishedRuns(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query(
    `delete from workflow_runs where finished_at < $1 and status not in ('queued', 'running', 'waiting_approval')`,
    [before.toISOString()]
  );
  return rowCount;
}

/** Makes a waiting run due now, so that a runner acts on a decision at once. */
export async function wakeRun(tx: Queryable, runId: string, now: Date): Promise<void> {
  await tx.query(`update workflow_runs set wake_at = $2, updated_at = $2 where id = $1 and status in ('queued', 'running', 'waiting_approval')`, [runId, now.toISOString()]);
}
