import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph } from '../../../context/dependencyGraph.ts';
import type { Alert } from '../types.ts';
import { alertKey } from '../types.ts';
import { Correlator } from './correlator.ts';

const T0 = Date.parse('2026-11-02T08:00:00Z');

function alert(fingerprint: string, minute: number, service: string | undefined, extra: Partial<Alert> = {}): Alert {
  return {
    fingerprint,
    startsAt: new Date(T0 + minute * 60_000),
    endsAt: undefined,
    status: 'firing',
    source: 'alertmanager',
    labels: { alertname: fingerprint, ...(service === undefined ? {} : { service }) },
    annotations: {},
    title: fingerprint,
    severity: 'warning',
    service,
    generatorURL: undefined,
    ...extra,
  };
}

// checkout → payments → db; search → index (a separate branch)
const graph = new DependencyGraph([
  { name: 'checkout', dependsOn: ['payments'] },
  { name: 'payments', dependsOn: ['db'] },
  { name: 'db', dependsOn: [] },
  { name: 'search', dependsOn: ['index'] },
  { name: 'index', dependsOn: [] },
]);

/** The grouping as a set of sets of alert keys, which is what must not depend on arrival order. */
function partition(correlator: Correlator, alerts: Alert[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const a of alerts) {
    const incident = correlator.incidentOfAlert(alertKey(a)) ?? 'none';
    groups.set(incident, [...(groups.get(incident) ?? []), alertKey(a)].sort());
  }
  return [...groups.values()].sort((x, y) => (x[0] ?? '').localeCompare(y[0] ?? ''));
}

const storm = [
  alert('DbDown', 0, 'db'),
  alert('PaymentsErrors', 1, 'payments'),
  alert('CheckoutErrors', 2, 'checkout'),
  alert('CheckoutLatency', 3, 'checkout'),
  alert('IndexSlow', 1.5, 'index'),
  alert('SearchErrors', 2.5, 'search'),
  alert('DbDown', 20, 'db'), // re-fired: flapping
  alert('PaymentsErrors', 45, 'payments'), // long after: a new incident
];

test('a failing dependency and its callers become one incident; an unrelated branch another', () => {
  const correlator = new Correlator({ graph });
  correlator.add(storm);
  assert.deepEqual(
    partition(correlator, storm).map((group) => group.map((key) => key.split('@')[0])),
    [['CheckoutErrors', 'CheckoutLatency', 'DbDown', 'DbDown', 'PaymentsErrors'], ['IndexSlow', 'SearchErrors'], ['PaymentsErrors']]
  );
});

test('records why each alert joined', () => {
  const correlator = new Correlator({ graph });
  const result = correlator.add(storm);
  // "DbDown@08:00": the alert name and its start time, for reading.
  const reasons = new Map(result.placed.map((p) => [p.key.replace(/@.*T(\d\d:\d\d).*/, '@$1'), p.reason]));
  assert.equal(reasons.get('DbDown@08:00'), undefined, 'the first alert starts the incident');
  assert.equal(reasons.get('PaymentsErrors@08:01')?.rule, 'topology');
  assert.match(reasons.get('PaymentsErrors@08:01')?.detail ?? '', /payments depends on db \(1 hop\)/);
  assert.equal(reasons.get('CheckoutLatency@08:03')?.rule, 'same-service');
  assert.equal(reasons.get('DbDown@08:20')?.rule, 'same-alert');
});

test('any arrival order and any batching give the same grouping', () => {
  const reference = new Correlator({ graph });
  reference.add(storm);
  const want = partition(reference, storm);
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let round = 0; round < 50; round++) {
    const shuffled = [...storm].sort(() => next() - 0.5);
    const correlator = new Correlator({ graph });
    for (let i = 0; i < shuffled.length; ) {
      const size = 1 + Math.floor(next() * 3);
      correlator.add(shuffled.slice(i, i + size));
      i += size;
    }
    assert.deepEqual(partition(correlator, storm), want, `round ${round}: ${shuffled.map((a) => a.fingerprint).join(', ')}`);
  }
});

test('a late alert that arrives after its effects takes them into its incident, keeping the older id', () => {
  const correlator = new Correlator({ graph });
  const payments = alert('PaymentsErrors', 1, 'payments');
  const search = alert('SearchErrors', 1.2, 'search');
  correlator.add([payments, search]);
  const paymentsIncident = correlator.incidentOfAlert(alertKey(payments));
  const late = alert('DbDown', 0, 'db');
  const result = correlator.add([late]);
  assert.equal(correlator.incidentOfAlert(alertKey(late)), paymentsIncident);
  assert.ok(result.touched.has(paymentsIncident ?? ''));
  assert.notEqual(correlator.incidentOfAlert(alertKey(search)), paymentsIncident);
});

test('redeliveries are recognised and change nothing', () => {
  const correlator = new Correlator({ graph });
  correlator.add(storm.slice(0, 3));
  const again = correlator.add([alert('DbDown', 0, 'db')]);
  assert.deepEqual(again.placed, []);
  assert.equal(again.duplicates.length, 1);
});

test('without a graph, alerts group by labels and by text', () => {
  const correlator = new Correlator();
  const host = { instance: 'db-1:9100', job: 'node' };
  const alerts = [
    alert('DiskFull', 0, undefined, { labels: { alertname: 'DiskFull', ...host } }),
    alert('HighLoad', 1, undefined, { labels: { alertname: 'HighLoad', ...host } }),
    alert('a1', 2, undefined, { title: 'Checkout error budget burning fast', labels: { alertname: 'BurnRate', slo: 'a' } }),
    alert('a2', 3, undefined, { title: 'Checkout error budget burning fast', labels: { alertname: 'BurnRate2', slo: 'b' } }),
    alert('lonely', 2, undefined, { title: 'Something else entirely', labels: { alertname: 'Other' } }),
  ];
  const result = correlator.add(alerts);
  const rules = result.placed.map((p) => p.reason?.rule);
  assert.ok(rules.includes('labels'));
  assert.ok(rules.includes('text'));
  assert.equal(partition(correlator, alerts).length, 3);
});

test('known services the graph does not relate stay apart even with alike alerts', () => {
  const correlator = new Correlator({ graph });
  const alerts = [
    alert('x', 0, 'db', { title: 'High error rate', labels: { alertname: 'HighErrorRate', service: 'db' } }),
    alert('y', 1, 'index', { title: 'High error rate', labels: { alertname: 'HighErrorRate', service: 'index' } }),
  ];
  correlator.add(alerts);
  assert.equal(partition(correlator, alerts).length, 2);
});

test('restored alerts take part in grouping new ones', () => {
  const [db, payments, checkout] = storm;
  assert.ok(db && payments && checkout);
  const first = new Correlator({ graph });
  first.add([db, payments]);
  const restarted = new Correlator({ graph });
  for (const a of [db, payments]) {
    restarted.restore(a, first.incidentOfAlert(alertKey(a)) ?? '', undefined);
  }
  restarted.add([checkout]);
  assert.equal(restarted.incidentOfAlert(alertKey(checkout)), first.incidentOfAlert(alertKey(db)));
});

test('keeps at most maxEntries alerts in memory, forgetting the oldest entirely', () => {
  const correlator = new Correlator({ graph, maxEntries: 10 });
  const old = Array.from({ length: 30 }, (_, i) => alert(`Old${i}`, i * 60, 'index'));
  correlator.add(old);
  assert.ok(correlator.size <= 10, `size ${correlator.size}`);
  assert.equal(correlator.incidentOfAlert(alertKey(old[0] ?? alert('x', 0, 'x'))), undefined, 'the oldest is forgotten');
  const newest = old[29];
  assert.ok(newest);
  const follower = alert('SearchErrors', 29 * 60 + 1, 'search');
  correlator.add([follower]);
  assert.equal(correlator.incidentOfAlert(alertKey(follower)), correlator.incidentOfAlert(alertKey(newest)), 'recent alerts still group');
});

test('finds related alerts in a long history by time window, whatever the insertion order', () => {
  const history = Array.from({ length: 400 }, (_, i) => alert(`Noise${i}`, i * 15, `svc-${i}`, { labels: { alertname: 'Noise', namespace: 'shop', pod: `p${i}` } }));
  const correlator = new Correlator();
  correlator.add([...history].reverse());
  const late = alert('Late', 200 * 15 + 2, 'svc-200', { labels: { alertname: 'Late', namespace: 'shop', pod: 'p200' } });
  const result = correlator.add([late]);
  assert.equal(result.placed.find((p) => p.key === alertKey(late))?.reason?.rule, 'same-service');
  assert.equal(correlator.incidentOfAlert(alertKey(late)), correlator.incidentOfAlert(alertKey(history[200] ?? late)));
});
