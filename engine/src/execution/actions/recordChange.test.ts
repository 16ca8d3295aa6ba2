import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queryChanges, saveChanges } from '../../store/changes.ts';
import type { Store } from '../../store/store.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { internalActionContext, openMigratedStore } from '../runs/testing/fixtures.ts';
import { checkActionInput } from '../workflows/actionInput.ts';
import { recordChangeAction } from './recordChange.ts';
import type { RecordChangeInput } from './recordChange.ts';

describe('record_change', () => {
  let fresh: FreshStore;
  let store: Store;

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
  });
  after(async () => {
    await store.close();
    await fresh.remove();
  });

  const context = internalActionContext;
  const action = recordChangeAction((change) => saveChanges(store, [change], new Date()));
  const input: RecordChangeInput = { kind: 'deploy', service: 'payment', title: 'payment 0.1.1 rolled out', version: '0.1.1', startsAt: '2026-11-24T08:00:00Z' };

  it('stores the change once however often the step is retried, with a change.created event for workflows', async () => {
    const first = await action.run(input, context('run-1/deploy'));
    assert.equal(first.created, true);
    assert.match(first.changeId, /^workflow-[0-9a-f]{16}$/);
    assert.deepEqual(await action.run(input, context('run-1/deploy')), { ...first, created: false }, 'a retry updates the same change');
    const [stored] = await queryChanges(store, { services: ['payment'], limit: 10 });
    assert.equal(stored?.id, first.changeId);
    assert.equal(stored?.startsAt.toISOString(), '2026-11-24T08:00:00.000Z');
    assert.equal(stored?.version, '0.1.1');
    const { rows } = await store.query<{ subject: string }>("select subject from engine_events where kind = 'change.created'");
    assert.deepEqual(rows.map((row) => row.subject), [first.changeId], 'one event: the retry created nothing');
    const other = await action.run(input, context('run-2/deploy'));
    assert.notEqual(other.changeId, first.changeId, 'another run records its own change');
  });

  it('keeps a given id, defaults the start to now, and refuses what POST /api/v1/changes refuses', async () => {
    const before = Date.now();
    const { changeId } = await action.run({ id: 'deploy-payment-7', kind: 'config', service: 'payment', title: 'pool size 50' }, context('run-3/cfg'));
    assert.equal(changeId, 'deploy-payment-7');
    const [stored] = (await queryChanges(store, { services: ['payment'], limit: 10 })).filter((change) => change.id === changeId);
    assert.ok(stored !== undefined && stored.startsAt.getTime() >= before - 1000);
    assert.equal(action.describe({ kind: 'feature_flag', service: 'cart', title: 'new pricing' }), 'record the feature flag "new pricing" on cart');
    assert.throws(() => checkActionInput(action, { kind: 'rollout', service: 'cart', title: 'x' }), /with\/kind/);
    assert.throws(() => checkActionInput(action, { kind: 'deploy', service: 'cart' }), /with must have required property 'title'/);
    await assert.rejects(action.run({ ...input, startsAt: 'yesterday' }, context('run-4/deploy')), /with\/startsAt/);
  });
});
