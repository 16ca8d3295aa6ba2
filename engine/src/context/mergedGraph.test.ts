import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cmdb } from './cmdb.ts';
import { dependantsOf, dependencyGraphOf, mergedGraph, neighboursOf } from './mergedGraph.ts';

const cmdb: Cmdb = {
  services: [
    { name: 'frontend', dependsOn: ['checkout', 'cart'] },
    { name: 'checkout', aliases: ['checkoutservice'], dependsOn: ['payment'] },
    { name: 'cart', dependsOn: ['redis'] },
  ],
};

describe('mergedGraph', () => {
  it('marks each edge as declared, observed or both, mapping trace names to CMDB names', () => {
    const graph = mergedGraph(cmdb, [
      { client: 'frontend', server: 'checkoutservice' },
      { client: 'checkout', server: 'currency' },
      { client: 'user', server: 'frontend' },
      { client: 'cart', server: 'cart' },
      { client: 'checkout', server: 'currency' },
    ]);
    assert.deepEqual(graph.edges, [
      { client: 'cart', server: 'redis', source: 'cmdb' },
      { client: 'checkout', server: 'currency', source: 'traces' },
      { client: 'checkout', server: 'payment', source: 'cmdb' },
      { client: 'frontend', server: 'cart', source: 'cmdb' },
      { client: 'frontend', server: 'checkout', source: 'both' },
    ]);
    assert.deepEqual(graph.services, ['cart', 'checkout', 'currency', 'frontend', 'payment', 'redis']);
  });

  it('works without a CMDB and keeps a "user" service the CMDB declares', () => {
    assert.deepEqual(mergedGraph(undefined, [{ client: 'a', server: 'b' }]).edges, [{ client: 'a', server: 'b', source: 'traces' }]);
    const withUser = mergedGraph({ services: [{ name: 'user' }] }, [{ client: 'user', server: 'login' }]);
    assert.deepEqual(withUser.edges, [{ client: 'user', server: 'login', source: 'traces' }]);
  });

  it('gives a DependencyGraph, dependants and neighbours', () => {
    const graph = mergedGraph(cmdb, [{ client: 'checkout', server: 'currency' }]);
    assert.deepEqual(dependencyGraphOf(graph, 2).relation('frontend', 'currency'), { kind: 'downstream', hops: 2 });
    assert.deepEqual([...dependantsOf(graph, ['payment'], { maxHops: 5, maxServices: 10 })], [['payment', 0], ['checkout', 1], ['frontend', 2]]);
    assert.deepEqual([...dependantsOf(graph, ['payment'], { maxHops: 1, maxServices: 10 })], [['payment', 0], ['checkout', 1]]);
    assert.deepEqual([...dependantsOf(graph, ['payment', 'redis'], { maxHops: 5, maxServices: 3 })], [['payment', 0], ['redis', 0], ['checkout', 1]]);
    assert.deepEqual(neighboursOf(graph, ['checkout']), ['currency', 'frontend', 'payment']);
  });
});
