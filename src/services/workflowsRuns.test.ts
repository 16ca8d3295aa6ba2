import {
  APPROVAL_IDS,
  approvalListJson,
  decidedApprovalJson,
  dryRunJson,
  cancelledRunJson,
  RUN_IDS,
  runEndedMessage,
  runJson,
  runListJson,
  startedRunJson,
} from '../datasource/testing/workflowFixtures';
import { fakeDatasourceLookup, type FakeProxy, intelOpsSettings } from './testing/fakeDatasources';
import {
  cancelRun,
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

describe('runs started by hand, and cancelling', () => {
  const inputs = { service: 'checkout', replicas: 6 };
  const started = startedRunJson(NOW, 'run-1-scale-service', 'scale-service', inputs, NOW - 60_000);

  it('reads the inputs a person gave, and a wait step holding the run', () => {
    const run = parseRunDetail(started, '/x');
    expect(run.inputs).toEqual(inputs);
    expect(run.status).toBe('running');
    expect(run.steps.find((step) => step.action === 'wait')).toMatchObject({
      status: 'pending',
      attempt: 0,
      nextAttemptAt: new Date(NOW - 60_000 + 1200 + 15 * 60_000).toISOString(),
    });
    expect(parseRunDetail(runJson(NOW, RUN_IDS.morningFailed), '/x').inputs).toEqual({});
  });

  it('cancels with a reason, trimmed, and reads the cancelled run', async () => {
    const lookup = engine({ status: 200, data: started && cancelledRunJson(started, NOW, 'admin', 'wrong service') });
    const result = await cancelRun(lookup, 'run-1-scale-service', ' wrong service ');
    expect(result).toMatchObject({ value: { state: 'cancelled', run: { status: 'cancelled' } } });
    const steps = result.state === 'ok' && result.value.state === 'cancelled' ? result.value.run.steps : [];
    expect(steps.map((step) => step.status)).toEqual(['succeeded', 'cancelled', 'cancelled', 'cancelled']);
    expect(lookup.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['POST', `${PROXY}/workflow-runs/run-1-scale-service/cancel`, { reason: 'wrong service' }],
    ]);
  });

  it('gives the engine’s 409 (the run already ended) and 404 as they are', async () => {
    const ended = runEndedMessage(RUN_IDS.morningFailed, 'failed');
    const lookup = engine({ status: 409, data: { statusCode: 409, error: 'Conflict', message: ended } });
    expect(await cancelRun(lookup, RUN_IDS.morningFailed, '')).toMatchObject({
      value: { state: 'refused', message: ended },
    });
    expect(lookup.requests[0]?.data).toEqual({});
    const unknown = 'No workflow run with id "nope"';
    const missing = engine({ status: 404, data: { statusCode: 404, error: 'Not Found', message: unknown } });
    expect(await cancelRun(missing, 'nope', '')).toMatchObject({ value: { state: 'refused', message: unknown } });
  });
});
