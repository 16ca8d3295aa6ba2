import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IncidentListSchema } from '../../engine/src/server/routes/incidents.ts';
import { RcaResultSchema } from '../../engine/src/server/routes/rca.ts';
import {
  ApprovalListSchema,
  ApprovalSchema,
  RunDetailSchema,
  RunListSchema,
} from '../../engine/src/server/routes/workflowRuns.ts';
import { WorkflowListSchema, WorkflowViewSchema } from '../../engine/src/server/routes/workflows.ts';
import { DraftSchema } from '../../engine/src/server/routes/workflowDraft.ts';
import { builtInActions } from '../../engine/src/execution/actions/registry.ts';
import { describeStep } from '../../engine/src/execution/workflows/draftWorkflow.ts';
import { parseWorkflow } from '../../engine/src/execution/workflows/parseWorkflow.ts';
import { compileBodyValidator } from '../../engine/src/server/validation.ts';
import { AgentRunListSchema, AgentRunSchema, AgentRunSummarySchema } from '../../engine/src/server/routes/agentRuns.ts';
import { EvalsSchema } from '../../engine/src/server/routes/evals.ts';

interface Fixtures {
  checkoutRcaJson(now: number): unknown;
  ordersRcaJson(now: number): unknown;
}

interface IncidentFixtures {
  incidentListJson(now: number): unknown;
}

// The plugin’s tests and browser harness answer with these bodies; they must be what the engine can send. The
// fixtures are plugin code (no module type of their own), so they are loaded at run time, not type-checked here.
interface WorkflowFixtures {
  WORKFLOW_NAMES: string[];
  RUN_IDS: Record<string, string>;
  APPROVAL_IDS: Record<string, string>;
  workflowListJson(now: number): unknown;
  workflowJson(now: number, name: string): unknown;
  runListJson(now: number): unknown;
  runJson(now: number, id: string): unknown;
  dryRunJson(now: number, id: string, workflow: string, startedMs: number, finished: boolean): unknown;
  approvalListJson(now: number): unknown;
  startedRunJson(
    now: number,
    id: string,
    workflow: string,
    inputs: Record<string, unknown>,
    startedMs: number
  ): unknown;
  cancelledRunJson(run: unknown, now: number, by: string, reason: string | null): unknown;
  workflowDraftJson(valid: boolean): { yaml: string; errors: string[]; dryRun?: unknown[] };
  DRAFT_CRON_ERROR: string;
  decidedApprovalJson(
    now: number,
    id: string,
    decision: 'approved' | 'rejected',
    by: string,
    reason: string | null
  ): unknown;
}

const fixtures = (await import(
  new URL('../../src/datasource/testing/reasoningFixtures.ts', import.meta.url).href
)) as Fixtures;
const incidentFixtures = (await import(
  new URL('../../src/datasource/testing/incidentFixtures.ts', import.meta.url).href
)) as IncidentFixtures;

describe('the plugin’s root-cause fixtures', () => {
  const valid = compileBodyValidator(RcaResultSchema);
  const now = Date.parse('2026-11-20T10:00:00Z');
  for (const [name, body] of [
    ['checkout (LLM)', fixtures.checkoutRcaJson(now)],
    ['orders (graph)', fixtures.ordersRcaJson(now)],
  ] as const) {
    it(`${name} matches the engine’s RcaResult schema`, () => {
      assert.ok(valid(body), JSON.stringify(valid.errors));
    });
  }
});

describe('the plugin’s incident fixtures', () => {
  it('match the engine’s incident list schema (top cause included)', () => {
    const valid = compileBodyValidator(IncidentListSchema);
    const body = incidentFixtures.incidentListJson(Date.parse('2026-11-20T10:00:00Z'));
    assert.ok(valid(body), JSON.stringify(valid.errors));
  });
});

const workflowFixtures = (await import(
  new URL('../../src/datasource/testing/workflowFixtures.ts', import.meta.url).href
)) as WorkflowFixtures;

describe('the plugin’s workflow fixtures', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');

  it('list and define workflows as GET /workflows and /workflows/{name} answer', () => {
    const list = compileBodyValidator(WorkflowListSchema);
    assert.ok(list(workflowFixtures.workflowListJson(now)), JSON.stringify(list.errors));
    const view = compileBodyValidator(WorkflowViewSchema);
    for (const name of workflowFixtures.WORKFLOW_NAMES) {
      const body = workflowFixtures.workflowJson(now, name);
      assert.ok(body !== undefined, name);
      assert.ok(view(body), `${name}: ${JSON.stringify(view.errors)}`);
    }
  });

  it('list runs and give each run’s detail as GET /workflow-runs and /workflow-runs/{id} answer', () => {
    const list = compileBodyValidator(RunListSchema);
    assert.ok(list(workflowFixtures.runListJson(now)), JSON.stringify(list.errors));
    const detail = compileBodyValidator(RunDetailSchema);
    for (const id of Object.values(workflowFixtures.RUN_IDS)) {
      const body = workflowFixtures.runJson(now, id);
      assert.ok(body !== undefined, id);
      assert.ok(detail(body), `${id}: ${JSON.stringify(detail.errors)}`);
    }
    for (const finished of [false, true]) {
      const body = workflowFixtures.dryRunJson(now, 'dry', 'restart-payments', now - 1000, finished);
      assert.ok(detail(body), `dry run (finished: ${finished}): ${JSON.stringify(detail.errors)}`);
    }
  });

  it('list approvals and answer decisions as GET /approvals and POST /approvals/{id}/approve do', () => {
    const list = compileBodyValidator(ApprovalListSchema);
    assert.ok(list(workflowFixtures.approvalListJson(now)), JSON.stringify(list.errors));
    const one = compileBodyValidator(ApprovalSchema);
    const decided = workflowFixtures.decidedApprovalJson(
      now,
      workflowFixtures.APPROVAL_IDS.restart ?? '',
      'approved',
      'admin',
      'ok'
    );
    assert.ok(decided !== undefined);
    assert.ok(one(decided), JSON.stringify(one.errors));
  });

  it('define each workflow as the engine reads its text (triggers, condition, steps with their defaults)', () => {
    const actions = builtInActions({ llm: () => undefined });
    for (const name of workflowFixtures.WORKFLOW_NAMES) {
      const view = workflowFixtures.workflowJson(now, name);
      assert.ok(typeof view === 'object' && view !== null && 'text' in view && typeof view.text === 'string', name);
      const parsed = parseWorkflow(view.text, name, actions);
      const { description, triggers, steps } = parsed;
      assert.deepEqual(
        {
          description: Reflect.get(view, 'description'),
          triggers: Reflect.get(view, 'triggers'),
          steps: Reflect.get(view, 'steps'),
          if: Reflect.get(view, 'if'),
        },
        { description, triggers, steps, if: parsed.if },
        name
      );
    }
  });

  it('give runs started by hand, and cancelled runs, as GET /workflow-runs/{id} and POST …/cancel answer', () => {
    const detail = compileBodyValidator(RunDetailSchema);
    const inputs = { service: 'checkout', replicas: 6, namespace: 'shop', notify: true };
    for (const workflow of ['scale-service', 'restart-payments']) {
      const started = workflowFixtures.startedRunJson(
        now,
        `run-${now - 60_000}-${workflow}`,
        workflow,
        inputs,
        now - 60_000
      );
      assert.ok(detail(started), `${workflow}: ${JSON.stringify(detail.errors)}`);
      const cancelled = workflowFixtures.cancelledRunJson(started, now, 'admin', 'wrong service');
      assert.ok(detail(cancelled), `${workflow} cancelled: ${JSON.stringify(detail.errors)}`);
    }
    const waiting = workflowFixtures.runJson(now, workflowFixtures.RUN_IDS.restartWaiting ?? '');
    const withdrawn = workflowFixtures.cancelledRunJson(waiting, now, 'admin', null);
    assert.ok(detail(withdrawn), JSON.stringify(detail.errors));
  });

  it('draft workflows as POST /workflows/draft answers, checked and described by the engine’s own code', () => {
    const valid = compileBodyValidator(DraftSchema);
    const actions = builtInActions({ llm: () => undefined });
    const good = workflowFixtures.workflowDraftJson(true);
    assert.ok(valid(good), JSON.stringify(valid.errors));
    const workflow = parseWorkflow(good.yaml, 'draft', actions);
    assert.equal(
      workflow.description,
      'Every morning, check checkout p95 latency and error rate and post a summary to #ops'
    );
    const described = workflow.steps.flatMap((step) => {
      const action = actions.get(step.action);
      return action === undefined ? [] : [describeStep(step, action)];
    });
    assert.deepEqual(good.dryRun, described);

    const bad = workflowFixtures.workflowDraftJson(false);
    assert.ok(valid(bad), JSON.stringify(valid.errors));
    assert.throws(() => parseWorkflow(bad.yaml, 'draft', actions), { message: workflowFixtures.DRAFT_CRON_ERROR });
    assert.deepEqual(bad.errors, [workflowFixtures.DRAFT_CRON_ERROR]);
  });
});

interface EvalsFixtures {
  evalsJson(now: number): unknown;
  emptyEvalsJson(now: number): unknown;
}

interface AgentRunFixtures extends EvalsFixtures {
  RUN_IDS: Record<string, string>;
  agentRunSummariesJson(now: number): unknown[];
  agentRunListJson(now: number): unknown;
  agentRunJson(now: number, id: string): unknown;
}

const agentRunFixtures = (await import(
  new URL('../../src/datasource/testing/agentRunFixtures.ts', import.meta.url).href
)) as AgentRunFixtures;
const evalsFixtures: EvalsFixtures = agentRunFixtures;

describe('the plugin’s agent run and eval fixtures', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');

  it('list runs as GET /runs answers, each summary as the engine sends it', () => {
    const list = compileBodyValidator(AgentRunListSchema);
    assert.ok(list(agentRunFixtures.agentRunListJson(now)), JSON.stringify(list.errors));
    const summary = compileBodyValidator(AgentRunSummarySchema);
    for (const run of agentRunFixtures.agentRunSummariesJson(now)) {
      assert.ok(summary(run), JSON.stringify(summary.errors));
    }
  });

  it('give every run with its spans as GET /runs/{id} answers', () => {
    const detail = compileBodyValidator(AgentRunSchema);
    for (const id of Object.values(agentRunFixtures.RUN_IDS)) {
      const body = agentRunFixtures.agentRunJson(now, id);
      assert.ok(body !== undefined, id);
      assert.ok(detail(body), `${id}: ${JSON.stringify(detail.errors)}`);
    }
  });

  it('score a busy day and an empty one as GET /evals answers', () => {
    const valid = compileBodyValidator(EvalsSchema);
    assert.ok(valid(evalsFixtures.evalsJson(now)), JSON.stringify(valid.errors));
    assert.ok(valid(evalsFixtures.emptyEvalsJson(now)), JSON.stringify(valid.errors));
  });
});
