import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInput } from '../../invalidInput.ts';
import { queryAnomalies, seriesName } from './anomalies.ts';
import { MemoryMetricsSource } from './memoryMetricsSource.ts';
import type { StoredSeries } from './memoryMetricsSource.ts';
import { gaussian, seededRandom } from './testSeries.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2026, 0, 8, 6);
const TO = FROM + HOUR;

function data(): StoredSeries[] {
  const noise = (seed: number) => gaussian(seededRandom(seed));
  const a = noise(1);
  const b = noise(2);
  return [
    {
      labels: { __name__: 'queue_depth', queue: 'orders' },
      value: (t) => 100 + 5 * a() + (t >= FROM + 20 * MINUTE ? 60 : 0),
    },
    { labels: { __name__: 'queue_depth', queue: 'emails' }, value: () => 40 + 2 * b() },
  ];
}

describe('queryAnomalies', () => {
  it('returns each series with its band, score, direction and onset', async () => {
    const metrics = new MemoryMetricsSource(data());
    const response = await queryAnomalies(metrics, {
      query: 'queue_depth{queue=~".+"}',
      from: new Date(FROM).toISOString(),
      to: String(TO),
    });
    // One hour at a nice step for at most 1000 points: 5 s, 720 points.
    assert.equal(response.step, 5);
    assert.equal(response.series.length, 2);
    const orders = response.series.find((series) => series.labels.queue === 'orders');
    const emails = response.series.find((series) => series.labels.queue === 'emails');
    assert.ok(orders !== undefined && emails !== undefined);
    assert.equal(orders.name, 'queue_depth{queue="orders"}');
    assert.equal(orders.timestamps.length, 720);
    assert.equal(orders.lower.length, 720);
    assert.equal(orders.direction, 'up');
    assert.equal(orders.anomalous, true);
    assert.ok(
      orders.onset !== null && Math.abs(Date.parse(orders.onset) - (FROM + 20 * MINUTE)) <= 10_000,
      orders.onset ?? 'no onset'
    );
    assert.equal(emails.anomalous, false);
    assert.equal(emails.onset, null);
    assert.ok(emails.score < 0.3);
    // Default baseline: two days before `from`, at a coarser step.
    const baseline = metrics.queries.find((query) => query.range.to === FROM);
    assert.ok(baseline !== undefined);
    assert.equal(baseline.range.from, FROM - 2 * DAY);
    assert.ok((baseline.range.to - baseline.range.from) / 1000 / baseline.stepSeconds <= 2000);
  });

  it('uses the given step and baseline', async () => {
    const metrics = new MemoryMetricsSource(data());
    const response = await queryAnomalies(metrics, {
      query: 'queue_depth',
      from: FROM,
      to: TO,
      step: 60,
      baselineFrom: FROM - 6 * HOUR,
    });
    assert.equal(response.step, 60);
    assert.equal(response.series[0]?.timestamps.length, 60);
    assert.ok(metrics.queries.some((query) => query.range.from === FROM - 6 * HOUR && query.stepSeconds === 60));
  });

  it('rejects bad input with messages that say what to change', async () => {
    const metrics = new MemoryMetricsSource(data());
    const cases: Array<[Parameters<typeof queryAnomalies>[1], RegExp]> = [
      [{ query: ' ', from: FROM, to: TO }, /body\/query/],
      [{ query: 'up', from: 'yesterday', to: TO }, /body\/from must be an RFC 3339 time/],
      [{ query: 'up', from: TO, to: FROM }, /body\/from must be before body\/to/],
      [{ query: 'up', from: FROM, to: TO, step: 0 }, /body\/step must be at least 1 second/],
      [{ query: 'up', from: FROM, to: FROM + DAY, step: 1 }, /86400 points.*at least 8s/],
      [{ query: 'up', from: FROM, to: TO, baselineFrom: TO }, /baselineFrom must be before/],
      [{ query: 'up', from: FROM, to: TO, baselineFrom: FROM - 40 * DAY }, /at most 35 days/],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        queryAnomalies(metrics, body),
        (error: unknown) => error instanceof InvalidInput && message.test(error.message)
      );
    }
    assert.equal(metrics.queries.length, 0, 'nothing queried for bad input');
  });

  it('names series the way Prometheus prints them', () => {
    assert.equal(seriesName({}), '{}');
    assert.equal(seriesName({ __name__: 'up' }), 'up');
    assert.equal(seriesName({ job: 'a"b', __name__: 'up', instance: 'x' }), 'up{instance="x", job="a\\"b"}');
  });
});
