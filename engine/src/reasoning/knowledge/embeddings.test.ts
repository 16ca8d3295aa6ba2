import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, reciprocalRankFusion } from './embeddings.ts';

test('cosine similarity is scale-free and 0 for zero or mismatched vectors', () => {
  assert.equal(cosineSimilarity([1, 0], [5, 0]), 1);
  assert.equal(cosineSimilarity([1, 0], [0, 2]), 0);
  assert.equal(cosineSimilarity([1, 1], [-1, -1]), -1);
  assert.ok(Math.abs(cosineSimilarity([1, 2, 3], [2, 3, 4]) - 20 / Math.sqrt(14 * 29)) < 1e-12);
  assert.equal(cosineSimilarity([0, 0], [1, 1]), 0);
  assert.equal(cosineSimilarity([1], [1, 1]), 0);
});

test('reciprocal rank fusion sums 1 / (k + rank) over the lists', () => {
  const fused = reciprocalRankFusion(
    [
      ['a', 'b'],
      ['b', 'c'],
    ],
    60
  );
  assert.equal(fused.get('a'), 1 / 61);
  assert.equal(fused.get('b'), 1 / 62 + 1 / 61);
  assert.equal(fused.get('c'), 1 / 62);
  assert.equal(fused.get('d'), undefined);
});
