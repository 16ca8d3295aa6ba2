import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { RunnerRequestError } from '../../execution/runs/runner.ts';
import type { RunView, WorkflowRunner } from '../../execution/runs/runner.ts';
import type { Workflow } from '../../execution/types.ts';
import { invalidInput, quote } from '../../invalidInput.ts';
import { RUN_STATUSES } from '../../store/workflowRuns.ts';
import type { StoredApproval, StoredRun } from '../../store/workflowRuns.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';
import { compileBodyValidator } from '../validation.ts';

export interface WorkflowRunRoutesOptions {
  runner: WorkflowRunner;
  /** The workflow of a name, or undefined when there is none. */
  workflow: (name: string) => Workflow | undefined | Promise<Workflow | undefined>;
}

/** Grafana's data proxy sends the signed-in user's login in this header; the app's plugin route forwards it. */
export const GRAFANA_USER_HEADER = 'x-grafana-user';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, description: `At most this many, newest first (default ${DEFAULT_LIMIT})` }));
const Time = Type.String({ format: 'date-time' });
const OptionalTime = Type.Union([Time, Type.Null()]);

export const RunSummarySchema = Type.Object(
  {
    id: Type.String(),
    workflow: Type.String(),
    trigger: Type.String(),
    dryRun: Type.Boolean(),
    status: Type.String({ enum: [...RUN_STATUSES] }),
    createdAt: Time,
    updatedAt: Time,
    finishedAt: OptionalTime,
  },
  { title: 'WorkflowRunSummary' }
);

export const ApprovalSchema = Type.Object(
  {
    id: Type.String(),
    runId: Type.String(),
    workflow: Type.String(),
    stepId: Type.String(),
    what: Type.String({ description: 'What the step will do, to whom' }),
    state: Type.String({ enum: ['pending', 'approved', 'rejected', 'expired', 'cancelled'] }),
    requestedAt: Time,
    expiresAt: Time,
    decidedBy: Type.Union([Type.String(), Type.Null()], { description: 'The Grafana login of who decided' }),
    decidedAt: OptionalTime,
    reason: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'WorkflowApproval' }
);

export const RunDetailSchema = Type.Object(
  {
    ...RunSummarySchema.properties,
    context: Type.Unknown({ description: 'The trigger’s incident, RCA, change and inputs, secrets redacted' }),
    definition: Type.Unknown({ description: 'The workflow as it was when the run started' }),
    steps: Type.Array(
      Type.Object({
        id: Type.String(),
        action: Type.String(),
        index: Type.Integer(),
        status: Type.String(),
        attempt: Type.Integer({ description: 'Attempts made so far' }),
        idempotencyKey: Type.String({ description: 'The same on every attempt: receivers deduplicate by it' }),
        input: Type.Unknown(),
        output: Type.Unknown(),
        error: Type.Union([Type.String(), Type.Null()]),
        startedAt: OptionalTime,
        finishedAt: OptionalTime,
        nextAttemptAt: OptionalTime,
      })
    ),
    approvals: Type.Array(ApprovalSchema),
    audit: Type.Array(
      Type.Object({
        at: Time,
        actor: Type.String({ description: 'engine, or the Grafana login of a person' }),
        event: Type.String(),
        stepId: Type.Union([Type.String(), Type.Null()]),
        detail: Type.Unknown(),
      })
    ),
  },
  { title: 'WorkflowRun' }
);

export const RunListSchema = Type.Object({ runs: Type.Array(RunSummarySchema) });
export const ApprovalListSchema = Type.Object({ approvals: Type.Array(ApprovalSchema) });

function runSummary(run: StoredRun) {
  return {
    id: run.id,
    workflow: run.workflow,
    trigger: run.trigger,
    dryRun: run.dryRun,
    status: run.status,
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

function approvalView(approval: StoredApproval, now: Date) {
  const state = approval.decision ?? (approval.expiresAt <= now ? 'expired' : 'pending');
  return {
    id: approval.id,
    runId: approval.runId,
    workflow: approval.workflow,
    stepId: approval.stepId,
    what: approval.what,
    state,
    requestedAt: approval.requestedAt.toISOString(),
    expiresAt: approval.expiresAt.toISOString(),
    decidedBy: approval.decidedBy,
    decidedAt: approval.decidedAt?.toISOString() ?? null,
    reason: approval.reason,
  };
}

/** A run as GET /workflow-runs/{id} shows it. */
function runDetail(runner: WorkflowRunner, view: RunView) {
  const now = new Date();
  // Stored values were scrubbed when written; scrubbing again covers secrets set since.
  const scrub = (value: unknown) => runner.redactValue(value);
  const text = (value: string | null) => (value === null ? null : runner.redactText(value));
  return {
    ...runSummary(view.run),
    context: scrub(view.run.context),
    definition: scrub(view.run.definition),
    steps: view.steps.map((step) => ({
      id: step.stepId,
      action: step.action,
      index: step.index,
      status: step.status,
      attempt: step.attempt,
      idempotencyKey: step.idempotencyKey,
      input: scrub(step.input),
      output: scrub(step.output),
      error: text(step.error),
      startedAt: step.startedAt?.toISOString() ?? null,
      finishedAt: step.finishedAt?.toISOString() ?? null,
      nextAttemptAt: step.nextAttemptAt?.toISOString() ?? null,
    })),
    approvals: view.approvals.map((approval) => approvalView({ ...approval, what: runner.redactText(approval.what), reason: text(approval.reason) }, now)),
    audit: view.audit.map((entry) => ({ at: entry.at.toISOString(), actor: entry.actor, event: entry.event, stepId: entry.stepId, detail: scrub(entry.detail) })),
  };
}

const inputValidators = new WeakMap<object, ValidateFunction>();

/** The manual trigger's inputs schema, compiled once per workflow definition. */
function inputsValidator(schema: Record<string, unknown>): ValidateFunction {
  let validate = inputValidators.get(schema);
  if (validate === undefined) {
    try {
      validate = compileBodyValidator(schema);
    } catch (error) {
      throw invalidInput(`the workflow's manual trigger has an inputs schema that does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
    inputValidators.set(schema, validate);
  }
  return validate;
}

/** The Grafana user who asked, or `api` for a call with the engine token alone. */
function requestActor(request: FastifyRequest): string {
  const header = request.headers[GRAFANA_USER_HEADER];
  return (Array.isArray(header) ? header[0] : header)?.trim() || 'api';
}

/** The deciding user, or a 403 saying why none was found. */
function grafanaUser(request: FastifyRequest): string {
  const header = request.headers[GRAFANA_USER_HEADER];
  const login = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (login === '') {
    throw new RunnerRequestError(
      403,
      'Approving or rejecting needs the Grafana user who decides, and the X-Grafana-User header is missing: decide from the IntelOps app in Grafana, whose plugin route sends it'
    );
  }
  if (login.length > 256 || /[\u0000-\u001f\u007f]/.test(login)) {
    throw invalidInput('the X-Grafana-User header must be a login of at most 256 characters without control characters');
  }
  return login;
}

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const DecisionBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 4096, description: 'Why, kept in the audit trail' })) }, { additionalProperties: false }),
  Type.Null(),
]);

/**
 * Workflow runs and approvals: start a manual (or dry) run, list and read runs with their steps and audit trail,
 * list approvals and approve or reject them as the Grafana user named by X-Grafana-User.
 */
export const workflowRunRoutes: FastifyPluginAsyncTypebox<WorkflowRunRoutesOptions> = async (app, { runner, workflow }) => {
  app.post(
    '/workflows/:name/runs',
    {
      schema: {
        summary: 'Run a workflow now, with inputs, or as a dry run',
        description:
          'A dry run renders every step and records what it would do (and whether it would need approval) without acting; any workflow can be ' +
          'dry-run. A real run needs a `manual` trigger, whose `inputs` schema checks the inputs. Answers 202: the run goes on in the background.',
        tags: ['execution'],
        params: NameParams,
        body: Type.Object(
          {
            inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'As the manual trigger’s inputs schema says' })),
            dryRun: Type.Optional(Type.Boolean({ description: 'Describe, do not act (default false)' })),
          },
          { additionalProperties: false, title: 'WorkflowRunRequest' }
        ),
        response: {
          202: Type.Object({ id: Type.String(), status: Type.String(), dryRun: Type.Boolean() }, { title: 'WorkflowRunStarted' }),
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const found = await workflow(request.params.name);
      if (found === undefined) {
        return reply.code(404).send(errorBody(404, `No workflow named ${quote(request.params.name)}`));
      }
      const dryRun = request.body.dryRun ?? false;
      const inputs = request.body.inputs ?? {};
      const manual = found.triggers.find((trigger) => trigger.on === 'manual');
      if (manual === undefined && !dryRun) {
        return reply.code(409).send(errorBody(409, `Workflow ${quote(found.name)} has no manual trigger: add "- on: manual" to its triggers to run it by hand, or start a dry run`));
      }
      if (manual?.inputs !== undefined) {
        const validate = inputsValidator(manual.inputs);
        if (!validate(inputs)) {
          const error = validate.errors?.[0];
          throw invalidInput(`body/inputs${error?.instancePath ?? ''} ${error?.message ?? 'is invalid'}`);
        }
      }
      const id = await runner.start(found, 'manual', { inputs }, { dryRun, actor: requestActor(request) });
      return reply.code(202).header('location', `/api/v1/workflow-runs/${id}`).send({ id, status: 'queued', dryRun });
    }
  );

  app.get(
    '/workflow-runs',
    {
      schema: {
        summary: 'Workflow runs, newest first',
        tags: ['execution'],
        querystring: Type.Object(
          {
            status: Type.Optional(Type.String({ enum: [...RUN_STATUSES] })),
            workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            limit: Limit,
          },
          { additionalProperties: false }
        ),
        response: { 200: RunListSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const { status, workflow: name, limit } = request.query;
      const statuses = RUN_STATUSES.filter((candidate) => candidate === status);
      const runs = await runner.listRuns({ statuses: status === undefined ? undefined : statuses, workflow: name, limit: limit ?? DEFAULT_LIMIT });
      return { runs: runs.map(runSummary) };
    }
  );

  app.get(
    '/workflow-runs/:id',
    {
      schema: {
        summary: 'A workflow run: its steps with their outputs, its approvals and its audit trail (secrets redacted)',
        tags: ['execution'],
        params: IdParams,
        response: { 200: RunDetailSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const view = await runner.getRun(request.params.id);
      if (view === undefined) {
        return reply.code(404).send(errorBody(404, `No workflow run with id ${quote(request.params.id)}`));
      }
      return runDetail(runner, view);
    }
  );

  app.post(
    '/workflow-runs/:id/cancel',
    {
      schema: {
        summary: 'Cancel an open run: no further step starts, pending approvals are withdrawn',
        description:
          `Queued, running and waiting runs end as cancelled, with their unfinished steps and undecided approvals. Recorded as the Grafana user in the ` +
          `${GRAFANA_USER_HEADER} header, or "api" for a call with the engine token alone. 409 when the run already ended.`,
        tags: ['execution'],
        params: IdParams,
        body: DecisionBody,
        response: { 200: RunDetailSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
    },
    async (request) => {
      const by = requestActor(request);
      await runner.cancel(request.params.id, by, request.body?.reason);
      request.log.info({ run: request.params.id, by }, 'workflow run cancelled');
      const view = await runner.getRun(request.params.id);
      if (view === undefined) {
        throw new RunnerRequestError(404, `No workflow run with id ${quote(request.params.id)}`);
      }
      return runDetail(runner, view);
    }
  );

  app.get(
    '/approvals',
    {
      schema: {
        summary: 'Approval requests of side-effecting steps, newest first',
        description: 'state=pending (default): undecided and not expired; decided: approved, rejected or expired; all.',
        tags: ['execution'],
        querystring: Type.Object(
          { state: Type.Optional(Type.String({ enum: ['pending', 'decided', 'all'] })), limit: Limit },
          { additionalProperties: false }
        ),
        response: { 200: ApprovalListSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const state = request.query.state === 'decided' || request.query.state === 'all' ? request.query.state : 'pending';
      const now = new Date();
      const approvals = await runner.listApprovals(state, request.query.limit ?? DEFAULT_LIMIT);
      return { approvals: approvals.map((approval) => approvalView(approval, now)) };
    }
  );

  for (const [verb, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/approvals/:id/${verb}`,
      {
        schema: {
          summary: verb === 'approve' ? 'Approve a pending step: it runs at once' : 'Reject a pending step: its run ends as rejected',
          description: `Recorded as the Grafana user in the ${GRAFANA_USER_HEADER} header (sent by the app's plugin route); refused without it.`,
          tags: ['execution'],
          params: IdParams,
          body: DecisionBody,
          response: {
            200: ApprovalSchema,
            400: ErrorResponseSchema,
            401: ErrorResponseSchema,
            403: ErrorResponseSchema,
            404: ErrorResponseSchema,
            409: ErrorResponseSchema,
          },
        },
      },
      async (request) => {
        const by = grafanaUser(request);
        const reason = request.body?.reason;
        const decided = await runner.decide(request.params.id, decision, by, reason);
        request.log.info({ approval: decided.id, run: decided.runId, decision, by }, 'workflow approval decided');
        return approvalView(decided, new Date());
      }
    );
  }
};
