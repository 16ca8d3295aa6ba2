import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../../invalidInput.ts';
import { DEFAULT_POLICY, decideStep, parsePolicy, policySubject } from './policy.ts';

const webhook = { action: 'webhook', sideEffect: true, approval: 'auto' } as const;

describe('execution policy', () => {
  it('by default lets only Grafana annotations run unattended among side effects', () => {
    const subject = { services: ['checkout'], severity: 'critical' };
    assert.equal(decideStep(DEFAULT_POLICY, { action: 'grafana_annotation', sideEffect: true, approval: 'auto' }, subject).approval, false);
    assert.deepEqual(decideStep(DEFAULT_POLICY, webhook, subject), { approval: true, reason: 'no unattended rule allows webhook for services checkout and severity critical' });
    assert.equal(decideStep(DEFAULT_POLICY, { action: 'inspection', sideEffect: false, approval: 'auto' }, subject).approval, false);
    assert.equal(DEFAULT_POLICY.approvalExpiryMs, 3_600_000);
  });

  it('allows by action, and by service and severity when a rule names them', () => {
    const policy = parsePolicy(
      `approvalExpiry: 30m
unattended:
  - actions: [slack, webhook]
    services: [checkout, cart]
    severities: [warning]
  - actions: [remediation]
    services: [batch]
`,
      'policy.yaml'
    );
    assert.equal(policy.approvalExpiryMs, 1_800_000);
    assert.equal(decideStep(policy, webhook, { services: ['checkout'], severity: 'warning' }).approval, false);
    assert.equal(decideStep(policy, webhook, { services: ['checkout', 'cart'], severity: 'warning' }).approval, false);
    assert.equal(decideStep(policy, webhook, { services: ['checkout', 'payments'], severity: 'warning' }).approval, true, 'every service must be allowed');
    assert.equal(decideStep(policy, webhook, { services: ['checkout'], severity: 'critical' }).approval, true);
    assert.equal(decideStep(policy, webhook, { services: [], severity: 'warning' }).approval, true, 'a run without services is not allowed by a rule naming services');
    const remediation = { action: 'remediation', sideEffect: true, approval: 'auto' } as const;
    assert.deepEqual(decideStep(policy, remediation, { services: ['batch'], severity: undefined }), { approval: false, reason: 'unattended rule 2 allows remediation' });
    assert.equal(decideStep(policy, { ...remediation, approval: 'required' }, { services: ['batch'], severity: undefined }).approval, true);
  });

  it('allows by workflow when a rule names workflows', () => {
    const policy = parsePolicy('unattended:\n  - actions: [webhook]\n    workflows: [demo-shop-faults]\n', 'policy.yaml');
    assert.deepEqual(decideStep(policy, webhook, { workflow: 'demo-shop-faults', services: [], severity: undefined }), { approval: false, reason: 'unattended rule 1 allows webhook' });
    assert.deepEqual(decideStep(policy, webhook, { workflow: 'incident-response', services: ['checkout'], severity: undefined }), {
      approval: true,
      reason: 'no unattended rule allows webhook for workflow incident-response and services checkout',
    });
    assert.equal(decideStep(policy, webhook, { services: [], severity: undefined }).approval, true, 'a subject without a workflow is not in the list');
  });

  it("reads the run's workflow, the services and severity of the incident, or the service of the change", () => {
    const run = { id: 'r1', workflow: 'incident-response', trigger: 'rca.ready', dryRun: false, startedAt: '2026-11-24T08:00:00Z' } as const;
    assert.deepEqual(policySubject({ run, incident: { services: ['a'] } }), { workflow: 'incident-response', services: ['a'], severity: undefined });
    assert.deepEqual(policySubject({ incident: { services: ['a', 'b'], severity: 'critical' } }), { services: ['a', 'b'], severity: 'critical' });
    assert.deepEqual(policySubject({ change: { service: 'checkout' } }), { services: ['checkout'], severity: undefined });
    assert.deepEqual(policySubject({}), { services: [], severity: undefined });
  });

  it('names the file, line and field of a mistake', () => {
    const mistakes: Array<[string, RegExp]> = [
      ['unattended:\n  - actions: [slack]\n    service: [checkout]\n', /^p\.yaml line 3: unattended\/0 has unknown key "service" \(allowed: actions, workflows, services, severities\)$/],
      ['unattended: []\napprovalExpiry: 2 days\n', /^p\.yaml line 2: approvalExpiry must be a number and a unit/],
      ['unattended:\n  - actions: []\n', /^p\.yaml line 2: unattended\/0\/actions must NOT have fewer than 1 items$/],
      ['', /^p\.yaml: is empty/],
      ['unattended: [\n', /^p\.yaml line \d+, column \d+: not valid YAML/],
    ];
    for (const [text, message] of mistakes) {
      assert.throws(() => parsePolicy(text, 'p.yaml'), (error: unknown) => error instanceof InvalidInput && message.test(error.message), text);
    }
  });

  it('reads JSON too', () => {
    assert.deepEqual(parsePolicy('{"unattended": [{"actions": ["slack"]}]}').unattended, [{ actions: ['slack'] }]);
  });
});
