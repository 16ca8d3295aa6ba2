import {
  APPROVAL_IDS,
  approvalListJson,
  decidedApprovalJson,
  dryRunJson,
  RUN_IDS,
  runJson,
  runListJson,
} from '../datasource/testing/workflowFixtures';
import { fakeDatasourceLookup, type FakeProxy, intelOpsSettings } from './testing/fakeDatasources';
import {
  decideApproval,
  isOpenRun,
  loadApprovals,
  loadRuns,
  parseRunDetail,
  parseRunList,
  startRun,
} from './workflowsRuns';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const PROXY = '/api/datasources/proxy/uid/ds/engine/api/v1';

function engine(reply: FakeProxy) {
  return fakeDatasourceLookup([{ settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply }]);
}

describe('parsing runs', () => {
  it('reads the list and a run’s steps, approvals and audit trail', () => {
    expect(parseRunList(runListJson(NOW)).map((run) => run.status)).toEqual([
      'waiting_approval',
      'waiting_approval',
      'succeeded',
      'succeeded',
      'failed',
    ]);
    const run = parseRunDetail(runJson(NOW, RUN_IDS.morningFailed), '/x');
    expect(run.steps.map((step) => [step.id, step.status])).toEqual([
      ['latency', 'failed'],
      ['report', 'pending'],
    ]);
    expect(run.steps[0]?.error).toMatch(/needs Prometheus/);
    expect(run.audit.map((entry) => entry.event)).toEqual(['run.created', 'run.started', 'step.failed', 'run.failed']);
  });

  it('refuses a run without steps', () => {
    expect(() => parseRunDetail({ id: 'a', status: 'running' }, '/x')).toThrow(/no steps list/);
  });

  it('knows which runs are still going on', () => {
    expect(['queued', 'running', 'waiting_approval'].every(isOpenRun)).toBe(true);
    expect(['succeeded', 'failed', 'rejected', 'expired', 'cancelled'].some(isOpenRun)).toBe(false);
    expect(parseRunDetail(dryRunJson(NOW, 'd', 'restart-payments', NOW, false), '/x').status).toBe('running');
  });
});

describe('requests', () => {
  it('lists runs and pending approvals with their query parameters', async () => {
    const lookup = engine((request) => ({
      status: 200,
      data: request.url.endsWith('/approvals') ? approvalListJson(NOW) : runListJson(NOW),
    }));
    expect(await loadRuns(lookup, { workflow: 'restart-payments' })).toMatchObject({ state: 'ok' });
    expect(await loadApprovals(lookup)).toMatchObject({ state: 'ok', value: { length: 2 } });
    expect(lookup.requests.map((r) => [r.url, r.params])).toEqual([
      [`${PROXY}/workflow-runs`, { limit: 50, workflow: 'restart-payments' }],
      [`${PROXY}/approvals`, { state: 'pending' }],
    ]);
  });

  it('starts a dry run and gives its id', async () => {
    const lookup = engine({ status: 202, data: { id: 'r1', status: 'queued', dryRun: true } });
    expect(await startRun(lookup, 'restart-payments', { dryRun: true })).toMatchObject({
      value: { state: 'started', id: 'r1', dryRun: true },
    });
    expect(lookup.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', `${PROXY}/workflows/restart-payments/runs`, { dryRun: true }],
    ]);
  });

  it('sends a decision with its reason, trimmed, and reads the decided approval', async () => {
    const decided = decidedApprovalJson(NOW, APPROVAL_IDS.restart, 'approved', 'admin', 'stuck pods');
    const lookup = engine({ status: 200, data: decided });
    expect(await decideApproval(lookup, APPROVAL_IDS.restart, 'approve', '  stuck pods ')).toMatchObject({
      value: { state: 'decided', approval: { state: 'approved', decidedBy: 'admin', reason: 'stuck pods' } },
    });
    expect(lookup.requests.map((r) => [r.url, r.data])).toEqual([
      [`${PROXY}/approvals/${APPROVAL_IDS.restart}/approve`, { reason: 'stuck pods' }],
    ]);
  });

  it('gives the engine’s 403 (no Grafana user) as is, not as a token problem', async () => {
    const message =
      'Approving or rejecting needs the Grafana user who decides, and the X-Grafana-User header is missing';
    const lookup = engine({ status: 403, data: { statusCode: 403, error: 'Forbidden', message } });
    expect(await decideApproval(lookup, 'a1', 'reject', '')).toMatchObject({ value: { state: 'refused', message } });
    expect(lookup.requests[0]?.data).toEqual({});
  });
});
