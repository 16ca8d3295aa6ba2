import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neighbourhood } from './neighbourhood.ts';

const edges = [
  { client: 'frontend', server: 'checkout' },
  { client: 'checkout', server: 'payment' },
  { client: 'payment', server: 'payment-db' },
  { client: 'payment-db', server: 'disk' },
  { client: 'payment-db', server: 'backup' },
  { client: 'mobile', server: 'checkout' },
  { client: 'admin', server: 'frontend' },
];

describe('neighbourhood', () => {
  it('follows dependencies three calls down, then adds direct callers', () => {
    assert.deepEqual(neighbourhood(['checkout'], edges, 25), [
      'checkout',
      'payment',
      'payment-db',
      'disk',
      'backup',
      'frontend',
      'mobile',
    ]);
    assert.deepEqual(neighbourhood(['frontend'], edges, 25), [
      'frontend',
      'checkout',
      'payment',
      'payment-db',
      'admin',
    ]);
  });

  it('keeps the incident’s own services first when it has to cut', () => {
    assert.deepEqual(neighbourhood(['payment', 'frontend'], edges, 3), ['payment', 'frontend', 'payment-db']);
  });

  it('is just the services without a graph', () => {
    assert.deepEqual(neighbourhood(['a', 'b'], [], 25), ['a', 'b']);
  });
});
