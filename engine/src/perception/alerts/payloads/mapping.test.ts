import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../../../invalidInput.ts';
import type { AlertMapping } from '../../../settings/settings.ts';
import { genericAlerts } from './generic.ts';
import { mapAlerts, valueAt } from './mapping.ts';

const RECEIVED = new Date('2026-11-02T10:00:00Z');

// A payload shaped like many incident tools': an envelope with an array of events.
const zabbixLike = {
  event: 'batch',
  data: {
    items: [
      {
        name: 'High CPU on web-1',
        clock: 1793606400,
        state: 'PROBLEM',
        priority: 'high',
        host: { name: 'web-1', group: 'frontend' },
        tags: { env: 'prod', port: 443, owner: null },
        id: 991,
        link: 'https://zbx.example.com/event/991',
      },
      {
        name: 'High CPU on web-1',
        clock: '1793606400000',
        state: 'OK',
        priority: 'high',
        host: { name: 'web-1', group: 'frontend' },
        tags: { env: 'prod' },
        id: 992,
      },
    ],
  },
};

const mapping: AlertMapping = {
  alerts: 'data.items',
  title: 'name',
  startsAt: 'clock',
  status: 'state',
  severity: 'priority',
  service: 'host.group',
  labels: 'tags',
  fingerprint: 'id',
  generatorURL: 'link',
};

function rejects(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof InvalidInput && message.test(error.message) ? true : assert.fail(String(error)));
}

describe('valueAt', () => {
  it('follows dotted paths through objects and array indexes, own keys only', () => {
    const data = { a: { b: [{ c: 1 }, { c: 2 }] } };
    assert.equal(valueAt(data, 'a.b.1.c'), 2);
    assert.equal(valueAt(data, 'a.x.c'), undefined);
    assert.deepEqual(valueAt(data, ''), data);
    assert.equal(valueAt({}, 'constructor'), undefined);
    assert.equal(valueAt({ a: 'text' }, 'a.length'), undefined);
  });
});

describe('mapAlerts', () => {
  it('maps another tool\'s payload to generic alerts, converting times, statuses and label values', () => {
    const { alerts } = mapAlerts(zabbixLike, mapping, 'zabbix');
    assert.equal(alerts.length, 2);
    const [problem, ok] = alerts;
    assert.deepEqual(problem, {
      title: 'High CPU on web-1',
      startsAt: '2026-11-02T08:00:00.000Z',
      status: 'firing',
      severity: 'high',
      service: 'frontend',
      labels: { env: 'prod', port: '443' },
      fingerprint: '991',
      generatorURL: 'https://zbx.example.com/event/991',
    });
    assert.equal(ok?.status, 'resolved');
    assert.equal(ok?.startsAt, '2026-11-02T08:00:00.000Z', 'epoch milliseconds as text');
    const raw = genericAlerts(alerts, RECEIVED);
    assert.equal(raw[0]?.severity, 'high');
    assert.deepEqual(raw[1]?.endsAt, RECEIVED, 'resolved without an end: ended when received');
  });

  it('takes a single object or an array as the body when no alerts path is set', () => {
    const single = { title: 'x', at: '2026-11-02T08:00:00Z' };
    assert.equal(mapAlerts(single, { title: 'title', startsAt: 'at' }, 'one').alerts.length, 1);
    assert.equal(mapAlerts([single, single], { title: 'title', startsAt: 'at' }, 'many').alerts.length, 2);
  });

  it('names the source field and the mapping when a mapped value is missing or wrong', () => {
    rejects(() => mapAlerts({ data: {} }, mapping, 'zabbix'), /^body\/data\/items must be an array of alerts \(mapping "zabbix" reads alerts from "data.items"\)$/);
    const withoutName = { data: { items: [{ ...zabbixLike.data.items[0], name: undefined }] } };
    rejects(() => mapAlerts(withoutName, mapping, 'zabbix'), /^body\/data\/items\/0\/name is missing \(mapping "zabbix": title\)$/);
    const badTime = { data: { items: [zabbixLike.data.items[0], { ...zabbixLike.data.items[0], clock: 'noon' }] } };
    rejects(() => mapAlerts(badTime, mapping, 'zabbix'), /^body\/data\/items\/1\/clock must be an RFC 3339 time .*\(mapping "zabbix": startsAt\)$/);
    const badState = { data: { items: [{ ...zabbixLike.data.items[0], state: 'UNKNOWN' }] } };
    rejects(() => mapAlerts(badState, mapping, 'zabbix'), /^body\/data\/items\/0\/state must be one of firing, resolved \(mapping "zabbix": status\)$/);
    const badLabels = { data: { items: [{ ...zabbixLike.data.items[0], tags: ['a'] }] } };
    rejects(() => mapAlerts(badLabels, mapping, 'zabbix'), /^body\/data\/items\/0\/tags must be object \(mapping "zabbix": labels\)$/);
  });

  it('names the mapped field when a later check fails', () => {
    const badSeverity = { data: { items: [{ ...zabbixLike.data.items[0], priority: 'apocalyptic' }] } };
    const mapped = mapAlerts(badSeverity, mapping, 'zabbix');
    rejects(() => genericAlerts(mapped.alerts, RECEIVED, mapped.where), /^body\/data\/items\/0\/priority \(mapping "zabbix": severity\) "apocalyptic" is not a severity/);
  });
});
