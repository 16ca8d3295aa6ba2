import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentMember } from './incidents.ts';
import { IncidentMemberCache } from './memberCache.ts';

function member(key: string): IncidentMember {
  return {
    key,
    fingerprint: key,
    startsAt: new Date(0),
    endsAt: undefined,
    status: 'firing',
    source: 'generic',
    title: key,
    severity: 'info',
    service: undefined,
    joinReason: undefined,
    firstReceived: new Date(0),
    resolvedReceived: undefined,
  };
}

describe('IncidentMemberCache', () => {
  it('moves an alert between cached incidents and finds it by key', () => {
    const cache = new IncidentMemberCache();
    cache.load('a', [member('x'), member('y')]);
    cache.load('b', []);
    cache.put(member('x'), 'b');
    assert.deepEqual([...(cache.members('a')?.keys() ?? [])], ['y']);
    assert.deepEqual([...(cache.members('b')?.keys() ?? [])], ['x']);
    assert.equal(cache.find('x')?.incidentId, 'b');
    assert.equal(cache.memberCount, 2);
    assert.throws(() => cache.put(member('z'), 'unknown'), /not cached/);
  });

  it('forgets the least recently used incidents beyond its size, keeping those in use', () => {
    const cache = new IncidentMemberCache(2);
    cache.load('old', [member('o1'), member('o2')]);
    cache.load('mid', [member('m1')]);
    cache.load('new', [member('n1')]);
    cache.members('old');
    cache.trim(new Set(['new']));
    assert.equal(cache.has('mid'), false, 'least recently used');
    assert.equal(cache.has('old'), false, 'still over the limit');
    assert.equal(cache.has('new'), true, 'in use');
    assert.equal(cache.find('o1'), undefined);
    cache.clear();
    assert.equal(cache.memberCount, 0);
  });
});
