import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../testing/random.ts';
import { networkGaps } from './edgeLatency.ts';
import type { EdgeLatencySeries } from './edgeLatency.ts';

const noise = gaussian(seededRandom(11));

/** One edge seen from both sides: the callee handles calls in `handling` s, the network adds `network` s each way. */
function edge(
  client: string,
  server: string,
  { handling = 0.004, network = 0.001, addedNetwork = 0, addedHandling = 0 } = {}
): EdgeLatencySeries[] {
  const base = Array.from({ length: 10 }, () => handling * (1 + 0.05 * noise()));
  const slow = Array.from({ length: 5 }, () => (handling + addedHandling) * (1 + 0.05 * noise()));
  const wire = (): number => network * (1 + 0.1 * noise());
  return [
    { client, server, side: 'server', name: 'p50', baseline: base, anomalous: slow },
    {
      client,
      server,
      side: 'client',
      name: 'p50',
      baseline: base.map((value) => value + wire()),
      anomalous: slow.map((value) => value + wire() + addedNetwork),
    },
  ];
}

test('a delay on one service network blames it, not the callers that saw it on one of their edges', () => {
  const series = [
    ...edge('frontend', 'cart', { addedNetwork: 0.2 }),
    ...edge('checkout', 'cart', { addedNetwork: 0.2 }),
    ...edge('frontend', 'checkout'),
    ...edge('frontend', 'catalog'),
    ...edge('checkout', 'catalog'),
  ];
  const gaps = networkGaps(series);
  const cart = gaps.get('cart');
  assert.ok(cart);
  assert.ok(cart.strength > 3, String(cart.strength));
  assert.equal(cart.strongest.server, 'cart');
  assert.ok(cart.strongest.onset === 0);
  for (const other of ['frontend', 'checkout', 'catalog']) {
    // Checkout sees the delay on one of its two outgoing edges: about half of what cart shows.
    assert.ok((gaps.get(other)?.strength ?? 0) < 0.6 * cart.strength, other);
  }
});

test('a callee slow in its own handling leaves the network time flat', () => {
  const gaps = networkGaps([...edge('frontend', 'cart', { addedHandling: 0.2 }), ...edge('frontend', 'catalog')]);
  assert.ok((gaps.get('cart')?.strength ?? 0) < 1.5, String(gaps.get('cart')?.strength));
});

test('a requests-late delay shows on all calls out of the service', () => {
  const series = [
    ...edge('checkout', 'cart', { addedNetwork: 0.2 }),
    ...edge('checkout', 'payment', { addedNetwork: 0.2 }),
    ...edge('frontend', 'checkout'),
    ...edge('frontend', 'cart'),
    ...edge('frontend', 'payment'),
  ];
  const gaps = networkGaps(series);
  const checkout = gaps.get('checkout')?.strength ?? 0;
  assert.ok(checkout > (gaps.get('cart')?.strength ?? 0), String(checkout));
  assert.ok(checkout > (gaps.get('payment')?.strength ?? 0), String(checkout));
});

test('an edge seen from one side only, or from a service to itself, says nothing', () => {
  const [server, client] = edge('a', 'b', { addedNetwork: 0.2 });
  assert.ok(server && client);
  assert.equal(networkGaps([client]).size, 0);
  assert.equal(networkGaps(edge('a', 'a', { addedNetwork: 0.2 })).size, 0);
});

test('a network time that was exactly constant does not turn a tiny change into a huge score', () => {
  const flat = Array.from({ length: 10 }, () => 0.005);
  const series: EdgeLatencySeries[] = [
    { client: 'a', server: 'b', side: 'server', name: 'p50', baseline: flat, anomalous: [0.005, 0.005, 0.005] },
    { client: 'a', server: 'b', side: 'client', name: 'p50', baseline: flat, anomalous: [0.00502, 0.00502, 0.00502] },
  ];
  // The floor is 1% of the caller's latency (0.00005 s): a 0.00002 s change is under one sigma.
  assert.ok((networkGaps(series).get('b')?.strongest.deviation ?? 0) < 1);
});
