import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstRelevantRank, retrievalMetrics } from './metrics.ts';

test('first relevant rank is 1-based and null when nothing expected was retrieved', () => {
  assert.equal(firstRelevantRank(['a', 'b', 'c'], ['c', 'b']), 2);
  assert.equal(firstRelevantRank(['a'], ['a']), 1);
  assert.equal(firstRelevantRank(['a', 'b'], ['z']), null);
  assert.equal(firstRelevantRank([], ['a']), null);
});

test('hit rate at k counts ranks up to k; MRR averages reciprocal ranks with misses as 0', () => {
  const metrics = retrievalMetrics([1, 2, 4, null], [1, 3, 5]);
  assert.deepEqual(metrics.hitRate, { 1: 0.25, 3: 0.5, 5: 0.75 });
  assert.equal(metrics.mrr, (1 + 1 / 2 + 1 / 4 + 0) / 4);
  assert.equal(metrics.queries, 4);
  assert.deepEqual(retrievalMetrics([], [1]), { queries: 0, hitRate: { 1: 0 }, mrr: 0 });
});
