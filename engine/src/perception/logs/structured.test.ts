import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLogfmt, parseStructured } from './structured.ts';

test('JSON lines give their message field and keep the other fields as labels', () => {
  assert.deepEqual(parseStructured('{"level":"info","msg":"user logged in","user":"ann","n":3,"nested":{"a":1}}'), {
    message: 'user logged in',
    labels: { level: 'info', user: 'ann', n: '3' },
  });
  assert.equal(parseStructured('{"level":"info","note":"no message field"}'), undefined);
  assert.equal(parseStructured('{not json'), undefined);
  assert.equal(parseStructured('[1,2]'), undefined);
});

test('logfmt lines give their msg, with quoted values and escapes', () => {
  assert.deepEqual(parseStructured('ts=2024-01-01T00:00:00Z level=warn msg="disk \\"sda\\" almost full" used=91%'), {
    message: 'disk "sda" almost full',
    labels: { ts: '2024-01-01T00:00:00Z', level: 'warn', used: '91%' },
  });
  assert.deepEqual(parseLogfmt('a=1 b="x y" flag'), { a: '1', b: 'x y', flag: 'true' });
});

test('prose with an equals sign is not logfmt', () => {
  assert.equal(parseStructured('set x = 4 for the user'), undefined);
  assert.equal(parseStructured('plain line without pairs'), undefined);
});
