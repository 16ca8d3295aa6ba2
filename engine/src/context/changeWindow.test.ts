import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change } from './changes.ts';
import { CHANGE_HALF_LIFE_MS, CHANGE_LEAD_MS, CHANGE_TAIL_MS, changesInWindow } from './changeWindow.ts';

const T0 = Date.parse('2026-11-02T08:00:00Z');
const MINUTE = 60_000;

function change(id: string, service: string, startMinutes: number, endMinutes?: number): Change {
  return {
    id,
    kind: 'deploy',
    service,
    title: `${service} release`,
    description: undefined,
    startsAt: new Date(T0 + startMinutes * MINUTE),
    endsAt: endMinutes === undefined ? undefined : new Date(T0 + endMinutes * MINUTE),
    author: undefined,
    version: undefined,
    url: undefined,
    labels: {},
  };
}

describe('changesInWindow', () => {
  it('keeps changes to the incident services and neighbours whose window the incident started in', () => {
    const changes = [
      change('rolling', 'checkout', -10, 5),
      change('after', 'checkout', -90, -45),
      change('neighbour', 'payment', -10, 5),
      change('elsewhere', 'search', -5),
      change('too-old', 'checkout', -200, -125),
      change('too-late', 'checkout', 6),
      change('just-before', 'checkout', 4),
      change('alias', 'checkoutservice', -1),
    ];
    const found = changesInWindow(changes, { services: ['checkout'], neighbours: ['payment'], cmdb: { services: [{ name: 'checkout', aliases: ['checkoutservice'] }] } }, new Date(T0));
    assert.deepEqual(
      found.map((candidate) => [candidate.change.id, candidate.strength, candidate.relation, candidate.offsetMs / MINUTE]),
      [
        ['rolling', 1, 'service', 10],
        ['alias', 0.985, 'service', 1],
        ['just-before', 0.7, 'service', -4],
        ['neighbour', 0.5, 'neighbour', 10],
        ['after', 0.5, 'service', 90],
      ]
    );
  });

  it('decays after the change ended and stops at the end of the tail', () => {
    const strength = (endMinutesAgo: number) => changesInWindow([change('c', 'a', -endMinutesAgo - 1, -endMinutesAgo)], { services: ['a'] }, new Date(T0))[0]?.strength;
    assert.equal(strength(0), 1);
    assert.equal(strength(CHANGE_HALF_LIFE_MS / MINUTE), 0.5);
    assert.equal(strength(CHANGE_TAIL_MS / MINUTE), 0.157);
    assert.equal(strength(CHANGE_TAIL_MS / MINUTE + 1), undefined);
    assert.equal(changesInWindow([change('c', 'a', CHANGE_LEAD_MS / MINUTE + 1)], { services: ['a'] }, new Date(T0)).length, 0);
  });
});
