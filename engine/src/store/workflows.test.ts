import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachStore } from '../testing/stores.ts';
import type { FreshStore } from '../testing/stores.ts';
import { migrate } from './migrations.ts';
import { openStore } from './open.ts';
import type { Store } from './store.ts';
import { deleteStoredWorkflow, listStoredWorkflows, loadStoredWorkflow, saveStoredWorkflow } from './workflows.ts';

describeEachStore('stored workflows', (target) => {
  let fresh: FreshStore;
  let store: Store;
  before(async () => {
    fresh = await target.fresh();
    store = await openStore(fresh.config);
    await migrate(store);
  });
  after(async () => {
    await store.close();
    await fresh.remove();
  });

  it('saves the text as sent, says whether it was new, and deletes', async () => {
    const first = await saveStoredWorkflow(store, 'b-report', '# comment\nname: b-report\n');
    assert.equal(first.created, true);
    const second = await saveStoredWorkflow(store, 'b-report', '# changed\nname: b-report\n');
    assert.equal(second.created, false);
    assert.ok(second.updatedAt.getTime() >= first.updatedAt.getTime());
    await saveStoredWorkflow(store, 'a-notify', 'name: a-notify\n');
    assert.deepEqual((await listStoredWorkflows(store)).map((stored) => [stored.name, stored.source]), [
      ['a-notify', 'name: a-notify\n'],
      ['b-report', '# changed\nname: b-report\n'],
    ]);
    assert.equal((await loadStoredWorkflow(store, 'b-report'))?.source, '# changed\nname: b-report\n');
    assert.equal(await deleteStoredWorkflow(store, 'b-report'), true);
    assert.equal(await deleteStoredWorkflow(store, 'b-report'), false);
    assert.equal(await loadStoredWorkflow(store, 'b-report'), undefined);
  });
});
