import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviation, MAX_SIGMAS } from './deviation.ts';

const noisy = [10, 11, 9, 10, 12, 8, 10, 11, 9, 10];

test('scores a sustained rise in robust standard deviations and finds its onset', () => {
  const found = deviation(noisy, [10, 10, 30, 31, 32], 'up');
  assert.ok(found);
  // Median 10, MAD 1 → sigma 1.4826; the rise held two points is 31 − 10 = 21 → about 14 sigmas.
  assert.ok(Math.abs(found.score - 21 / 1.4826) < 1e-9, String(found.score));
  assert.equal(found.direction, 'up');
  assert.equal(found.onset, 2);
});

test('a single-sample spike counts only as much as its neighbour', () => {
  const found = deviation(noisy, [10, 100, 10, 10], 'up');
  assert.ok(found);
  assert.ok(found.score < 1, String(found.score));
  assert.equal(found.onset, undefined);
});

test('a flat baseline does not turn a small wobble into a huge score', () => {
  const found = deviation([500, 500, 500, 500, 500], [502, 503, 502], 'both');
  assert.ok(found);
  // The scale is at least 1% of the level (5): a 2-unit wobble is under one sigma.
  assert.ok(found.score < 1, String(found.score));
});

test('a quantised baseline keeps the rare spikes it showed as its spread', () => {
  const baseline = [0.0046, 0.0046, 0.0046, 0.0425, 0.0046, 0.0046, 0.0046, 0.0046, 0.0425, 0.0046];
  const repeat = deviation(baseline, [0.0425, 0.0425], 'up');
  assert.ok(repeat);
  assert.ok(repeat.score < 10, String(repeat.score));
  const real = deviation(baseline, [2, 2.5, 3], 'up');
  assert.ok(real);
  assert.ok(real.score > 100, String(real.score));
});

test('tolerates gaps and watches only the bad direction', () => {
  const found = deviation([Number.NaN, ...noisy, Number.POSITIVE_INFINITY], [Number.NaN, 2, Number.NaN, 1, 1], 'both');
  assert.ok(found);
  assert.equal(found.direction, 'down');
  assert.ok(found.score > 5);
  const upOnly = deviation(noisy, [2, 1, 1], 'up');
  assert.equal(upOnly?.score, 0);
  assert.equal(deviation([Number.NaN, 1], [5, 5], 'up'), undefined);
  assert.equal(deviation(noisy, [Number.NaN, Number.NaN], 'up'), undefined);
});

test('a scale floor keeps a series near zero from exploding', () => {
  // Without a floor, a rise from a baseline of exact zeros is as far as a deviation counts, never infinite.
  const unfloored = deviation([0, 0, 0, 0], [0.001, 0.001], 'up');
  assert.equal(unfloored?.score, MAX_SIGMAS);
  assert.equal(deviation([0, 0, 0, 0], [-0.5, -0.5], 'down')?.score, MAX_SIGMAS);
  const floored = deviation([0, 0, 0, 0], [0.001, 0.001], 'up', 0.01);
  assert.ok(floored);
  assert.ok(Math.abs(floored.score - 0.1) < 1e-9, String(floored.score));
  assert.equal(floored.scale, 0.01);
});
