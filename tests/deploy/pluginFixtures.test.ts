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
import { compileBodyValidator } from '../../engine/src/server/validation.ts';

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
});
