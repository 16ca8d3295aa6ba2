import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classify, templateLogql } from './logWindows.ts';

test('a template is new, spiking, vanishing or steady against what the baseline predicts', () => {
  assert.equal(classify(3, 0, 0).change, 'new');
  assert.equal(classify(40, 10, 10).change, 'spiking');
  // Twice the expected count of a busy template is within its noise only when the counts are small.
  assert.equal(classify(6, 3, 3).change, 'steady');
  assert.equal(classify(4, 2, 2).change, 'steady');
  assert.equal(classify(0, 30, 30).change, 'vanishing');
  assert.equal(classify(0, 2, 2).change, 'steady');
  assert.equal(classify(100, 95, 95).change, 'steady');
});

test('scores grow with the weight of the evidence and stay within 0 and 1', () => {
  assert.ok(classify(50, 0, 0).score > classify(1, 0, 0).score);
  assert.ok(classify(400, 10, 10).score > classify(40, 10, 10).score);
  for (const [count, baseline] of [[1, 0], [10_000, 0], [10_000, 1], [0, 10_000]] as const) {
    const { score } = classify(count, baseline, baseline);
    assert.ok(score >= 0 && score <= 1, `${count}/${baseline}: ${score}`);
  }
  assert.equal(classify(10, 10, 10).score, 0);
});

test('the LogQL of a template filters on its two longest runs of fixed words, escaped', () => {
  const template = { tokens: ['GET', '<*>', 'took', 'too', 'long', '(over', '<*>', 'retry=<*>', 'a"b\\c'] };
  assert.equal(templateLogql('{app="x"}', template), String.raw`{app="x"} |~ "took\\s+too\\s+long\\s+\\(over.*a\"b\\\\c"`);
  assert.equal(templateLogql('{app="x"}', { tokens: ['<*>'] }), '{app="x"}');
});
