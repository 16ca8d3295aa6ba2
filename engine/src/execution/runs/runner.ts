import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ValidateFunction } from 'ajv';
import type { TSchema } from 'typebox';
import type { EngineLogger } from '../../observability/logger.ts';
import type { ExecutionMetrics } from '../../observability/metrics.ts';
import { INTELOPS } from '../../observability/tracing/conventions.ts';
import { currentRun, traceRun, traceStep } from '../../observability/tracing/spans.ts';
import type { AgentTracing } from '../../observability/tracing/spans.ts';
import { compileBodyValidator } from '../../server/validation.ts';
import type { Sources } from '../../sources/fromSettings.ts';
import type { Queryable, Store } from '../../store/store.ts';
import {
  LostClaimError,
  OPEN_RUN_STATUSES,
  appendAudit,
  approvalForStep,
  approvalsOfRun,
  cancelRun,
  claimRuns,
  decideApproval,
  finishRun,
  insertApproval,
  insertRun,
  lapseLeases,
  listApprovals,
  listRuns,
  loadAudit,
  loadRun,
  loadSteps,
  lockApproval,
  lockClaim,
  renewLease,
  updateOpenRun,
  updateStep,
  wakeRun,
} from '../../store/workflowRuns.ts';
import type { ApprovalState, AuditEntry, RunFilter, RunStatus, StepPatch, StoredApproval, StoredRun, StoredStep } from '../../store/workflowRuns.ts';
import { TRIGGER_KINDS } from '../types.ts';
import type { ActionDefinition, GuardedHttp, RunContext, SecretResolver, TriggerKind, Workflow, WorkflowStep } from '../types.ts';
import { DEFAULT_POLICY, decideStep, policySubject } from './policy.ts';
import type { Policy } from './policy.ts';
import { runAction, StepTimeoutError } from './runAction.ts';
import { runContext, stepsOfSnapshot, subjectsOfSnapshot, toSnapshot } from './snapshot.ts';
import type { RunSubjects } from './snapshot.ts';

/**
 * The durable workflow runner. Runs and their steps live in the store; any runner (engine replica) claims runnable
 * runs with a lease and works through their steps in order, writing each transition, fenced by its claim, with an
 * audit entry. A crashed runner's runs are taken over when its lease lapses.
 *
 * Delivery is at least once, made effectively once by idempotency keys: a step is marked `running` (and committed)
 * BEFORE its action is called and its result is recorded after. A runner that finds a step still `running` (the one
 * that called it crashed or lost its lease in between) calls the action again WITH THE SAME idempotency key, stable
 * per run and step (sha-256 of both), which actions pass on (Idempotency-Key header, PagerDuty dedup_key) so the
 * receiver acts once. Retries after a failure use the same key too.
 *
 * Inputs are rendered from the stored run context at every attempt (earlier outputs as stored, i.e. redacted), so an
 * attempt after a restart, or after an approval, acts on the same input; the approval's description is compared to
 * be sure. Secret values are scrubbed from everything stored: context, inputs, outputs, errors and audit details.
 */

export interface WorkflowRunnerOptions {
  store: Store;
  /** The action of a name, or undefined when there is none. */
  actions: (name: string) => ActionDefinition | undefined;
  /** A step's CEL `if` over the run context (the definitions' CEL setup). */
  evaluate: (expression: string, context: RunContext) => boolean;
  /** A step's `with` with its templates rendered against the run context. */
  render: (value: Record<string, unknown>, context: RunContext) => unknown;
  /** The rendered input as the action gets it, or an error naming the field; by default its schema, as sent. */
  checkInput?: (action: ActionDefinition, input: unknown) => unknown;
  policy?: Policy;
  secrets: SecretResolver;
  http: GuardedHttp;
  /** The upstream clients inspections read; a function follows the settings as they change. */
  sources: Sources | (() => Promise<Sources>);
  logger: EngineLogger;
  /** Runs finished and step attempts, by workflow, action and outcome. */
  metrics?: Pick<ExecutionMetrics, 'runsFinished' | 'stepDuration'>;
  /** Whether a failed attempt may succeed if tried again (a timeout, a 503); by default every failure is retried. */
  retryable?: (error: unknown) => boolean;
  /** Names this replica in claims; a stable one lets a restarted replica take its runs back without waiting for the lease. */
  runnerId?: string;
  clock?: () => Date;
  /** How long a claim holds without renewal; renewed every third of it while the runner works on the run. */
  leaseMs?: number;
  /** How often the store is asked for runnable runs when nothing wakes the runner sooner. */
  pollMs?: number;
  /** Runs worked on at once by this runner. */
  concurrency?: number;
  /** Retry n waits retryBaseMs·2^(n-1), at most retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Attempts cut short by crashes before the step fails instead of being re-run. */
  maxInterruptions?: number;
  /** Each stretch of work on a run (until it waits or ends) becomes an agent run with its step attempts, when given. */
  tracing?: AgentTracing | undefined;
}

const DEFAULTS = { leaseMs: 30_000, pollMs: 1000, concurrency: 4, retryBaseMs: 1000, retryMaxMs: 300_000, maxInterruptions: 3 };

/** An error an API caller can act on: 403 without a deciding user, 404 for what does not exist, 409 for an approval already decided or expired. */
export class RunnerRequestError extends Error {
  override name = 'RunnerRequestError';
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** The runner stopped (shutdown or lost claim) in the middle of a step; the step stays `running` for whoever resumes. */
class StoppedError extends Error {
  override name = 'StoppedError';
}

type StepDone = Extract<RunContext['steps'][string]['status'], 'succeeded' | 'skipped'>;

/** What advancing one step came to. */
type Outcome =
  | { kind: 'next'; status: StepDone; output: unknown }
  | { kind: 'wait'; until: Date; status: 'running' | 'waiting_approval'; prepare?: (tx: Queryable) => Promise<void> }
  | { kind: 'end'; status: 'failed' | 'rejected' | 'expired' };

export interface RunView {
  run: StoredRun;
  steps: StoredStep[];
  approvals: StoredApproval[];
  audit: AuditEntry[];
}

export interface StartOptions {
  dryRun?: boolean;
  /** Who started it, for the audit trail (a Grafana login, or `engine` for triggers). */
  actor?: string;
  /** Writes the run in this transaction (a trigger's, so the event and its run commit together). */
  tx?: Queryable;
}

/** Stable for a run and step: the same key on every attempt and after every restart. */
export function idempotencyKey(runId: string, stepId: string): string {
  return createHash('sha256').update(`${runId}\u0000${stepId}`).digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const validators = new WeakMap<TSchema, ValidateFunction>();

/** The action's schema as request bodies are checked (defaults filled into a copy, no type coercion). */
function checkAgainstSchema(action: ActionDefinition, input: unknown): unknown {
  let validate = validators.get(action.input);
  if (validate === undefined) {
    validate = compileBodyValidator(action.input);
    validators.set(action.input, validate);
  }
  const copy = structuredClone(input);
  if (validate(copy)) {
    return copy;
  }
  const error = validate.errors?.[0];
  throw new Error(`action ${action.name}: with${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`);
}

export class WorkflowRunner {
  readonly runnerId: string;
  private readonly store: Store;
  private readonly actions: WorkflowRunnerOptions['actions'];
  private readonly evaluate: WorkflowRunnerOptions['evaluate'];
  private readonly render: WorkflowRunnerOptions['render'];
  private readonly checkInput: (action: ActionDefinition, input: unknown) => unknown;
  private policy: Policy;
  private readonly secrets: SecretResolver;
  private readonly http: GuardedHttp;
  private readonly sources: Sources | (() => Promise<Sources>);
  private readonly retryable: (error: unknown) => boolean;
  private readonly logger: EngineLogger;
  private readonly metrics: WorkflowRunnerOptions['metrics'];
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly maxInterruptions: number;
  private readonly tracing: AgentTracing | undefined;
  private readonly inflight = new Map<string, Promise<void>>();
  /** The abort of each run this runner works on, by run id. */
  private readonly stops = new Map<string, AbortController>();
  private loop: Promise<void> | undefined;
  private closed = false;
  private poked = false;
  private wakeUp: (() => void) | undefined;
  /** The earliest time (ms since the epoch) a run this runner parked is due, to look again then rather than at the next poll. */
  private dueAt: number | undefined;

  constructor(options: WorkflowRunnerOptions) {
    this.store = options.store;
    this.actions = options.actions;
    this.evaluate = options.evaluate;
    this.render = options.render;
    this.checkInput = options.checkInput ?? checkAgainstSchema;
    this.policy = options.policy ?? DEFAULT_POLICY;
    this.secrets = options.secrets;
    this.http = options.http;
    this.sources = options.sources;
    this.retryable = options.retryable ?? (() => true);
    this.runnerId = options.runnerId ?? `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.logger = options.logger.child({ runner: this.runnerId });
    this.metrics = options.metrics;
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
    this.pollMs = options.pollMs ?? DEFAULTS.pollMs;
    this.concurrency = options.concurrency ?? DEFAULTS.concurrency;
    this.retryBaseMs = options.retryBaseMs ?? DEFAULTS.retryBaseMs;
    this.retryMaxMs = options.retryMaxMs ?? DEFAULTS.retryMaxMs;
    this.maxInterruptions = options.maxInterruptions ?? DEFAULTS.maxInterruptions;
    this.tracing = options.tracing;
  }

  /** Replaces the policy; steps asking from now on get the new one (approvals already requested stand). */
  setPolicy(policy: Policy): void {
    this.policy = policy;
  }

  /** Stores a queued run of `workflow` and its steps in one transaction; a runner picks it up. */
  async start(workflow: Workflow, trigger: TriggerKind, subjects: Partial<RunSubjects>, options: StartOptions = {}): Promise<string> {
    const id = randomUUID();
    const now = this.clock();
    const context = this.redactValue({ incident: subjects.incident, rca: subjects.rca, change: subjects.change, inputs: subjects.inputs ?? {} });
    const dryRun = options.dryRun ?? false;
    const write = async (tx: Queryable) => {
      await insertRun(
        tx,
        { id, workflow: workflow.name, definition: toSnapshot(workflow), trigger, context, dryRun, now },
        workflow.steps.map((step) => ({ stepId: step.id, action: step.action, idempotencyKey: idempotencyKey(id, step.id) }))
      );
      await appendAudit(tx, { runId: id, at: now, actor: options.actor ?? 'engine', event: 'run.created', detail: { workflow: workflow.name, trigger, dryRun, steps: workflow.steps.length } });
    };
    await (options.tx === undefined ? this.store.transaction(write) : write(options.tx));
    this.logger.info({ run: id, workflow: workflow.name, trigger, dryRun }, 'workflow run queued');
    this.poke();
    return id;
  }

  /**
   * Picks up everything unfinished and keeps working: leases this runner id held before a restart are lapsed at
   * once, others when they run out. Call once at start.
   */
  async resume(): Promise<void> {
    const lapsed = await lapseLeases(this.store, this.runnerId);
    if (lapsed > 0) {
      this.logger.info({ runs: lapsed }, 'taking back the workflow runs this runner held before it restarted');
    }
    this.loop ??= this.work();
    this.poke();
  }

  /** Stops claiming, aborts the actions in flight (their steps stay `running`, resumed later with the same key) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops.values()) {
      stop.abort(new StoppedError('the workflow runner is stopping'));
    }
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled(this.inflight.values());
  }

  /** Looks for runnable runs now instead of at the next poll. */
  poke(): void {
    this.poked = true;
    this.wakeUp?.();
  }

  async getRun(id: string): Promise<RunView | undefined> {
    const run = await loadRun(this.store, id);
    if (run === undefined) {
      return undefined;
    }
    const [steps, approvals, audit] = [await loadSteps(this.store, id), await approvalsOfRun(this.store, id), await loadAudit(this.store, id)];
    return { run, steps, approvals, audit };
  }

  listRuns(filter: RunFilter): Promise<StoredRun[]> {
    return listRuns(this.store, filter);
  }

  listApprovals(state: ApprovalState, limit: number): Promise<StoredApproval[]> {
    return listApprovals(this.store, state, this.clock(), limit);
  }

  /** A person's decision on a pending approval; the run goes on (or ends) at once. */
  async decide(approvalId: string, decision: 'approved' | 'rejected', by: string, reason?: string): Promise<StoredApproval> {
    const now = this.clock();
    const decided = await this.store.transaction(async (tx) => {
      const approval = await lockApproval(tx, approvalId);
      if (approval === undefined) {
        throw new RunnerRequestError(404, `No approval with id ${JSON.stringify(approvalId)}`);
      }
      if (approval.decision !== null) {
        const who = approval.decidedBy === null ? '' : ` by ${approval.decidedBy}`;
        throw new RunnerRequestError(409, `Approval ${approvalId} was already ${approval.decision}${who} at ${approval.decidedAt?.toISOString() ?? 'an earlier time'}`);
      }
      if (approval.expiresAt <= now) {
        throw new RunnerRequestError(409, `Approval ${approvalId} expired at ${approval.expiresAt.toISOString()}; start the workflow again to ask anew`);
      }
      const cleanReason = reason === undefined ? null : this.secrets.redact(reason);
      await decideApproval(tx, approvalId, { decision, by, at: now, reason: cleanReason });
      await wakeRun(tx, approval.runId, now);
      await appendAudit(tx, { runId: approval.runId, stepId: approval.stepId, at: now, actor: by, event: `approval.${decision}`, detail: { approval: approvalId, what: approval.what, reason: cleanReason } });
      return { ...approval, decision, decidedBy: by, decidedAt: now, reason: cleanReason };
    });
    this.logger.info({ run: decided.runId, step: decided.stepId, approval: approvalId, decision, by }, 'workflow approval decided');
    this.poke();
    return decided;
  }

  /**
   * A person cancels an open run: it ends as cancelled with its unfinished steps and undecided approvals, and no
   * step starts after. An action already called is aborted when this engine runs it; one another engine runs
   * finishes there, but its result is not recorded (that engine's claim is gone).
   */
  async cancel(runId: string, by: string, reason?: string): Promise<void> {
    const at = this.clock();
    const cleanReason = reason === undefined ? null : this.secrets.redact(reason);
    const workflow = await this.store.transaction(async (tx) => {
      const cancelled = await cancelRun(tx, runId, { at, by, reason: cleanReason });
      if (cancelled === undefined) {
        throw new RunnerRequestError(404, `No workflow run with id ${JSON.stringify(runId)}`);
      }
      if (!OPEN_RUN_STATUSES.includes(cancelled.before)) {
        throw new RunnerRequestError(409, `Workflow run ${runId} already ended (${cancelled.before}); only queued, running or waiting runs can be cancelled`);
      }
      await appendAudit(tx, { runId, at, actor: by, event: 'run.cancelled', detail: { from: cancelled.before, reason: cleanReason } });
      return cancelled.workflow;
    });
    this.stops.get(runId)?.abort(new StoppedError(`run ${runId} was cancelled by ${by}`));
    this.metrics?.runsFinished.inc({ workflow, status: 'cancelled' });
    this.logger.info({ run: runId, workflow, by }, 'workflow run cancelled');
  }

  private async work(): Promise<void> {
    while (!this.closed) {
      this.poked = false;
      try {
        await this.claimAndRun();
      } catch (error) {
        this.logger.warn({ err: error }, 'claiming workflow runs failed; trying again at the next poll');
      }
      if (!this.poked && !this.closed) {
        await this.sleep();
      }
    }
  }

  private sleep(): Promise<void> {
    const now = Date.now();
    if (this.dueAt !== undefined && this.dueAt <= now) {
      this.dueAt = undefined;
    }
    const ms = Math.min(this.pollMs, this.dueAt === undefined ? this.pollMs : this.dueAt - now);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(ms, 0));
      this.wakeUp = done;
    });
  }

  private noteDue(at: Date): void {
    const ms = at.getTime() + 1;
    this.dueAt = this.dueAt === undefined ? ms : Math.min(this.dueAt, ms);
  }

  private async claimAndRun(): Promise<void> {
    const free = this.concurrency - this.inflight.size;
    if (free <= 0) {
      return;
    }
    const now = this.clock();
    const runs = await claimRuns(this.store, this.runnerId, now, new Date(now.getTime() + this.leaseMs), free);
    for (const run of runs) {
      if (this.inflight.has(run.id)) {
        continue;
      }
      const working = this.process(run).finally(() => {
        this.inflight.delete(run.id);
        this.poke();
      });
      this.inflight.set(run.id, working);
    }
  }

  /** Works on one claimed run, renewing its lease, until it waits, ends, or the claim is lost. */
  private async process(run: StoredRun): Promise<void> {
    const stop = new AbortController();
    this.stops.set(run.id, stop);
    const heartbeat = setInterval(() => {
      const now = this.clock();
      renewLease(this.store, run.id, this.runnerId, new Date(now.getTime() + this.leaseMs)).then(
        (held) => {
          if (!held) {
            stop.abort(new LostClaimError(`run ${run.id} was taken over by another runner`));
          }
        },
        (error: unknown) => this.logger.warn({ err: error, run: run.id }, 'renewing a workflow run lease failed')
      );
    }, Math.max(Math.floor(this.leaseMs / 3), 10));
    try {
      await traceRun(
        this.tracing,
        {
          kind: 'workflow',
          name: `intelops.workflow ${run.workflow}`,
          attributes: {
            [INTELOPS.workflowName]: run.workflow,
            [INTELOPS.workflowRunId]: run.id,
            [INTELOPS.workflowTrigger]: run.trigger,
            'intelops.workflow.dry_run': run.dryRun,
          },
        },
        () => this.advance(run, stop.signal)
      );
    } catch (error) {
      if (error instanceof StoppedError || error instanceof LostClaimError) {
        this.logger.info({ run: run.id, reason: error.message }, 'stopped working on a workflow run; it resumes from its last recorded step');
      } else {
        // The claim lapses on its own and whoever claims the run next tries again.
        this.logger.error({ err: error, run: run.id }, 'working on a workflow run failed');
      }
    } finally {
      clearInterval(heartbeat);
      this.stops.delete(run.id);
    }
  }

  /** Runs `fn` in a transaction that first checks this runner still holds the run. */
  private transition(runId: string, fn: (tx: Queryable) => Promise<void>): Promise<void> {
    return this.store.transaction(async (tx) => {
      await lockClaim(tx, runId, this.runnerId);
      await fn(tx);
    });
  }

  private audit(tx: Queryable, runId: string, stepId: string | undefined, event: string, detail: Record<string, unknown> = {}): Promise<void> {
    const clean = this.redactValue(detail);
    return appendAudit(tx, { runId, stepId, at: this.clock(), actor: 'engine', event, detail: typeof clean === 'object' && clean !== null ? Object(clean) : { detail: clean } });
  }

  private async advance(run: StoredRun, stop: AbortSignal): Promise<void> {
    let definition: WorkflowStep[];
    try {
      definition = stepsOfSnapshot(run.definition);
    } catch (error) {
      await this.end(run, 'failed', { error: messageOf(error) });
      return;
    }
    const subjects = subjectsOfSnapshot(run.context);
    const info: RunContext['run'] = {
      id: run.id,
      workflow: run.workflow,
      trigger: TRIGGER_KINDS.find((kind) => kind === run.trigger) ?? 'manual',
      dryRun: run.dryRun,
      startedAt: run.createdAt.toISOString(),
    };
    if (run.status === 'queued') {
      await this.transition(run.id, async (tx) => {
        await updateOpenRun(tx, run.id, 'running', this.clock(), { at: this.clock(), release: false });
        await this.audit(tx, run.id, undefined, 'run.started', { dryRun: run.dryRun });
      });
    }
    const outputs: RunContext['steps'] = {};
    for (const row of await loadSteps(this.store, run.id)) {
      if (row.status === 'succeeded' || row.status === 'skipped') {
        outputs[row.stepId] = { status: row.status, output: row.output };
        continue;
      }
      if (row.status === 'failed' || row.status === 'rejected' || row.status === 'expired' || row.status === 'cancelled') {
        await this.end(run, row.status, { step: row.stepId });
        return;
      }
      const step = definition.find((candidate) => candidate.id === row.stepId);
      const outcome: Outcome =
        step === undefined
          ? await this.failStep(run, row, `step ${row.stepId} is not in the stored workflow definition`)
          : await this.advanceStep(run, step, row, runContext(info, subjects, { ...outputs }), stop);
      if (outcome.kind === 'next') {
        outputs[row.stepId] = { status: outcome.status, output: outcome.output };
        continue;
      }
      if (outcome.kind === 'wait') {
        await this.transition(run.id, async (tx) => {
          await outcome.prepare?.(tx);
          await updateOpenRun(tx, run.id, outcome.status, this.clock(), { at: outcome.until, release: true });
        });
        this.noteDue(outcome.until);
        return;
      }
      await this.end(run, outcome.status, { step: row.stepId });
      return;
    }
    await this.end(run, 'succeeded', {});
  }

  private async end(run: StoredRun, status: RunStatus, detail: Record<string, unknown>): Promise<void> {
    await this.transition(run.id, async (tx) => {
      await finishRun(tx, run.id, status, this.clock());
      await this.audit(tx, run.id, undefined, `run.${status}`, detail);
    });
    this.metrics?.runsFinished.inc({ workflow: run.workflow, status });
    const traced = currentRun();
    traced.set({ [INTELOPS.workflowStatus]: status });
    if (status === 'failed') {
      traced.fail(`workflow run ${status}${typeof detail.step === 'string' ? ` at step ${detail.step}` : ''}`);
    }
    this.logger.info({ run: run.id, workflow: run.workflow, status }, 'workflow run finished');
  }

  private async advanceStep(run: StoredRun, step: WorkflowStep, row: StoredStep, context: RunContext, stop: AbortSignal): Promise<Outcome> {
    const action = this.actions(step.action);
    if (action === undefined) {
      return this.failStep(run, row, `unknown action ${JSON.stringify(step.action)}`);
    }
    if (row.status === 'running') {
      if (row.interruptions >= this.maxInterruptions) {
        return this.failStep(run, row, `interrupted ${row.interruptions + 1} times while running (engine crashes or shutdowns); not re-run again`);
      }
      const prepared = this.prepare(run, step, row, action, context);
      return 'failure' in prepared ? this.failStep(run, row, prepared.failure) : this.attempt(run, step, row, action, prepared.input, context, stop, { resumed: true });
    }
    if (row.status === 'waiting_approval') {
      return this.awaitApproval(run, step, row, action, context, stop);
    }
    if (row.nextAttemptAt !== null && row.nextAttemptAt > this.clock()) {
      return { kind: 'wait', until: row.nextAttemptAt, status: 'running' };
    }
    if (row.attempt > 0) {
      const prepared = this.prepare(run, step, row, action, context);
      return 'failure' in prepared ? this.failStep(run, row, prepared.failure) : this.attempt(run, step, row, action, prepared.input, context, stop, { resumed: false });
    }
    return this.begin(run, step, row, action, context, stop);
  }

  /** The first look at a step: its condition, its input, then a dry-run record, an approval request or the first attempt. */
  private async begin(run: StoredRun, step: WorkflowStep, row: StoredStep, action: ActionDefinition, context: RunContext, stop: AbortSignal): Promise<Outcome> {
    if (step.if !== undefined) {
      let holds: boolean;
      try {
        holds = this.evaluate(step.if, context);
      } catch (error) {
        return this.failStep(run, row, `if ${JSON.stringify(step.if)} could not be evaluated: ${messageOf(error)}`);
      }
      if (!holds) {
        await this.transition(run.id, async (tx) => {
          await updateStep(tx, run.id, row.stepId, { status: 'skipped', output: null, finishedAt: this.clock() });
          await this.audit(tx, run.id, row.stepId, 'step.skipped', { if: step.if });
        });
        return { kind: 'next', status: 'skipped', output: null };
      }
    }
    const prepared = this.prepare(run, step, row, action, context);
    if ('failure' in prepared) {
      return this.failStep(run, row, prepared.failure);
    }
    const { input, description } = prepared;
    const decision = decideStep(this.policy, { action: action.name, sideEffect: action.sideEffect, approval: step.approval }, policySubject(context));
    if (run.dryRun) {
      const output = { dryRun: true, description, approval: decision.approval };
      await this.transition(run.id, async (tx) => {
        await updateStep(tx, run.id, row.stepId, { status: 'succeeded', input: this.redactValue(input), output, finishedAt: this.clock() });
        await this.audit(tx, run.id, row.stepId, 'step.dry_run', { description, approval: decision.approval, policy: decision.reason });
      });
      return { kind: 'next', status: 'succeeded', output };
    }
    if (action.holdUntil !== undefined) {
      // Computed once, at the first look, and kept as the step's next attempt, so a restart does not move it.
      let until: Date;
      try {
        until = row.nextAttemptAt ?? action.holdUntil(input, this.clock());
      } catch (error) {
        return this.failStep(run, row, messageOf(error));
      }
      if (until > this.clock()) {
        return {
          kind: 'wait',
          until,
          status: 'running',
          prepare: async (tx) => {
            await updateStep(tx, run.id, row.stepId, { status: 'pending', input: this.redactValue(input), startedAt: row.startedAt ?? this.clock(), nextAttemptAt: until });
            if (row.nextAttemptAt === null) {
              await this.audit(tx, run.id, row.stepId, 'step.waiting', { until: until.toISOString(), description });
            }
          },
        };
      }
    }
    if (decision.approval) {
      const requestedAt = this.clock();
      const expiresAt = new Date(requestedAt.getTime() + this.policy.approvalExpiryMs);
      const approvalId = randomUUID();
      return {
        kind: 'wait',
        until: expiresAt,
        status: 'waiting_approval',
        prepare: async (tx) => {
          await insertApproval(tx, { id: approvalId, runId: run.id, stepId: row.stepId, what: description, requestedAt, expiresAt });
          await updateStep(tx, run.id, row.stepId, { status: 'waiting_approval', input: this.redactValue(input) });
          await this.audit(tx, run.id, row.stepId, 'approval.requested', { approval: approvalId, what: description, policy: decision.reason, expiresAt: expiresAt.toISOString() });
        },
      };
    }
    return this.attempt(run, step, row, action, input, context, stop, { resumed: false, policy: decision.reason });
  }

  /** The step's input rendered and checked, with the sentence that describes it; or why it cannot run. */
  private prepare(run: StoredRun, step: WorkflowStep, row: StoredStep, action: ActionDefinition, context: RunContext): { input: unknown; description: string } | { failure: string } {
    try {
      const input = this.checkInput(action, this.render(step.with, context));
      return { input, description: this.secrets.redact(action.describe(input)) };
    } catch (error) {
      return { failure: `input of step ${row.stepId} (run ${run.id}): ${messageOf(error)}` };
    }
  }

  private async awaitApproval(run: StoredRun, step: WorkflowStep, row: StoredStep, action: ActionDefinition, context: RunContext, stop: AbortSignal): Promise<Outcome> {
    const approval = await approvalForStep(this.store, run.id, row.stepId);
    if (approval === undefined) {
      return this.failStep(run, row, 'the step waits for an approval that does not exist');
    }
    if (approval.decision === 'approved') {
      const prepared = this.prepare(run, step, row, action, context);
      if ('failure' in prepared) {
        return this.failStep(run, row, prepared.failure);
      }
      if (prepared.description !== approval.what) {
        return this.failStep(run, row, `what the step would do changed since it was approved (approved: ${approval.what}; now: ${prepared.description})`);
      }
      return this.attempt(run, step, row, action, prepared.input, context, stop, { resumed: false, policy: `approved by ${approval.decidedBy ?? 'someone'}` });
    }
    if (approval.decision === 'rejected') {
      await this.transition(run.id, async (tx) => {
        const reason = approval.reason === null ? '' : `: ${approval.reason}`;
        await updateStep(tx, run.id, row.stepId, { status: 'rejected', error: `rejected by ${approval.decidedBy ?? 'someone'}${reason}`, finishedAt: this.clock() });
        await this.audit(tx, run.id, row.stepId, 'step.rejected', { approval: approval.id, by: approval.decidedBy });
      });
      return { kind: 'end', status: 'rejected' };
    }
    if (approval.decision === null && approval.expiresAt > this.clock()) {
      return { kind: 'wait', until: approval.expiresAt, status: 'waiting_approval' };
    }
    let expired = false;
    await this.transition(run.id, async (tx) => {
      // A person may have decided in the meantime: expire only what is still undecided.
      const locked = await lockApproval(tx, approval.id);
      if (locked === undefined || (locked.decision !== null && locked.decision !== 'expired')) {
        return;
      }
      expired = true;
      const now = this.clock();
      if (locked.decision === null) {
        await decideApproval(tx, approval.id, { decision: 'expired', by: null, at: now, reason: null });
      }
      await updateStep(tx, run.id, row.stepId, { status: 'expired', error: `approval expired at ${approval.expiresAt.toISOString()} without a decision`, finishedAt: now });
      await this.audit(tx, run.id, row.stepId, 'approval.expired', { approval: approval.id, expiresAt: approval.expiresAt.toISOString() });
    });
    return expired ? { kind: 'end', status: 'expired' } : { kind: 'wait', until: this.clock(), status: 'waiting_approval' };
  }

  /** One attempt: recorded as running (committed) before the action is called, its result recorded after. */
  private async attempt(
    run: StoredRun,
    step: WorkflowStep,
    row: StoredStep,
    action: ActionDefinition,
    input: unknown,
    context: RunContext,
    stop: AbortSignal,
    how: { resumed: boolean; policy?: string }
  ): Promise<Outcome> {
    // A resumed attempt is the interrupted one again, not a retry: it keeps its number.
    const attempt = how.resumed ? Math.max(row.attempt, 1) : row.attempt + 1;
    const patch: StepPatch = { status: 'running', attempt, input: this.redactValue(input), startedAt: row.startedAt ?? this.clock(), nextAttemptAt: null };
    if (how.resumed) {
      patch.interruptions = row.interruptions + 1;
    }
    await this.transition(run.id, async (tx) => {
      await updateStep(tx, run.id, row.stepId, patch);
      await updateOpenRun(tx, run.id, 'running', this.clock(), { at: this.clock(), release: false });
      await this.audit(tx, run.id, row.stepId, how.resumed ? 'step.resumed' : 'step.started', {
        action: action.name,
        attempt,
        idempotencyKey: row.idempotencyKey,
        runner: this.runnerId,
        ...(how.policy === undefined ? {} : { policy: how.policy }),
      });
    });
    const started = performance.now();
    const logger = this.logger.child({ run: run.id, workflow: run.workflow, step: row.stepId, action: action.name });
    let output: unknown;
    try {
      const sources = typeof this.sources === 'function' ? await this.sources() : this.sources;
      output = await traceStep(
        `action ${action.name}`,
        'action',
        {
          [INTELOPS.workflowRunId]: run.id,
          [INTELOPS.stepId]: row.stepId,
          [INTELOPS.attempt]: attempt,
          [INTELOPS.actionInput]: this.spanText(input),
        },
        async (span) => {
          try {
            const answered = await runAction(action, input, { idempotencyKey: row.idempotencyKey, dryRun: false, secrets: this.secrets, http: this.http, sources, logger }, step.timeoutMs, stop);
            span.set({ [INTELOPS.outcome]: 'succeeded', [INTELOPS.actionOutput]: this.spanText(answered) });
            return answered;
          } catch (error) {
            span.set({ [INTELOPS.outcome]: stop.aborted ? 'interrupted' : error instanceof StepTimeoutError ? 'timeout' : 'failed' });
            span.fail(this.secrets.redact(messageOf(error)));
            throw error;
          }
        }
      );
    } catch (error) {
      if (stop.aborted) {
        throw stop.reason instanceof Error ? stop.reason : new StoppedError('stopped');
      }
      // A step timeout is worth another attempt; otherwise the action's error says whether one could help.
      const again = error instanceof StepTimeoutError || this.retryable(error);
      const elapsedMs = performance.now() - started;
      this.metrics?.stepDuration.observe({ action: action.name, outcome: error instanceof StepTimeoutError ? 'timeout' : 'error' }, elapsedMs / 1000);
      return this.attemptFailed(run, step, row, attempt, this.secrets.redact(messageOf(error)), Math.round(elapsedMs), again);
    }
    const stored = this.redactValue(output);
    const elapsedMs = performance.now() - started;
    this.metrics?.stepDuration.observe({ action: action.name, outcome: 'ok' }, elapsedMs / 1000);
    const durationMs = Math.round(elapsedMs);
    await this.transition(run.id, async (tx) => {
      await updateStep(tx, run.id, row.stepId, { status: 'succeeded', output: stored, error: null, finishedAt: this.clock() });
      await this.audit(tx, run.id, row.stepId, 'step.succeeded', { attempt, durationMs });
    });
    return { kind: 'next', status: 'succeeded', output: stored };
  }

  private async attemptFailed(
    run: StoredRun,
    step: WorkflowStep,
    row: StoredStep,
    attempt: number,
    error: string,
    durationMs: number,
    retryable: boolean
  ): Promise<Outcome> {
    this.logger.warn({ run: run.id, workflow: run.workflow, step: row.stepId, attempt, error, retryable }, 'workflow step attempt failed');
    if (retryable && attempt <= step.retries) {
      const backoffMs = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
      const next = new Date(this.clock().getTime() + backoffMs);
      return {
        kind: 'wait',
        until: next,
        status: 'running',
        prepare: async (tx) => {
          await updateStep(tx, run.id, row.stepId, { status: 'pending', error, nextAttemptAt: next });
          await this.audit(tx, run.id, row.stepId, 'step.retry_scheduled', { attempt, error, durationMs, backoffMs, nextAttemptAt: next.toISOString() });
        },
      };
    }
    await this.transition(run.id, async (tx) => {
      await updateStep(tx, run.id, row.stepId, { status: 'failed', error, finishedAt: this.clock() });
      await this.audit(tx, run.id, row.stepId, 'step.failed', { attempt, error, durationMs });
    });
    return { kind: 'end', status: 'failed' };
  }

  /** Fails a step without calling its action (bad input, unknown action, a condition that cannot be evaluated). */
  private async failStep(run: StoredRun, row: StoredStep, message: string): Promise<Outcome> {
    const error = this.secrets.redact(message);
    this.logger.warn({ run: run.id, workflow: run.workflow, step: row.stepId, error }, 'workflow step failed');
    await this.transition(run.id, async (tx) => {
      await updateStep(tx, run.id, row.stepId, { status: 'failed', error, finishedAt: this.clock() });
      await this.audit(tx, run.id, row.stepId, 'step.failed', { error });
    });
    return { kind: 'end', status: 'failed' };
  }

  /** A value as a span shows it: JSON with every secret scrubbed, only when a run is being traced. */
  private spanText(value: unknown): string | undefined {
    if (this.tracing === undefined) {
      return undefined;
    }
    const clean = this.redactValue(value);
    return typeof clean === 'string' ? clean : JSON.stringify(clean);
  }

  /** Text with every secret value scrubbed. */
  redactText(text: string): string {
    return this.secrets.redact(text);
  }

  /** A value with every secret value scrubbed, as JSON; text when scrubbing left no valid JSON. */
  redactValue(value: unknown): unknown {
    if (value === undefined) {
      return null;
    }
    const text: string | undefined = JSON.stringify(value);
    if (text === undefined) {
      return null;
    }
    const clean = this.secrets.redact(text);
    if (clean === text) {
      return JSON.parse(text);
    }
    try {
      return JSON.parse(clean);
    } catch {
      return clean;
    }
  }
}
