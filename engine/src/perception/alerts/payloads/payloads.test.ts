import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { InvalidInput } from '../../../invalidInput.ts';
import { AlertmanagerWebhookSchema } from './alertmanager.ts';
import { START_TIME_NOTE } from './common.ts';
import { GrafanaWebhookSchema } from './grafana.ts';
import { LIMITS } from './limits.ts';
import { parseAlertmanager, parseGeneric, parseGrafana } from './parse.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(HERE, 'fixtures');
/** Upstream payloads (../shared/contracts beside the repository), or INTELOPS_CONTRACTS_DIR. */
const CONTRACTS = process.env.INTELOPS_CONTRACTS_DIR ?? path.resolve(HERE, '../../../../../../shared/contracts');
const RECEIVED = new Date('2026-11-02T10:00:00Z');

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

function rejects(parse: () => unknown, message: RegExp): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof InvalidInput, `expected InvalidInput, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

/**
 * Alertmanager documents its v4 payload only as a sketch with placeholders (<string>, "<resolved|firing>", //
 * comments, "..."). This fills the placeholders with sample values, so that the sketch itself goes through
 * the parser; an unknown placeholder fails the test instead of being guessed.
 */
function instantiateSketch(sketch: string): string {
  const samples: Record<string, string> = { string: '"sample"', int: '0', object: '{}', '"<rfc3339>"': '"2026-11-02T08:00:00Z"' };
  return sketch
    .split('\n')
    .map((line) => line.replace(/\s*\/\/.*$/, ''))
    .filter((line) => line.trim() !== '...')
    .join('\n')
    .replace(/"<rfc3339>"/g, samples['"<rfc3339>"'] ?? '')
    .replace(/"<([a-z]+)\|[^>]*>"/g, '"$1"')
    .replace(/<([a-z0-9]+)>/g, (match, name: string) => {
      const sample = samples[name];
      assert.ok(sample !== undefined, `unknown placeholder ${match} in the Alertmanager sketch`);
      return sample;
    })
    .replace(/,(\s*[}\]])/g, '$1');
}

function contractFiles(source: string): string[] {
  const dir = path.join(CONTRACTS, source);
  return existsSync(dir) ? readdirSync(dir).map((file) => path.join(dir, file)) : [];
}

describe('upstream contracts', () => {
  const present = existsSync(CONTRACTS);
  const skip = present ? false : `no upstream contracts at ${CONTRACTS} (set INTELOPS_CONTRACTS_DIR to check against them)`;

  it('parses every Alertmanager payload and documents every field the upstream schema names', { skip }, () => {
    const files = contractFiles('alertmanager');
    assert.ok(files.length > 0, 'the alertmanager contract folder is empty');
    const alertFields = Object.keys(AlertmanagerWebhookSchema.properties.alerts.items.properties);
    const topFields = Object.keys(AlertmanagerWebhookSchema.properties);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const json = file.endsWith('.json') ? text : instantiateSketch(text);
      const alerts = parseAlertmanager(JSON.parse(json), RECEIVED);
      assert.ok(alerts.length > 0, `${path.basename(file)} has alerts`);
      for (const alert of alerts) {
        assert.ok(alert.status === 'firing' || alert.status === 'resolved');
        assert.ok(alert.startsAt instanceof Date && !Number.isNaN(alert.startsAt.getTime()));
      }
      for (const [, field] of json.matchAll(/"(\w+)":/g)) {
        assert.ok(field !== undefined && (topFields.includes(field) || alertFields.includes(field)), `${path.basename(file)}: field "${field}" is not in our schema`);
      }
    }
  });

  it('parses every Grafana webhook payload, keeping label sets and treating the zero start as unset', { skip }, () => {
    const files = contractFiles('grafana').filter((file) => file.endsWith('.json'));
    assert.ok(files.length > 0, 'the grafana contract folder has no JSON');
    for (const file of files) {
      const body: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const alerts = parseGrafana(body, RECEIVED);
      const sent = Object(body).alerts;
      assert.ok(Array.isArray(sent));
      assert.equal(alerts.length, sent.length, path.basename(file));
      alerts.forEach((alert, index) => {
        const original = Object(sent[index]);
        assert.deepEqual(alert.labels, original.labels);
        assert.equal(alert.fingerprint, original.fingerprint);
        if (String(original.startsAt).startsWith('0001-01-01')) {
          assert.deepEqual(alert.startsAt, RECEIVED);
          assert.match(alert.annotations[START_TIME_NOTE] ?? '', /received/);
        } else {
          assert.equal(alert.startsAt.getTime(), Date.parse(original.startsAt));
        }
        assert.equal(alert.endsAt, undefined, 'zero endsAt of a firing alert means unset');
      });
    }
    assert.ok(Object.keys(GrafanaWebhookSchema.properties.alerts.items.properties).includes('valueString'));
  });
});

describe('Alertmanager webhook', () => {
  it('reads a firing notification: nanosecond and offset times, null annotations, empty fingerprint', () => {
    const [db, payments, ...rest] = parseAlertmanager(fixture('alertmanager-firing.json'), RECEIVED);
    assert.equal(rest.length, 0);
    assert.ok(db && payments);
    assert.equal(db.startsAt.toISOString(), '2026-11-02T08:00:03.123Z');
    assert.equal(db.endsAt, undefined);
    assert.equal(db.fingerprint, '5f1c2a9e0b7d4c31');
    assert.equal(db.generatorURL, 'http://prometheus:9090/graph?g0.expr=pg_up+%3D%3D+0&g0.tab=1');
    assert.equal(db.annotations.summary, 'PostgreSQL on db-0 is down');
    assert.equal(payments.startsAt.toISOString(), '2026-11-02T08:01:10.000Z');
    assert.deepEqual(payments.annotations, {});
    assert.equal(payments.fingerprint, undefined, 'an empty fingerprint is computed from the labels later');
    assert.equal(payments.generatorURL, undefined);
  });

  it('reads a resolved notification with its end time', () => {
    const [db] = parseAlertmanager(fixture('alertmanager-resolved.json'), RECEIVED);
    assert.equal(db?.status, 'resolved');
    assert.equal(db?.endsAt?.toISOString(), '2026-11-02T08:12:33.500Z');
  });

  it('ends a resolved alert sent without an end time when it was received', () => {
    const body = { alerts: [{ status: 'resolved', labels: { alertname: 'A' }, startsAt: '2026-11-02T08:00:00Z', endsAt: '0001-01-01T00:00:00Z' }] };
    assert.deepEqual(parseAlertmanager(body, RECEIVED)[0]?.endsAt, RECEIVED);
  });

  it('accepts fields senders add, but checks the types of the fields it reads', () => {
    const body = fixture('alertmanager-firing.json');
    const extended = { ...Object(body), someNewField: { nested: true }, alerts: [{ ...Object(body).alerts[0], extra: 42 }] };
    assert.equal(parseAlertmanager(extended, RECEIVED).length, 1);
    rejects(() => parseAlertmanager({ ...Object(body), truncatedAlerts: 'none' }, RECEIVED), /^body\/truncatedAlerts must be integer$/);
    rejects(() => parseAlertmanager({ ...Object(body), commonLabels: { a: 1 } }, RECEIVED), /^body\/commonLabels\/a must be string$/);
  });

  it('names what is missing or wrong, and where', () => {
    const alert = { status: 'firing', labels: { alertname: 'A' }, startsAt: '2026-11-02T08:00:00Z' };
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^body must have required property 'alerts'$/],
      [{ alerts: {} }, /^body\/alerts must be array$/],
      [{ alerts: [alert, { ...alert, startsAt: undefined }] }, /^body\/alerts\/1 must have required property 'startsAt'$/],
      [{ alerts: [{ ...alert, status: 'broken' }] }, /^body\/alerts\/0\/status must be one of firing, resolved$/],
      [{ alerts: [{ ...alert, labels: 'x' }] }, /^body\/alerts\/0\/labels must be object$/],
      [{ alerts: [{ ...alert, labels: { alertname: 7 } }] }, /^body\/alerts\/0\/labels\/alertname must be string$/],
      [{ alerts: [alert, alert, alert, { ...alert, startsAt: 'yesterday' }] }, /^body\/alerts\/3\/startsAt must be an RFC 3339 time/],
      [{ alerts: [{ ...alert, startsAt: '2026-11-02T08:00:00' }] }, /^body\/alerts\/0\/startsAt must be an RFC 3339 time/],
      [{ alerts: [{ ...alert, startsAt: '2026-11-02T23:59:60Z' }] }, /^body\/alerts\/0\/startsAt must be an RFC 3339 time.*got "2026-11-02T23:59:60Z"/],
      [{ alerts: [{ ...alert, endsAt: 12 }] }, /^body\/alerts\/0\/endsAt must be string$/],
      [{ alerts: [{ ...alert, fingerprint: 'f'.repeat(LIMITS.fingerprintLength + 1) }] }, /^body\/alerts\/0\/fingerprint must NOT have more than 256 characters$/],
    ];
    for (const [body, message] of cases) {
      rejects(() => parseAlertmanager(body, RECEIVED), message);
    }
  });

  it('refuses label sets over the limits', () => {
    const alert = { status: 'firing', startsAt: '2026-11-02T08:00:00Z' };
    const many = Object.fromEntries(Array.from({ length: LIMITS.entriesPerMap + 1 }, (_, i) => [`l${i}`, 'v']));
    rejects(() => parseAlertmanager({ alerts: [{ ...alert, labels: many }] }, RECEIVED), /^body\/alerts\/0\/labels must NOT have more than 64 properties$/);
    rejects(
      () => parseAlertmanager({ alerts: [{ ...alert, labels: { ['k'.repeat(129)]: 'v' } }] }, RECEIVED),
      /^body\/alerts\/0\/labels has a key "k{60}…" that must NOT have more than 128 characters$/
    );
    rejects(() => parseAlertmanager({ alerts: [{ ...alert, labels: { '': 'v' } }] }, RECEIVED), /^body\/alerts\/0\/labels has a key "" that must NOT have fewer than 1 characters$/);
    rejects(() => parseAlertmanager({ alerts: [{ ...alert, labels: { a: 'v'.repeat(LIMITS.labelValueLength + 1) } }] }, RECEIVED), /^body\/alerts\/0\/labels\/a must NOT have more than 4096 characters$/);
    const annotations = { description: 'd'.repeat(LIMITS.labelValueLength + 1) };
    assert.equal(parseAlertmanager({ alerts: [{ ...alert, labels: {}, annotations }] }, RECEIVED).length, 1, 'annotations may be longer than labels');
    const tooMany = Array.from({ length: LIMITS.alertsPerRequest + 1 }, () => ({ ...alert, labels: {} }));
    rejects(() => parseAlertmanager({ alerts: tooMany }, RECEIVED), /^body\/alerts must NOT have more than 10000 items$/);
  });
});

describe('values PostgreSQL cannot store', () => {
  it('refuses the NUL character anywhere in an alert, naming the field', () => {
    const alert = { status: 'firing', labels: { alertname: 'A' }, startsAt: '2026-11-02T08:00:00Z' };
    rejects(() => parseAlertmanager({ alerts: [{ ...alert, labels: { alertname: 'A\u0000' } }] }, RECEIVED), /^body\/alerts\/0\/labels\/alertname must not contain the NUL character/);
    rejects(() => parseAlertmanager({ alerts: [alert, { ...alert, annotations: { 'x\u0000': 'y' } }] }, RECEIVED), /^body\/alerts\/1\/annotations\/x\\u0000 must not contain/);
    rejects(() => parseGrafana({ alerts: [{ ...alert, fingerprint: '\u0000' }] }, RECEIVED), /^body\/alerts\/0\/fingerprint must not contain/);
    rejects(() => parseGeneric({ alerts: [{ title: 'T\u0000', startsAt: '2026-11-02T08:00:00Z' }] }, RECEIVED), /^body\/alerts\/0\/title must not contain/);
    rejects(() => parseGeneric({ alerts: [{ title: 'T', labels: { a: '\u0000' }, startsAt: '2026-11-02T08:00:00Z' }] }, RECEIVED), /^body\/alerts\/0\/labels key "a" must not contain/);
  });
});

describe('Grafana webhook', () => {
  it('reads a firing notification with Grafana\'s own fields', () => {
    const [checkout] = parseGrafana(fixture('grafana-firing.json'), RECEIVED);
    assert.equal(checkout?.labels.service, 'checkout');
    assert.equal(checkout?.startsAt.toISOString(), '2026-11-02T08:02:00.000Z');
    assert.equal(checkout?.generatorURL, 'https://grafana.example.com/alerting/grafana/bdzt0qck9e/view?orgId=1');
  });

  it('gives a test notification (zero start) the time of receipt and says so', () => {
    const [test] = parseGrafana(fixture('grafana-test-notification.json'), RECEIVED);
    assert.deepEqual(test?.startsAt, RECEIVED);
    assert.match(test?.annotations[START_TIME_NOTE] ?? '', /no start time/);
    assert.equal(test?.annotations.summary, 'Notification test');
  });
});

describe('generic alerts', () => {
  const base = { title: 'Disk full on db-0', startsAt: '2026-11-02T08:00:00Z' };

  it('fills in status, severity and fingerprint', () => {
    const [plain, resolved, explicit] = parseGeneric(
      {
        alerts: [
          base,
          { ...base, endsAt: '2026-11-02T09:00:00Z' },
          { ...base, status: 'firing', severity: 'P1', service: 'db', fingerprint: 'fp-1', labels: { host: 'db-0' }, annotations: { note: 'x' } },
        ],
      },
      RECEIVED
    );
    assert.equal(plain?.status, 'firing');
    assert.equal(plain?.severity, undefined, 'left to the labels (warning by default)');
    assert.match(plain?.fingerprint ?? '', /^[0-9a-f]{16}$/);
    assert.equal(resolved?.status, 'resolved', 'an end in the past means resolved');
    assert.equal(resolved?.endsAt?.toISOString(), '2026-11-02T09:00:00.000Z');
    assert.equal(resolved?.fingerprint, plain?.fingerprint, 'same labels, title and service: same alert');
    assert.equal(explicit?.severity, 'critical');
    assert.equal(explicit?.service, 'db');
    assert.equal(explicit?.fingerprint, 'fp-1');
    assert.notEqual(parseGeneric({ alerts: [{ ...base, title: 'Disk full on db-1' }] }, RECEIVED)[0]?.fingerprint, plain?.fingerprint);
  });

  it('rejects unknown keys (usually typos), unknown severities and bad times', () => {
    rejects(() => parseGeneric({ alerts: [{ ...base, startAt: base.startsAt }] }, RECEIVED), /^body\/alerts\/0 has unknown property "startAt" \(allowed: title, status/);
    rejects(() => parseGeneric({ alerts: [{ ...base, severity: 'apocalyptic' }] }, RECEIVED), /^body\/alerts\/0\/severity "apocalyptic" is not a severity/);
    rejects(() => parseGeneric({ alerts: [{ ...base, severity: 'constructor' }] }, RECEIVED), /is not a severity/);
    rejects(() => parseGeneric({ alerts: [{ ...base, title: '' }] }, RECEIVED), /^body\/alerts\/0\/title must NOT have fewer than 1 characters$/);
    rejects(() => parseGeneric({ alerts: [base], extra: 1 }, RECEIVED), /^body has unknown property "extra" \(allowed: alerts\)$/);
  });
});
