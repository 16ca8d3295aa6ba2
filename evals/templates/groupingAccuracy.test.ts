import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupingAccuracy } from './groupingAccuracy.ts';

test('a line is correct only when its group is exactly the lines of its event', () => {
  assert.equal(groupingAccuracy(['a', 'a', 'b', 'c'], ['E1', 'E1', 'E2', 'E3']), 1);
  // E1 split in two: both of its lines are wrong; E2 stays right.
  assert.equal(groupingAccuracy(['a', 'x', 'b'], ['E1', 'E1', 'E2']), 1 / 3);
  // E1 and E2 merged: all three lines are wrong.
  assert.equal(groupingAccuracy(['a', 'a', 'a'], ['E1', 'E1', 'E2']), 0);
  assert.throws(() => groupingAccuracy(['a'], []), /1 predictions for 0 labelled lines/);
});
