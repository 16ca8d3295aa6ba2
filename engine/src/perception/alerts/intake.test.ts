import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../observability/logger.ts';
import { createMetrics } from '../../observability/metrics.ts';
import { saveCmdb } from '../../store/cmdb.ts';
import { migrate } from '../../store/migrations.ts';
import { openStore } from '../../store/open.ts';
import { saveSettings } from '../../store/settings.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { captureLogs } from '../../testing/logs.ts';
import { sharedPgliteStore } from '../../testing/stores.ts';
import { findIncidents } from './incidentsQuery.ts';
import { AlertIntake, IntakeOverloadedError } from './intake.ts';
import type { IntakeOptions, IntakeReceipt } from './intake.ts';
import type { RawAlert } from './normalize.ts';

const T0 = Date.parse('2026-11-02T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function raw(name: string, service: string, minute: number, extra: Partial<RawAlert> = {}): RawAlert {
  return {
    status: 'firing',
    labels: { alertname: name, service },
    annotations: { summary: `${name} on ${service}` },
    startsAt: at(minute),
    endsAt: undefined,
    fingerprint: `${name}-${service}`,
    ...extra,
  };
}

const resolvedAt = (alert: RawAlert, minute: number): RawAlert => ({ ...alert, status: 'resolved', endsAt: at(minute) });

const CMDB = {
  services: [
    { name: 'checkout', dependsOn: ['payments'] },
    { name: 'payments', dependsOn: ['db'] },
    { name: 'db' },
    { name: 'index' },
  ],
};

/** A test clock the test moves by hand. */
function manualClock(start: Date) {
  let now = start.getTime();
  return { now: () => new Date(now), set: (minute: number) => (now = at(minute).getTime()) };
}

interface Harness {
  store: Store;
  logs: ReturnType<typeof captureLogs>;
  intake: AlertIntake;
  clock: ReturnType<typeof manualClock>;
  restart(options?: Partial<IntakeOptions>): Promise<AlertIntake>;
  close(): Promise<void>;
}

const sharedStore = sharedPgliteStore();

async function harness(options: Partial<IntakeOptions> = {}, wrap: (store: Store) => Store = (store) => store): Promise<Harness> {
  const store = sharedStore();
  await store.exec('truncate alerts, incidents, incident_evidence, incident_rca, rca_feedback, cmdb, settings');
  await saveCmdb(store, CMDB);
  const clock = manualClock(at(1));
  const logs = captureLogs();
  const open = async (extra: Partial<IntakeOptions> = {}) => {
    const intake = new AlertIntake({ store: wrap(store), logger: createLogger('warn', logs), metrics: createMetrics().alerts, clock: clock.now, batchLingerMs: 0, ...options, ...extra });
    await intake.start();
    return intake;
  };
  const h: Harness = {
    store,
    logs,
    clock,
    intake: await open(),
    async restart(extra?: Partial<IntakeOptions>) {
      await h.intake.close();
      h.intake = await open(extra);
      return h.intake;
    },
    async close() {
      await h.intake.close();
    },
  };
  return h;
}

async function incidents(h: Harness) {
  const page = await findIncidents(h.store, { limit: 100, withAlerts: true }, h.clock.now());
  return page.incidents.map(({ incident, alerts }) => ({ ...incident, alerts: alerts.map((stored) => stored.alert.fingerprint).sort() }));
}

async function alertRows(db: Queryable) {
  const { rows } = await db.query<{ fingerprint: string; status: string; deliveries: number; ends_at: Date | null }>(
    'select fingerprint, status, deliveries, ends_at from alerts order by fingerprint, starts_at'
  );
  return rows;
}

describe('alert intake', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.close();
  });

  it('stores alerts before answering and groups them along the dependency graph', async () => {
    const receipt = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0), raw('PaymentsErrors', 'payments', 1), raw('CheckoutErrors', 'checkout', 2), raw('IndexSlow', 'index', 1)]);
    assert.equal(receipt.accepted, 4);
    assert.equal(receipt.created, 4);
    assert.equal(receipt.incidents.length, 2);
    assert.equal((await alertRows(h.store)).length, 4);
    const found = await incidents(h);
    assert.deepEqual(
      found.map((incident) => incident.services).sort(),
      [['checkout', 'db', 'payments'], ['index']]
    );
    const big = found.find((incident) => incident.services.length === 3);
    assert.equal(big?.title, 'DbDown on db');
    assert.deepEqual(big?.groupingReasons.map((reason) => reason.rule), ['first', 'topology', 'topology']);
  });

  it('counts a redelivery instead of duplicating it, and lets it resolve the alert', async () => {
    const again = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0), raw('DbDown', 'db', 0)]);
    assert.deepEqual({ ...again, incidents: again.incidents.length }, { accepted: 2, created: 0, redelivered: 2, incidents: 1 });
    const resolved = await h.intake.submit('alertmanager', [resolvedAt(raw('DbDown', 'db', 0), 9)]);
    assert.equal(resolved.redelivered, 1);
    const rows = await alertRows(h.store);
    assert.equal(rows.length, 4);
    const db = rows.find((row) => row.fingerprint === 'DbDown-db');
    assert.deepEqual(db, { fingerprint: 'DbDown-db', status: 'resolved', deliveries: 4, ends_at: at(9) });
    // A late firing redelivery of a resolved alert is out of date: it stays resolved.
    await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0)]);
    assert.equal((await alertRows(h.store)).find((row) => row.fingerprint === 'DbDown-db')?.status, 'resolved');
  });

  it('answers a request and its duplicate in one batch once, with one row', async () => {
    const alert = raw('Twice', 'index', 3);
    const [first, second] = await Promise.all([h.intake.submit('alertmanager', [alert]), h.intake.submit('alertmanager', [alert])]);
    assert.equal((first?.created ?? 0) + (second?.created ?? 0), 1);
    assert.equal((await alertRows(h.store)).find((row) => row.fingerprint === 'Twice-index')?.deliveries, 2);
  });
});

describe('incident resolution', () => {
  it('resolves an incident once all alerts resolved and the quiet period passed; a re-firing reopens it', async () => {
    const h = await harness({ sweepIntervalMs: 3_600_000 });
    try {
      const db = raw('DbDown', 'db', 0);
      const payments = raw('PaymentsErrors', 'payments', 1);
      h.clock.set(2);
      await h.intake.submit('alertmanager', [db, payments]);
      h.clock.set(10);
      await h.intake.submit('alertmanager', [resolvedAt(db, 9)]);
      assert.equal((await incidents(h))[0]?.status, 'open', 'one alert still fires');
      h.clock.set(12);
      await h.intake.submit('alertmanager', [resolvedAt(payments, 11)]);
      let [incident] = await incidents(h);
      assert.equal(incident?.status, 'resolving');
      assert.deepEqual(incident?.endsAt, at(11));

      h.clock.set(16);
      assert.equal(await h.intake.sweep(), 0, 'the quiet period (5 min from minute 12) has not passed');
      assert.equal((await incidents(h))[0]?.status, 'resolving');
      h.clock.set(17);
      assert.equal((await incidents(h))[0]?.status, 'resolved', 'read as resolved before the sweeper runs');
      const stored = await h.store.query<{ status: string }>('select status from incidents');
      assert.deepEqual(stored.rows, [{ status: 'resolving' }]);
      assert.equal(await h.intake.sweep(), 1);
      assert.deepEqual((await h.store.query('select status from incidents')).rows, [{ status: 'resolved' }]);

      // The same alert fires again within the flap window: the incident reopens instead of a new one.
      h.clock.set(25);
      const receipt = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 24)]);
      [incident] = await incidents(h);
      assert.equal((await incidents(h)).length, 1);
      assert.deepEqual(receipt.incidents, [incident?.id]);
      assert.equal(incident?.status, 'open');
      assert.equal(incident?.flaps, 1);
      assert.equal(incident?.endsAt, undefined);
    } finally {
      await h.close();
    }
  });

  it('takes quiet period and thresholds from the settings; a change applies to alerts received afterwards', async () => {
    const h = await harness();
    try {
      await saveSettings(h.store, { grouping: { quietPeriodMinutes: 1, windowMinutes: 2 } });
      h.intake.contextChanged();
      h.clock.set(4);
      // checkout depends on db (2 hops), but starts 3.5 minutes later: beyond the 2-minute window.
      await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0), raw('CheckoutErrors', 'checkout', 3.5)]);
      assert.equal((await incidents(h)).length, 2);
      assert.equal(h.intake.grouping.quietPeriodMs, 60_000);
      await saveSettings(h.store, {});
      h.intake.contextChanged();
      // Under the default 10-minute window, payments links db and checkout: one incident.
      await h.intake.submit('alertmanager', [raw('PaymentsErrors', 'payments', 1)]);
      assert.equal(h.intake.grouping.grouping.windowMs, 600_000);
      assert.equal(h.intake.grouping.quietPeriodMs, 300_000);
      const [incident, ...others] = await incidents(h);
      assert.equal(others.length, 0);
      assert.deepEqual(incident?.services, ['checkout', 'db', 'payments']);
    } finally {
      await h.close();
    }
  });
});

describe('intake under load and failure', () => {
  it('answers 503-style overload at once when the queue is full, and stores nothing of the refused request', async () => {
    const h = await harness({ maxQueuedAlerts: 3 });
    try {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      // Hold the store's only connection, so that the intake's batch waits.
      const holding = h.store.transaction(async () => gate);
      const accepted = h.intake.submit('alertmanager', [raw('A', 'db', 0), raw('B', 'db', 0)]);
      assert.throws(
        () => h.intake.submit('alertmanager', [raw('C', 'db', 0), raw('D', 'db', 0)]),
        (error: unknown) => error instanceof IntakeOverloadedError && error.retryAfterSeconds > 0 && /queue is full/.test(error.message)
      );
      release();
      await holding;
      assert.equal((await accepted).created, 2);
      assert.deepEqual((await alertRows(h.store)).map((row) => row.fingerprint), ['A-db', 'B-db']);
      assert.equal((await h.intake.submit('alertmanager', [raw('C', 'db', 0)])).created, 1, 'room again once stored');
    } finally {
      await h.close();
    }
  });

  it('rolls back a failed batch, fails its requests, and groups the retry as if nothing had happened', async () => {
    let failNext = false;
    const faulty = (store: Store): Store => ({
      ...store,
      transaction: (fn) =>
        store.transaction((tx) =>
          fn({
            exec: (sql) => tx.exec(sql),
            query: async (sql, params) => {
              if (failNext && sql.includes('insert into incidents')) {
                failNext = false;
                throw new Error('disk full (injected)');
              }
              return tx.query(sql, params);
            },
          })
        ),
    });
    const h = await harness({}, faulty);
    try {
      await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0)]);
      failNext = true;
      const failing = h.intake.submit('alertmanager', [raw('PaymentsErrors', 'payments', 1)]);
      await assert.rejects(failing, /disk full/);
      assert.deepEqual((await alertRows(h.store)).map((row) => row.fingerprint), ['DbDown-db'], 'nothing of the failed batch is stored');
      const retry = await h.intake.submit('alertmanager', [raw('PaymentsErrors', 'payments', 1)]);
      assert.equal(retry.created, 1);
      const [incident, ...others] = await incidents(h);
      assert.equal(others.length, 0);
      assert.deepEqual(incident?.alerts, ['DbDown-db', 'PaymentsErrors-payments']);
    } finally {
      await h.close();
    }
  });

  it('rebuilds its grouping state and retries when the store lost alerts it had grouped', async () => {
    const h = await harness();
    try {
      await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0)]);
      // Someone deletes the alert behind the engine's back (a restore from backup, a manual cleanup).
      await h.store.query('delete from alerts');
      await h.store.query('delete from incidents');
      const again = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0), raw('PaymentsErrors', 'payments', 1)]);
      assert.equal(again.created, 2, 'stored again, as new');
      assert.ok(h.logs.entries().some((entry) => /rebuilding the grouping state and retrying/.test(String(entry.msg))));
      const [incident, ...others] = await incidents(h);
      assert.equal(others.length, 0);
      assert.deepEqual(incident?.alerts, ['DbDown-db', 'PaymentsErrors-payments']);
    } finally {
      await h.close();
    }
  });

  it('groups by start time, never by arrival: a storm sent backwards in small batches groups as sent in order', async () => {
    const storm = [
      raw('DbDown', 'db', 0),
      raw('PaymentsErrors', 'payments', 1),
      raw('CheckoutErrors', 'checkout', 2),
      raw('IndexSlow', 'index', 1.5),
      raw('DbDown', 'db', 20),
      raw('PaymentsErrors', 'payments', 45),
    ];
    const partition = (found: Awaited<ReturnType<typeof incidents>>) => found.map((incident) => incident.alerts.join(' ')).sort();
    const inOrder = await harness();
    await inOrder.intake.submit('alertmanager', storm);
    const expected = partition(await incidents(inOrder));
    await inOrder.close();
    assert.equal(expected.length, 3);
    const backwards = await harness();
    try {
      for (const alert of [...storm].reverse()) {
        await backwards.intake.submit('alertmanager', [alert]);
      }
      assert.deepEqual(partition(await incidents(backwards)), expected);
      assert.equal((await backwards.store.query('select count(*)::int as n from incidents')).rows[0]?.n, 3, 'incidents emptied by regrouping are deleted');
    } finally {
      await backwards.close();
    }
  });
});

describe('restart', () => {
  it('restores grouping: same incidents, and a new alert joins an incident created before the restart', async () => {
    const h = await harness();
    try {
      const first: IntakeReceipt = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0), raw('IndexSlow', 'index', 1)]);
      const before = await incidents(h);
      await h.restart();
      assert.deepEqual(await incidents(h), before);
      const late = await h.intake.submit('alertmanager', [raw('PaymentsErrors', 'payments', 2)]);
      const dbIncident = before.find((incident) => incident.services.includes('db'))?.id;
      assert.deepEqual(late.incidents, [dbIncident]);
      assert.ok(first.incidents.includes(dbIncident ?? ''));
      const redelivered = await h.intake.submit('alertmanager', [raw('DbDown', 'db', 0)]);
      assert.equal(redelivered.redelivered, 1, 'a redelivery after the restart is still recognised');
    } finally {
      await h.close();
    }
  });
});
