import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogTemplateEvidence } from '../perception/evidence.ts';
import type { Change } from './changes.ts';
import { changesInWindow } from './changeWindow.ts';
import { cmdbContext } from './cmdb.ts';
import { buildSemanticPayload } from './semanticPayload.ts';

const START = new Date('2026-11-02T08:00:00Z');

function change(id: string, service: string, minutesBefore: number): Change {
  return {
    id,
    kind: 'deploy',
    service,
    title: `${service} ${id}`,
    description: undefined,
    startsAt: new Date(START.getTime() - minutesBefore * 60_000),
    endsAt: new Date(START.getTime() - minutesBefore * 60_000 + 120_000),
    author: undefined,
    version: undefined,
    url: undefined,
    labels: {},
  };
}

function log(id: string, score: number): LogTemplateEvidence {
  return {
    id,
    kind: 'log_template',
    service: 'checkout',
    score,
    summary: 'new template',
    from: START.toISOString(),
    to: START.toISOString(),
    link: { datasource: 'loki', query: '{service_name="checkout"}' },
    details: { templateId: 't', template: 'error <*>', change: 'new', count: 5, baselineCount: 0, firstSeen: '', lastSeen: '', sample: '' },
  };
}

describe('buildSemanticPayload', () => {
  it('holds title, severity, owner, the change window, business tags and the ids to cite', () => {
    const { lookup } = cmdbContext(
      {
        services: [
          { name: 'checkout', team: 'orders', tier: 'production', capability: 'payments', customerFacing: true },
          { name: 'payment', owner: 'pay-oncall@shop.example', capability: 'payments' },
        ],
      },
      2
    );
    const candidates = changesInWindow([change('chg_old', 'checkout', 60), change('chg_new', 'checkout', 20), change('chg_pay', 'search', 5)], { services: ['checkout', 'payment'], neighbours: ['search'] }, START);
    const payload = buildSemanticPayload(
      { id: 'inc_1', title: 'Checkout errors', severity: 'critical', services: ['checkout', 'payment'], startsAt: START },
      { evidence: [log('ev_log_a', 0.4), log('ev_log_b', 0.9)], changesInWindow: candidates, lookup, tags: { category: 'errors', business: 'revenue', impact: '3 services, payments' } }
    );
    assert.deepEqual(payload, {
      incidentId: 'inc_1',
      title: 'Checkout errors',
      severity: 'critical',
      service: 'checkout',
      services: ['checkout', 'payment'],
      owner: 'pay-oncall@shop.example',
      team: 'orders',
      tier: 'production',
      startsAt: '2026-11-02T08:00:00.000Z',
      changeWindow: { changeId: 'chg_new', service: 'checkout', kind: 'deploy', title: 'checkout chg_new', startsAt: '2026-11-02T07:40:00.000Z', endsAt: '2026-11-02T07:42:00.000Z' },
      bizTags: ['capability:payments', 'customer-facing', 'business:revenue', 'impact:3 services, payments'],
      tags: { category: 'errors', business: 'revenue', impact: '3 services, payments' },
      evidence: ['ev_log_b', 'ev_log_a', 'chg_new', 'chg_pay', 'chg_old'],
    });
  });

  it('leaves out what is not known', () => {
    const payload = buildSemanticPayload(
      { id: 'inc_2', title: 'Alert', severity: 'warning', services: [], startsAt: START },
      { evidence: [], changesInWindow: [], lookup: () => undefined, tags: {} }
    );
    assert.equal(payload.service, undefined);
    assert.equal(payload.owner, undefined);
    assert.equal(payload.changeWindow, undefined);
    assert.deepEqual(payload.bizTags, []);
    assert.deepEqual(payload.evidence, []);
  });
});
