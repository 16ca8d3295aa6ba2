import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateStorm } from './storm.ts';

const options = { seed: 3, services: 300, faults: 20, noisyRules: 10, durationMs: 6 * 3_600_000 };

test('the same seed gives the same storm', () => {
  assert.deepEqual(generateStorm(options), generateStorm(options));
  assert.notDeepEqual(generateStorm(options).truth, generateStorm({ ...options, seed: 4 }).truth);
});

test('every delivered alert has a truth, and redeliveries make the raw volume', () => {
  const storm = generateStorm(options);
  const delivered = storm.deliveries.flatMap((d) => d.payload.alerts);
  assert.equal(delivered.length, storm.rawAlerts);
  for (const alert of delivered) {
    assert.ok(storm.truth.has(`${alert.fingerprint}@${alert.startsAt}`), `${alert.fingerprint} has no truth`);
  }
  assert.ok(storm.rawAlerts >= 1000, `the storm preset yields ${storm.rawAlerts} alerts`);
  assert.ok(storm.truth.size < storm.rawAlerts / 2, 'most raw alerts are redeliveries of the same alert');
});

test('deliveries are Alertmanager webhooks in sending order', () => {
  const storm = generateStorm({ ...options, services: 50, faults: 3 });
  for (const [i, delivery] of storm.deliveries.entries()) {
    assert.equal(delivery.payload.version, '4');
    assert.ok(delivery.payload.alerts.length > 0);
    assert.ok(i === 0 || (storm.deliveries[i - 1]?.at ?? 0) <= delivery.at);
    for (const alert of delivery.payload.alerts) {
      assert.match(alert.startsAt, /^\d{4}-\d\d-\d\dT/);
      assert.ok(alert.status === 'resolved' ? alert.endsAt > alert.startsAt : alert.endsAt.startsWith('0001'));
    }
  }
});

test('faults propagate to callers: one fault spans several services', () => {
  const storm = generateStorm({ ...options, faults: 1, noisyRules: 0 });
  const services = new Set(storm.deliveries.flatMap((d) => d.payload.alerts.map((a) => a.labels.service)));
  assert.ok(services.size > 1, `one fault reached ${services.size} service(s)`);
});

test('storms with different name prefixes have disjoint truths, so they can be scored together', () => {
  const first = generateStorm({ ...options, namePrefix: 'a-' });
  const second = generateStorm({ ...options, namePrefix: 'b-', start: new Date('2026-11-03T08:00:00Z') });
  const groups = (storm: typeof first) => new Set([...storm.truth.values()].filter((group) => !group.startsWith('noise:')));
  const shared = [...groups(first)].filter((group) => groups(second).has(group));
  assert.deepEqual(shared, []);
  assert.ok(first.services.every((service) => service.name.startsWith('a-')));
});
