import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricSeries } from '../../sources/types.ts';
import { ANOMALY_THRESHOLD, scoreSeries } from './anomaly.ts';
import type { AnomalyOptions } from './anomaly.ts';
import { gaussian, sampleSeries, seededRandom } from './testSeries.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5);
// Six hours of baseline, then one hour of incident, one point a minute.
const INCIDENT_FROM = T0 + 6 * HOUR;
const OPTIONS: AnomalyOptions = {
  baseline: { from: T0, to: INCIDENT_FROM },
  incident: { from: INCIDENT_FROM, to: INCIDENT_FROM + HOUR },
  stepSeconds: 60,
};

function series(
  value: (t: number) => number | undefined,
  from = T0,
  to = INCIDENT_FROM + HOUR,
  stepMs = MINUTE
): MetricSeries {
  return { labels: {}, samples: sampleSeries(from, to, stepMs, value) };
}

/** Noise around 100 (σ 5) with `change(minutesIntoIncident)` added during the incident. */
function noisy(
  seed: number,
  change: (minute: number) => number = () => 0,
  noise: 'gaussian' | 'laplace' = 'gaussian'
): MetricSeries {
  const random = seededRandom(seed);
  const normal = gaussian(random);
  const draw =
    noise === 'gaussian'
      ? normal
      : () => (random() < 0.5 ? -1 : 1) * Math.log(1 / Math.max(random(), Number.MIN_VALUE)) * (5 / Math.SQRT2);
  return series(
    (t) =>
      100 +
      (noise === 'gaussian' ? 5 * draw() : draw()) +
      (t >= INCIDENT_FROM ? change((t - INCIDENT_FROM) / MINUTE) : 0)
  );
}

const minuteOf = (onset: number | undefined): number | undefined =>
  onset === undefined ? undefined : (onset - INCIDENT_FROM) / MINUTE;

describe('scoreSeries', () => {
  it('scores ordinary noise low, Gaussian or heavy-tailed', () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const noise of ['gaussian', 'laplace'] as const) {
        const result = scoreSeries(
          noisy(seed, () => 0, noise),
          OPTIONS
        );
        assert.ok(result.score < 0.3, `${noise} seed ${seed}: score ${result.score}`);
        assert.equal(result.anomalous, false);
      }
    }
  });

  it('scores a level shift high, upward, with its onset', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const result = scoreSeries(
        noisy(seed, (minute) => (minute >= 20 ? 40 : 0)),
        OPTIONS
      );
      assert.ok(result.score > 0.7, `seed ${seed}: score ${result.score}`);
      assert.equal(result.direction, 'up');
      assert.equal(result.anomalous, true);
      const onset = minuteOf(result.onset);
      assert.ok(onset !== undefined && onset >= 20 && onset <= 22, `seed ${seed}: onset minute ${onset}`);
      assert.ok(result.level !== undefined && Math.abs(result.level - 140) < 5);
      assert.ok(result.baselineMedian !== undefined && Math.abs(result.baselineMedian - 100) < 2);
    }
  });

  it('scores a drop downward', () => {
    const result = scoreSeries(
      noisy(7, (minute) => (minute >= 45 ? -50 : 0)),
      OPTIONS
    );
    assert.equal(result.direction, 'down');
    assert.ok(result.score > 0.7, `score ${result.score}`);
    const onset = minuteOf(result.onset);
    assert.ok(onset !== undefined && onset >= 45 && onset <= 47, `onset minute ${onset}`);
  });

  it('scores a spike train high, with onset at its first spike', () => {
    for (const every of [2, 3]) {
      const result = scoreSeries(
        noisy(11, (minute) => (minute >= 30 && minute % every === 0 ? 75 : 0)),
        OPTIONS
      );
      assert.ok(result.score > 0.7, `every ${every}: score ${result.score}`);
      assert.equal(result.direction, 'up');
      assert.equal(minuteOf(result.onset), 30);
    }
  });

  it('scores a slow ramp high, with onset where it crosses the band', () => {
    // 4 per minute from minute 10: the band (±15) is crossed around minute 14.
    const result = scoreSeries(
      noisy(5, (minute) => (minute >= 10 ? 4 * (minute - 10) : 0)),
      OPTIONS
    );
    assert.ok(result.score > 0.7, `score ${result.score}`);
    assert.equal(result.direction, 'up');
    const onset = minuteOf(result.onset);
    assert.ok(onset !== undefined && onset >= 11 && onset <= 17, `onset minute ${onset}`);
  });

  it('does not let a single spike set an onset or score high', () => {
    const result = scoreSeries(
      noisy(3, (minute) => (minute === 25 ? 500 : 0)),
      OPTIONS
    );
    assert.equal(result.onset, undefined);
    assert.equal(result.direction, 'none');
    assert.ok(result.score < 0.3, `score ${result.score}`);
  });

  it('keeps a flat series with a tiny change from exploding', () => {
    const step = scoreSeries(
      series((t) => (t >= INCIDENT_FROM + 10 * MINUTE ? 100.5 : 100)),
      OPTIONS
    );
    assert.ok(step.score < 0.3 && Number.isFinite(step.score), `score ${step.score}`);
    const blip = scoreSeries(
      series((t) => (t === INCIDENT_FROM + 5 * MINUTE ? 101 : 100)),
      OPTIONS
    );
    assert.ok(blip.score < 0.3, `score ${blip.score}`);
    const flat = scoreSeries(
      series(() => 0),
      OPTIONS
    );
    assert.equal(flat.score, 0);
    assert.ok(flat.upper.every((value) => value !== null && Number.isFinite(value)));
    // A flat series that doubles is still a clear shift.
    const doubled = scoreSeries(
      series((t) => (t >= INCIDENT_FROM + 10 * MINUTE ? 200 : 100)),
      OPTIONS
    );
    assert.ok(doubled.score > 0.7 && doubled.direction === 'up', `score ${doubled.score}`);
  });

  it('scores a quantised series by its resolution', () => {
    const random = seededRandom(9);
    // Mostly 4, sometimes 3 or 5: its MAD is 0.
    const quantised = series(() => {
      const r = random();
      return r < 0.1 ? 3 : r > 0.9 ? 5 : 4;
    });
    const result = scoreSeries(quantised, OPTIONS);
    assert.ok(result.score < 0.3, `score ${result.score}`);
  });

  it('treats missing error series as zero when told, and flags new errors', () => {
    const errors = series((t) => (t >= INCIDENT_FROM + 30 * MINUTE ? 0.5 : undefined));
    const result = scoreSeries(errors, { ...OPTIONS, fillMissing: 0 });
    assert.equal(result.direction, 'up');
    assert.ok(result.anomalous);
    assert.equal(minuteOf(result.onset), 30);
    assert.equal(result.values[0], 0);
    const unfilled = scoreSeries(errors, OPTIONS);
    assert.equal(unfilled.score, 0, 'no baseline: no score');
    assert.ok(unfilled.lower.every((value) => value === null));
    const none = scoreSeries({ labels: {}, samples: [] }, { ...OPTIONS, fillMissing: 0 });
    assert.equal(none.score, 0);
  });

  it('tolerates NaN, infinities, sentinels and gaps', () => {
    const random = seededRandom(21);
    const normal = gaussian(random);
    const messy = (shift: number): MetricSeries =>
      series((t) => {
        const r = random();
        if (r < 0.05) {
          return Number.NaN;
        }
        if (r < 0.08) {
          return undefined;
        }
        if (r < 0.1) {
          return r < 0.09 ? 1.7976931348623157e308 : Number.NEGATIVE_INFINITY;
        }
        return 100 + 5 * normal() + (t >= INCIDENT_FROM + 20 * MINUTE ? shift : 0);
      });
    const quiet = scoreSeries(messy(0), OPTIONS);
    assert.ok(quiet.score < 0.3, `score ${quiet.score}`);
    assert.ok(quiet.values.some((value) => value === null));
    assert.ok(quiet.values.every((value) => value === null || Math.abs(value) < 1000));
    const shifted = scoreSeries(messy(50), OPTIONS);
    assert.ok(shifted.score > 0.7, `score ${shifted.score}`);
    const onset = minuteOf(shifted.onset);
    assert.ok(onset !== undefined && onset >= 20 && onset <= 23, `onset minute ${onset}`);
  });

  it('aligns the band with the incident grid and keeps the score in [0, 1]', () => {
    const result = scoreSeries(
      noisy(2, (minute) => (minute >= 5 ? 1e6 : 0)),
      OPTIONS
    );
    assert.equal(result.timestamps.length, 60);
    assert.equal(result.timestamps[0], INCIDENT_FROM);
    assert.equal(result.lower.length, 60);
    assert.ok(result.score <= 1 && result.score > ANOMALY_THRESHOLD);
    for (let i = 0; i < 60; i++) {
      const lower = result.lower[i] ?? Number.NaN;
      const upper = result.upper[i] ?? Number.NaN;
      assert.ok(lower < 100 && upper > 100 && upper - lower < 60, `band ${lower}..${upper}`);
    }
  });

  it('judges against the recent baseline when told, so an old level does not hide a new shift', () => {
    const normal = gaussian(seededRandom(12));
    const from = INCIDENT_FROM - 2 * DAY;
    // 100 on the first day, 200 since (a deploy), then 300 from minute 20 of the incident.
    const data = series(
      (t) => (t < from + DAY ? 100 : t < INCIDENT_FROM + 20 * MINUTE ? 200 : 300) + 3 * normal(),
      from,
      INCIDENT_FROM + HOUR,
      5 * MINUTE
    );
    const options: AnomalyOptions = { ...OPTIONS, baseline: { from, to: INCIDENT_FROM }, stepSeconds: 300 };
    assert.equal(scoreSeries(data, options).anomalous, false, 'the two-level baseline stretches the band');
    const recent = scoreSeries(data, { ...options, recentBaselineMs: 2 * HOUR });
    assert.ok(recent.anomalous && recent.direction === 'up', `score ${recent.score}`);
    assert.ok(recent.baselineMedian !== undefined && Math.abs(recent.baselineMedian - 200) < 5);
  });

  describe('seasonality', () => {
    // Traffic with a sharp daily peak around noon (2.5× for a couple of hours), 5-minute points.
    const STEP = 5 * MINUTE;
    const daily = (seed: number, extra: (t: number) => number = () => 0): ((t: number) => number) => {
      const normal = gaussian(seededRandom(seed));
      return (t) => {
        const hour = ((t % DAY) / HOUR) % 24;
        return 100 + 150 * Math.exp(-(((hour - 12) / 1.2) ** 2)) + 3 * normal() + extra(t);
      };
    };
    const peakFrom = T0 + 3 * DAY + 11 * HOUR;
    const peakOptions = (baselineDays: number, seasonality = true): AnomalyOptions => ({
      baseline: { from: peakFrom - baselineDays * DAY, to: peakFrom },
      incident: { from: peakFrom, to: peakFrom + 2 * HOUR },
      stepSeconds: 300,
      seasonality,
    });

    it('does not flag the normal daily peak when the baseline covers two days or more', () => {
      for (const [seed, days] of [
        [1, 2],
        [2, 3],
        [3, 7],
      ] as const) {
        const data = {
          labels: {},
          samples: sampleSeries(peakFrom - days * DAY, peakFrom + 2 * HOUR, STEP, daily(seed)),
        };
        const seasonal = scoreSeries(data, peakOptions(days));
        assert.equal(seasonal.seasonal, true);
        assert.ok(seasonal.score < 0.3, `${days} days: score ${seasonal.score}`);
        assert.equal(seasonal.anomalous, false);
        // The band follows the peak instead of spanning it.
        const top = Math.max(...seasonal.upper.map((value) => value ?? 0));
        assert.ok(top > 230 && top < 290, `band top ${top}`);
      }
    });

    it('catches an off-peak shift that a flat band, stretched over the daily peak, misses', () => {
      const nightFrom = T0 + 3 * DAY + 2 * HOUR;
      const shiftFrom = nightFrom + 30 * MINUTE;
      const data = {
        labels: {},
        samples: sampleSeries(
          nightFrom - 3 * DAY,
          nightFrom + 2 * HOUR,
          STEP,
          daily(8, (t) => (t >= shiftFrom ? 60 : 0))
        ),
      };
      const options = (seasonality: boolean): AnomalyOptions => ({
        baseline: { from: nightFrom - 3 * DAY, to: nightFrom },
        incident: { from: nightFrom, to: nightFrom + 2 * HOUR },
        stepSeconds: 300,
        seasonality,
      });
      const flat = scoreSeries(data, options(false));
      assert.equal(flat.anomalous, false, `flat score ${flat.score}`);
      const seasonal = scoreSeries(data, options(true));
      assert.ok(seasonal.anomalous && seasonal.direction === 'up', `seasonal score ${seasonal.score}`);
      assert.ok(seasonal.onset !== undefined && seasonal.onset >= shiftFrom && seasonal.onset <= shiftFrom + 2 * STEP);
    });

    it('still flags a shift on top of the daily peak', () => {
      const shiftFrom = peakFrom + HOUR;
      const data = {
        labels: {},
        samples: sampleSeries(
          peakFrom - 3 * DAY,
          peakFrom + 2 * HOUR,
          STEP,
          daily(4, (t) => (t >= shiftFrom ? 120 : 0))
        ),
      };
      const result = scoreSeries(data, peakOptions(3));
      assert.equal(result.seasonal, true);
      assert.ok(result.anomalous && result.direction === 'up', `score ${result.score}`);
      assert.ok(result.onset !== undefined && result.onset >= shiftFrom && result.onset <= shiftFrom + 2 * STEP);
    });

    it('uses no seasonal model for a baseline shorter than two periods or without a cycle', () => {
      const data = { labels: {}, samples: sampleSeries(peakFrom - DAY, peakFrom + 2 * HOUR, STEP, daily(5)) };
      assert.equal(scoreSeries(data, peakOptions(1)).seasonal, false);
      const normal = gaussian(seededRandom(6));
      const noise = {
        labels: {},
        samples: sampleSeries(peakFrom - 3 * DAY, peakFrom + 2 * HOUR, STEP, () => 100 + 5 * normal()),
      };
      const result = scoreSeries(noise, peakOptions(3));
      assert.equal(result.seasonal, false);
      assert.ok(result.score < 0.3);
    });

    it('fits a baseline queried at a coarser step than the incident', () => {
      const fine = MINUTE;
      const value = daily(7);
      const samples = [
        ...sampleSeries(peakFrom - 3 * DAY, peakFrom, STEP, value),
        ...sampleSeries(peakFrom, peakFrom + 2 * HOUR, fine, value),
      ];
      const result = scoreSeries(
        { labels: {}, samples },
        { ...peakOptions(3), stepSeconds: 60, baselineStepSeconds: 300 }
      );
      assert.equal(result.timestamps.length, 120);
      assert.equal(result.seasonal, true);
      assert.ok(result.score < 0.3, `score ${result.score}`);
    });
  });
});
