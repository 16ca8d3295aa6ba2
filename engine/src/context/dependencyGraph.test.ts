import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph } from './dependencyGraph.ts';

const graph = new DependencyGraph([
  { name: 'frontend', dependsOn: ['checkout', 'search'] },
  { name: 'checkout', dependsOn: ['payments', 'db'] },
  { name: 'payments', dependsOn: ['db'] },
  { name: 'search', dependsOn: ['index'] },
  { name: 'reports', dependsOn: ['db'] },
]);

test('relations follow the edges in both directions up to maxHops', () => {
  assert.deepEqual(graph.relation('checkout', 'payments'), { kind: 'downstream', hops: 1 });
  assert.deepEqual(graph.relation('frontend', 'db'), { kind: 'downstream', hops: 2 });
  assert.deepEqual(graph.relation('db', 'frontend'), { kind: 'upstream', hops: 2 });
  assert.deepEqual(graph.relation('reports', 'payments'), { kind: 'sibling' });
  assert.equal(graph.relation('checkout', 'search'), undefined, 'sharing a caller does not relate two services');
});

test('services further than maxHops, or unknown, are unrelated', () => {
  assert.equal(graph.relation('index', 'db'), undefined);
  assert.equal(graph.relation('frontend', 'nowhere'), undefined);
  assert.equal(new DependencyGraph([{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['c'] }], 1).relation('a', 'c'), undefined);
});

test('knows the services named only as dependencies', () => {
  assert.ok(graph.has('index'));
  assert.equal(graph.size, 7);
});
