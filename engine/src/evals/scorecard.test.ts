import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVAL_THRESHOLD_DEFAULTS, EvalsSettingsSchema, evalThresholds } from '../settings/evalsSettings.ts';
import { SettingsSchema } from '../settings/settings.ts';
import { compileBodyValidator } from '../server/validation.ts';
import { MAX_TREND_BUCKETS, evalVerdict, trendBuckets, trendStepMs } from './scorecard.ts';
import type { EvalScores } from './scorecard.ts';

const healthy: EvalScores = {
  p95LatencyMs: 1800,
  errorRate: 0.01,
  ttftMs: 600,
  retrievalHitRate: 0.9,
  hallucinationRate: 0.02,
  accuracy: 0.8,
  faithfulness: 0.92,
};

describe('evalVerdict', () => {
  const thresholds = evalThresholds(undefined);

  it('is stable when every figure is within its threshold', () => {
    const verdict = evalVerdict(healthy, thresholds, 40);
    assert.equal(verdict.status, 'stable');
    assert.deepEqual(verdict.findings, []);
    assert.match(verdict.summary, /^Stable: .*40 runs/);
  });

  it('gives the seed’s advice for slow analyses, missed retrievals and hallucinations, in that order', () => {
    const verdict = evalVerdict(
      { ...healthy, p95LatencyMs: 4200, retrievalHitRate: 0.55, hallucinationRate: 0.25 },
      thresholds,
      12
    );
    assert.equal(verdict.status, 'attention');
    assert.deepEqual(verdict.findings, [
      { metric: 'p95LatencyMs', value: 4200, threshold: 3000, advice: 'optimise the retrieval path' },
      { metric: 'retrievalHitRate', value: 0.55, threshold: 0.7, advice: 'add indexes or improve tagging' },
      { metric: 'hallucinationRate', value: 0.25, threshold: 0.1, advice: 'tighten prompts and output constraints' },
    ]);
    assert.equal(
      verdict.summary,
      'P95 latency 4,200 ms is over 3,000 ms: optimise the retrieval path; retrieval hit rate 55% is under 70%: add indexes or improve tagging; hallucination rate 25% is over 10%: tighten prompts and output constraints.'
    );
  });

  it('compares strictly: a figure equal to its threshold is fine, and a missing figure is no finding', () => {
    const verdict = evalVerdict(
      {
        p95LatencyMs: 3000,
        errorRate: null,
        ttftMs: null,
        retrievalHitRate: 0.7,
        hallucinationRate: 0.1,
        accuracy: null,
        faithfulness: null,
      },
      thresholds,
      3
    );
    assert.equal(verdict.status, 'stable');
  });

  it('checks the other figures against their thresholds, saved ones over the defaults', () => {
    const saved = evalThresholds({ thresholds: { errorRate: 0.2, faithfulness: 0.9 } });
    assert.equal(saved.p95LatencyMs, EVAL_THRESHOLD_DEFAULTS.p95LatencyMs);
    const verdict = evalVerdict(
      { ...healthy, errorRate: 0.1, ttftMs: 2500, accuracy: 0.4, faithfulness: 0.85 },
      saved,
      10
    );
    assert.deepEqual(
      verdict.findings.map((finding) => [finding.metric, finding.threshold]),
      [
        ['ttftMs', 2000],
        ['accuracy', 0.6],
        ['faithfulness', 0.9],
      ]
    );
  });

  it('says there is no data when no run ended in the window', () => {
    const verdict = evalVerdict({ ...healthy, p95LatencyMs: null }, thresholds, 0);
    assert.equal(verdict.status, 'no_data');
    assert.deepEqual(verdict.findings, []);
  });
});

describe('trend buckets', () => {
  it('chooses a round step giving 24 to 48 buckets for the usual windows', () => {
    const hour = 3_600_000;
    for (const [window, step] of [
      [hour, 2 * 60_000],
      [6 * hour, 10 * 60_000],
      [24 * hour, 30 * 60_000],
      [7 * 24 * hour, 6 * hour],
      [30 * 24 * hour, 24 * hour],
    ] as const) {
      assert.equal(trendStepMs(0, window), step, `window ${window / hour} h`);
      const count = trendBuckets(0, window, step).length;
      assert.ok(count >= 24 && count <= MAX_TREND_BUCKETS, `${count} buckets for ${window / hour} h`);
    }
  });

  it('aligns buckets to multiples of the step and covers the whole window', () => {
    const from = Date.parse('2026-11-20T10:07:00Z');
    const to = Date.parse('2026-11-21T10:07:00Z');
    const step = trendStepMs(from, to);
    const buckets = trendBuckets(from, to, step);
    assert.equal(new Date(buckets[0] ?? 0).toISOString(), '2026-11-20T10:00:00.000Z');
    assert.ok((buckets.at(-1) ?? 0) + step >= to);
    assert.ok(buckets.length <= MAX_TREND_BUCKETS + 1);
  });
});

describe('evals settings', () => {
  const valid = compileBodyValidator(SettingsSchema);

  it('take thresholds, a judge sample rate and prices per million tokens', () => {
    const settings = {
      evals: {
        thresholds: {
          p95LatencyMs: 5000,
          retrievalHitRate: 0.5,
          hallucinationRate: 0.05,
          errorRate: 0.1,
          ttftMs: 1500,
          accuracy: 0.7,
          faithfulness: 0.75,
        },
        judgeSampleRate: 0,
        prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } },
      },
    };
    assert.ok(valid(settings), JSON.stringify(valid.errors));
  });

  it('refuse ratios outside [0, 1], negative times and prices, text for numbers and unknown keys', () => {
    for (const evals of [
      { thresholds: { retrievalHitRate: 1.5 } },
      { thresholds: { hallucinationRate: -0.1 } },
      { thresholds: { p95LatencyMs: -1 } },
      { thresholds: { p95LatencyMs: '3000' } },
      { thresholds: { p95: 3000 } },
      { judgeSampleRate: 2 },
      { prices: { 'gpt-4o-mini': { input: -1, output: 0.6 } } },
      { prices: { 'gpt-4o-mini': { input: 0.15 } } },
    ]) {
      assert.equal(valid({ evals }), false, JSON.stringify(evals));
    }
    assert.equal(compileBodyValidator(EvalsSettingsSchema)({ sampleRate: 0.2 }), false);
  });
});
