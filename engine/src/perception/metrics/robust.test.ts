import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolateGaps, toGrid } from './grid.ts';
import { autocorrelation, mad, median, quantile, quantum } from './robust.ts';
import { baselineStep, niceStep, stepForPoints } from './steps.ts';

describe('robust statistics', () => {
  it('computes medians, quantiles, MAD and resolution', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([1, 2, 3, 4]), 2.5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(quantile([0, 10], 0.25), 2.5);
    assert.equal(mad([1, 2, 3, 4, 100], 3), 1);
    assert.equal(quantum([4, 4, 5, 3, 4]), 1);
    assert.equal(quantum([0.5, 1.5, 1]), 0.5);
    assert.equal(quantum([7, 7]), undefined);
    const cycle = Array.from({ length: 96 }, (_, i) => Math.sin((2 * Math.PI * i) / 24));
    assert.ok(autocorrelation(cycle, 24) > 0.9);
    assert.ok(autocorrelation(cycle, 12) < -0.9);
    assert.equal(autocorrelation([1, 1, 1], 1), 0);
  });
});

describe('grid', () => {
  it('places samples on the step grid, dropping NaN and sentinels and filling when told', () => {
    const samples = [
      { t: 60_000, v: 1 },
      { t: 121_000, v: 2 },
      { t: 180_000, v: Number.NaN },
      { t: 240_000, v: -1.7976931348623157e308 },
    ];
    assert.deepEqual(toGrid(samples, { from: 30_000, to: 300_000 }, 60_000).values, [1, 2, null, null]);
    assert.deepEqual(toGrid(samples, { from: 30_000, to: 300_000 }, 60_000, 0).values, [1, 2, 0, 0]);
    assert.deepEqual(
      toGrid(samples, { from: 30_000, to: 300_000 }, 60_000).timestamps,
      [60_000, 120_000, 180_000, 240_000]
    );
  });

  it('interpolates gaps linearly and holds the edges', () => {
    assert.deepEqual(interpolateGaps([null, 1, null, null, 4, null]), [1, 1, 2, 3, 4, 4]);
    assert.equal(interpolateGaps([null, null]), undefined);
  });
});

describe('steps', () => {
  it('rounds to nice steps and targets a point count', () => {
    assert.equal(niceStep(3.6), 5);
    assert.equal(niceStep(100_000), 172_800);
    assert.equal(stepForPoints(3_600_000, 1000), 5);
    assert.equal(stepForPoints(60_000, 1000), 1, 'never below the minimum');
    assert.equal(baselineStep(2 * 86_400_000, 5), 120);
    assert.equal(baselineStep(3_600_000, 60), 60, 'never finer than the incident step');
  });
});
