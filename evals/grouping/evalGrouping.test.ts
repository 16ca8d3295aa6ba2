import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evalGrouping } from './evalGrouping.ts';
import { generateStorm } from './storm.ts';

const TINY = { name: 'tiny', services: 10, faults: 1, noisyRules: 2, durationMs: 30 * 60_000 };

test('groups a tiny generated storm through the engine intake and scores every alert', async () => {
  const report = await evalGrouping({ presets: [TINY], seeds: 2 });
  assert.deepEqual(report.presets, ['tiny']);
  assert.deepEqual(report.seeds, [1, 2]);
  assert.deepEqual(report.storms.map((one) => one.storm), ['tiny#1', 'tiny#2']);
  for (const [index, one] of report.storms.entries()) {
    const storm = generateStorm({ ...TINY, seed: index + 1, start: new Date() });
    assert.equal(one.rawAlerts, storm.rawAlerts, 'every delivered alert is counted');
    assert.equal(one.uniqueAlerts, storm.truth.size);
    assert.equal(one.lost, 0, 'the intake stored every alert in an incident');
    assert.equal(one.compression, 1 - one.score.incidents / one.rawAlerts);
    // One fault spreading to callers and two noisy rules: the fault's alerts together, the noise apart.
    assert.ok(one.score.pairwisePrecision >= 0.9, `pair precision ${one.score.pairwisePrecision}`);
    assert.ok(one.score.pairwiseRecall >= 0.9, `pair recall ${one.score.pairwiseRecall}`);
  }
  const [a, b] = report.storms;
  assert.ok(a !== undefined && b !== undefined);
  assert.equal(report.rawAlerts, a.rawAlerts + b.rawAlerts);
  assert.equal(report.mean.pairwiseRecall, (a.score.pairwiseRecall + b.score.pairwiseRecall) / 2);
});

test('the same storms group the same way on every run', async () => {
  const first = await evalGrouping({ presets: [TINY], seeds: 1 });
  const second = await evalGrouping({ presets: [TINY], seeds: 1 });
  assert.deepEqual(second.storms, first.storms);
});
