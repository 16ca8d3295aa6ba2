import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acAt, accuracy, calibration } from './accuracy.ts';
import { faultClassOf } from './evalRca.ts';

const cases = [
  { truth: 'a', ranking: ['a', 'b', 'c'] },
  { truth: 'b', ranking: ['a', 'b', 'c'] },
  { truth: 'c', ranking: ['a', 'b', 'd', 'e', 'c'] },
  { truth: 'z', ranking: ['a', 'b'] },
];

test('AC@k counts the cases whose truth is in the top k; Avg@5 averages AC@1..5', () => {
  assert.equal(acAt(cases, 1), 0.25);
  assert.equal(acAt(cases, 2), 0.5);
  assert.equal(acAt(cases, 5), 0.75);
  const result = accuracy(cases);
  assert.deepEqual(result, {
    'AC@1': 0.25,
    'AC@3': 0.5,
    'AC@5': 0.75,
    'Avg@5': (0.25 + 0.5 + 0.5 + 0.5 + 0.75) / 5,
    cases: 4,
  });
  assert.deepEqual(accuracy([]), { 'AC@1': 0, 'AC@3': 0, 'AC@5': 0, 'Avg@5': 0, cases: 0 });
});

test('expected calibration error weighs each confidence bin by its cases', () => {
  // Bin 0.9: 2 cases, confidence 0.9, 1 correct → gap 0.4; bin 0.5: 2 cases, 0.5, 1 correct → gap 0.
  const result = calibration([
    { confidence: 0.9, correct: true },
    { confidence: 0.9, correct: false },
    { confidence: 0.5, correct: true },
    { confidence: 0.5, correct: false },
  ]);
  assert.ok(Math.abs(result.ece - 0.2) < 1e-9, String(result.ece));
  assert.equal(result.meanConfidence, 0.7);
  assert.equal(result.top1Accuracy, 0.5);
  assert.equal(calibration([{ confidence: 1, correct: true }]).ece, 0);
});

test('resource faults are told from code-level ones by whole words of their type', () => {
  assert.deepEqual(
    ['cpu_contention', 'cpu_consumed', 'network_delay', 'mem', 'disk-io', 'exception', 'return'].map(faultClassOf),
    ['resource', 'resource', 'resource', 'resource', 'resource', 'code', 'code']
  );
});
