import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentMember, ServiceDetails } from './incidents.ts';
import { effectiveStatus, incidentTags, summarizeIncident } from './incidents.ts';

const T0 = Date.parse('2026-11-02T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const QUIET = 5 * 60_000;

function member(fingerprint: string, minute: number, extra: Partial<IncidentMember> = {}): IncidentMember {
  const startsAt = at(minute);
  return {
    key: `${fingerprint}@${startsAt.toISOString()}`,
    fingerprint,
    startsAt,
    endsAt: undefined,
    status: 'firing',
    source: 'alertmanager',
    title: `${fingerprint} title`,
    severity: 'warning',
    service: undefined,
    joinReason: undefined,
    firstReceived: startsAt,
    resolvedReceived: undefined,
    ...extra,
  };
}

const details: Record<string, ServiceDetails> = {
  db: { team: 'data', owner: 'dba@example.com', tier: 'tier-1', capability: 'storage', customerFacing: false },
  checkout: { team: 'shop', tier: 'tier-1', customerFacing: true },
};
const lookup = (service: string) => details[service];

describe('summarizeIncident', () => {
  const reason = (peer: string) => ({ rule: 'topology' as const, score: 0.8, peer, detail: 'checkout depends on db (2 hops)' });
  const members = [
    member('CheckoutErrors', 2, { service: 'checkout', severity: 'high', joinReason: reason('DbDown@x') }),
    member('DbDown', 0, { service: 'db', severity: 'critical', source: 'grafana' }),
    member('DbDown', 20, { service: 'db', joinReason: { rule: 'same-alert', score: 1, peer: 'DbDown@x', detail: 'the same alert fired again' } }),
  ];

  it('titles the incident after its first alert, takes the worst severity, all services, and counts flaps', () => {
    const summary = summarizeIncident('inc_1', members, at(30), QUIET, lookup);
    assert.ok(summary);
    assert.equal(summary.title, 'DbDown title');
    assert.equal(summary.severity, 'critical');
    assert.deepEqual(summary.services, ['checkout', 'db']);
    assert.deepEqual(summary.startsAt, at(0));
    assert.equal(summary.status, 'open');
    assert.equal(summary.endsAt, undefined);
    assert.equal(summary.alertCount, 3);
    assert.equal(summary.flaps, 1);
    assert.deepEqual(
      summary.groupingReasons.map((reason) => [reason.alert.split('@')[0], reason.rule, reason.peer]),
      [
        ['DbDown', 'first', null],
        ['CheckoutErrors', 'topology', 'DbDown@x'],
        ['DbDown', 'same-alert', 'DbDown@x'],
      ]
    );
    assert.deepEqual(summary.tags, {
      team: 'data,shop',
      owner: 'dba@example.com',
      tier: 'tier-1',
      capability: 'storage',
      customerFacing: 'true',
      source: 'alertmanager,grafana',
    });
  });

  it('is resolving when all alerts resolved, and resolved once the quiet period passed without news', () => {
    const resolved = members.map((m) => ({ ...m, status: 'resolved' as const, endsAt: at(25), resolvedReceived: at(26) }));
    const soon = summarizeIncident('inc_1', resolved, at(30), QUIET, lookup);
    assert.equal(soon?.status, 'resolving');
    assert.deepEqual(soon?.endsAt, at(25));
    assert.deepEqual(soon?.quietSince, at(26));
    assert.equal(summarizeIncident('inc_1', resolved, at(31), QUIET, lookup)?.status, 'resolved');
    const lateArrival = [...resolved, member('Late', 1, { status: 'resolved', endsAt: at(2), firstReceived: at(29), resolvedReceived: at(29) })];
    assert.equal(summarizeIncident('inc_1', lateArrival, at(31), QUIET, lookup)?.status, 'resolving', 'a new alert restarts the quiet period');
  });

  it('has no summary without alerts', () => {
    assert.equal(summarizeIncident('inc_1', [], at(0), QUIET, lookup), undefined);
  });
});

describe('incident status helpers', () => {
  it('reads a resolving incident past its quiet period as resolved', () => {
    assert.equal(effectiveStatus('resolving', at(0), at(4), QUIET), 'resolving');
    assert.equal(effectiveStatus('resolving', at(0), at(5), QUIET), 'resolved');
    assert.equal(effectiveStatus('open', at(0), at(50), QUIET), 'open');
  });

  it('tags only what the CMDB knows', () => {
    assert.deepEqual(incidentTags(['unknown'], [], lookup), {});
  });
});
