import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreGrouping, stormQuality } from './score.ts';

const truth = new Map([
  ['a1', 'A'], ['a2', 'A'], ['a3', 'A'],
  ['b1', 'B'], ['b2', 'B'],
  ['n1', 'noise:1'],
]);

test('a perfect grouping scores 1 everywhere', () => {
  const score = scoreGrouping(new Map([...truth].map(([key, group]) => [key, `inc-${group}`])), truth);
  assert.deepEqual([score.pairwisePrecision, score.pairwiseRecall, score.homogeneity, score.completeness], [1, 1, 1, 1]);
  assert.equal(score.incidents, 3);
});

test('one incident for everything: full recall, poor precision and homogeneity', () => {
  const score = scoreGrouping(new Map([...truth].map(([key]) => [key, 'one'])), truth);
  assert.equal(score.pairwiseRecall, 1);
  assert.equal(score.pairwisePrecision, 4 / 15); // 3 + 1 true pairs out of 15
  assert.equal(score.homogeneity, 0);
  assert.equal(score.completeness, 1);
});

test('every alert alone: full precision, no recall', () => {
  const score = scoreGrouping(new Map([...truth].map(([key]) => [key, key])), truth);
  assert.equal(score.pairwisePrecision, 1);
  assert.equal(score.pairwiseRecall, 0);
});

test('an alert the engine lost counts as wrongly placed', () => {
  const placed = new Map([...truth].filter(([key]) => key !== 'a3').map(([key, group]) => [key, group]));
  const score = scoreGrouping(placed, truth);
  assert.equal(score.pairwiseRecall, 2 / 4);
  assert.equal(score.incidents, 4);
});

test('the quality of a storm counts lost alerts, ignores alerts of other storms and measures compression on the raw volume', () => {
  const placed = new Map([
    ['a1', 'inc-1'], ['a2', 'inc-1'], ['a3', 'inc-1'],
    ['b1', 'inc-2'], ['b2', 'inc-2'],
    ['other-storm', 'inc-9'],
  ]);
  const quality = stormQuality('s#1', [{ truth, rawAlerts: 40 }], placed);
  assert.equal(quality.storm, 's#1');
  assert.equal(quality.uniqueAlerts, 6);
  assert.equal(quality.lost, 1); // n1 is in no incident
  assert.equal(quality.score.incidents, 3); // inc-1, inc-2 and the lost alert on its own; inc-9 is not this storm's
  assert.equal(quality.compression, 1 - 3 / 40);
});
