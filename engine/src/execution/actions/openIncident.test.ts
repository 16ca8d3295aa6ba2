import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { AlertIntake } from '../../perception/alerts/intake.ts';
import type { Store } from '../../store/store.ts';
import { freshPgliteStore } from '../../testing/stores.ts';
import type { FreshStore } from '../../testing/stores.ts';
import { internalActionContext, openMigratedStore } from '../runs/testing/fixtures.ts';
import { openIncidentAction } from './openIncident.ts';
import type { OpenIncidentInput } from './openIncident.ts';
import { ActionFailed } from './outbound.ts';

describe('open_incident', () => {
  let fresh: FreshStore;
  let store: Store;
  let intake: AlertIntake;

  before(async () => {
    fresh = await freshPgliteStore();
    store = await openMigratedStore(fresh.config);
    intake = new AlertIntake({ store, logger: createLogger('silent'), metrics: createMetrics().alerts, batchLingerMs: 0 });
    await intake.start();
  });
  after(async () => {
    await intake.close();
    await store.close();
    await fresh.remove();
  });

  const context = internalActionContext;
  const action = () => openIncidentAction((alert) => intake.submit('generic', [alert]));
  const input: OpenIncidentInput = {
    title: 'Degraded after deploy "cart v3" on cart',
    service: 'cart',
    severity: 'high',
    startsAt: '2026-11-24T04:00:00Z',
    changeId: 'deploy-cart-3',
    description: 'error ratio after 0.08 (before 0.005, limit 0.015).',
  };

  it('opens an incident with the change named, once however often the step is retried', async () => {
    const first = await action().run(input, context('run-1/open'));
    assert.equal(first.created, true);
    assert.ok(first.incidentId !== null);
    const again = await action().run(input, context('run-1/open'));
    assert.deepEqual(again, { ...first, created: false }, 'a retry is a redelivery of the same alert');
    const { rows } = await store.query<{ title: string; severity: string; service: string; labels: Record<string, string>; annotations: Record<string, string> }>(
      'select title, severity, service, labels, annotations from alerts where fingerprint = $1',
      [first.fingerprint]
    );
    assert.deepEqual(rows, [
      {
        title: input.title,
        severity: 'high',
        service: 'cart',
        labels: { alertname: 'IntelOpsWorkflow', service: 'cart', change_id: 'deploy-cart-3' },
        annotations: { summary: input.title, description: input.description },
      },
    ]);
    const other = await action().run(input, context('run-2/open'));
    assert.notEqual(other.fingerprint, first.fingerprint, 'another run opens its own alert');
  });

  it('says what it will do, and asks for a retry when the intake cannot take the alert now', async () => {
    assert.equal(action().describe(input), 'open a high incident "Degraded after deploy "cart v3" on cart" on cart about change deploy-cart-3');
    const closed = new AlertIntake({ store, logger: createLogger('silent'), metrics: createMetrics().alerts });
    await closed.close();
    const refused = openIncidentAction(async (alert) => closed.submit('generic', [alert]));
    await assert.rejects(refused.run(input, context('run-3/open')), (error: unknown) => error instanceof ActionFailed && error.retryable && /shutting down/.test(error.message));
  });
});
