import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { migrate } from '../../store/migrations.ts';
import type { EngineEvent } from '../../store/events.ts';
import type { Store } from '../../store/store.ts';
import { saveChanges } from '../../store/changes.ts';
import { captureLogs } from '../../testing/logs.ts';
import { openStore } from '../../store/open.ts';
import { describeEachStore } from '../../testing/stores.ts';
import { EventDispatcher } from './eventDispatcher.ts';

describeEachStore('EventDispatcher', (target) => {
  let store: Store;
  let remove: () => Promise<void>;
  const now = new Date('2026-11-20T10:00:00Z');

  before(async () => {
    const fresh = await target.fresh();
    store = await openStore(fresh.config);
    remove = fresh.remove;
    await migrate(store);
  });
  after(async () => {
    await store.close();
    await remove();
  });

  const change = (id: string) => ({
    id,
    kind: 'deploy' as const,
    service: 'checkout',
    title: id,
    description: undefined,
    startsAt: now,
    endsAt: undefined,
    author: undefined,
    version: undefined,
    url: undefined,
    labels: {},
  });

  it('hands each event to every handler once, in order, writing in the same transaction, and skips a failing one', async () => {
    await saveChanges(store, [change('c1'), change('c2'), change('c3')], now);
    await saveChanges(store, [change('c1')], now); // an update, not a new change: no event
    const logs = captureLogs();
    const dispatcher = new EventDispatcher({ store, logger: createLogger('info', logs), clock: () => now, batch: 2 });
    const seen: string[] = [];
    dispatcher.subscribe(async (event: EngineEvent, tx) => {
      if (event.subject === 'c2') {
        await tx.query(`insert into settings (id, document) values (1, '{}')`);
        throw new Error('cannot start the workflow');
      }
      seen.push(`${event.kind} ${event.subject}`);
    });
    assert.equal(await dispatcher.drain(), 3);
    assert.deepEqual(seen, ['change.created c1', 'change.created c3']);
    // The failing handler's write was rolled back with it; the others' batch committed.
    assert.equal((await store.query('select count(*)::int as n from settings')).rows[0]?.n, 0);
    assert.match(logs.text(), /an event handler failed; the event is not retried/);
    assert.equal(await dispatcher.drain(), 0, 'dispatched events are not handed out again');
  });

  it('hands a handler only the events its filter wants, and marks the others dispatched too', async () => {
    await saveChanges(store, [change('f1'), change('f2'), change('f3')], now);
    const dispatcher = new EventDispatcher({ store, logger: createLogger('silent'), clock: () => now });
    const asked: string[] = [];
    const seen: string[] = [];
    dispatcher.subscribe(
      async (event) => {
        seen.push(event.subject);
      },
      async (event) => {
        asked.push(event.subject);
        return event.subject === 'f2';
      }
    );
    assert.equal(await dispatcher.drain(), 3);
    assert.deepEqual(asked, ['f1', 'f2', 'f3']);
    assert.deepEqual(seen, ['f2']);
    assert.equal(await dispatcher.drain(), 0);
  });

  it('shares the outbox between two dispatchers without handing an event to both', async () => {
    await saveChanges(store, Array.from({ length: 30 }, (_, i) => change(`d${i}`)), now);
    const seen: string[] = [];
    const make = () => {
      const dispatcher = new EventDispatcher({ store, logger: createLogger('silent'), clock: () => now, batch: 5 });
      dispatcher.subscribe(async (event) => {
        seen.push(event.subject);
      });
      return dispatcher;
    };
    const [a, b] = [make(), make()];
    const counts = await Promise.all([a.drain(), b.drain()]);
    assert.equal(counts[0] + counts[1], 30);
    assert.equal(new Set(seen).size, 30);
    assert.equal(seen.length, 30);
  });
});
