import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryMetricsSource } from '../../perception/metrics/memoryMetricsSource.ts';
import type { StoredSeries } from '../../perception/metrics/memoryMetricsSource.ts';
import { rankRootCauses } from '../ranking/rankRootCauses.ts';
import { edgeLatencySeries } from './edgeLatencySeries.ts';

const T = Date.parse('2026-11-20T10:00:00Z');
const MINUTE = 60_000;
const incident = { from: T, to: T + 20 * MINUTE };
const baseline = { from: T - 60 * MINUTE, to: T };

/** One side's median latency of an edge: `seconds`, plus `extra` from `at` on, with a small deterministic wobble. */
function side(
  metric: string,
  labels: Record<string, string>,
  seconds: number,
  extra = 0,
  at = T + 5 * MINUTE
): StoredSeries {
  return {
    labels: { __name__: metric, ...labels },
    value: (t) => seconds * (1 + 0.02 * Math.sin(t / 60_000)) + (t >= at ? extra : 0),
  };
}

const tempo = (
  client: string,
  server: string,
  clientSeconds: number,
  serverSeconds: number,
  delay = 0
): StoredSeries[] => [
  side('traces_service_graph_request_client_seconds_bucket', { client, server }, clientSeconds, delay),
  side('traces_service_graph_request_server_seconds_bucket', { client, server }, serverSeconds),
];

describe('edgeLatencySeries', () => {
  it('reads both ends of each edge between the services, and lets the ranker find the delayed network', async () => {
    // Calls into cart are 200 ms slower as the callers see them, while cart itself answers as fast as before.
    const metrics = new MemoryMetricsSource([
      ...tempo('frontend', 'cart', 0.05, 0.04, 0.2),
      ...tempo('checkout', 'cart', 0.06, 0.04, 0.2),
      ...tempo('frontend', 'checkout', 0.1, 0.08),
      ...tempo('frontend', 'elsewhere', 0.1, 0.08),
    ]);
    const series = await edgeLatencySeries({
      metrics,
      services: ['frontend', 'checkout', 'cart'],
      incident,
      baseline,
      stepSeconds: 15,
    });
    assert.deepEqual(series.map(({ client, server, side: end }) => `${client}→${server} ${end}`).sort(), [
      'checkout→cart client',
      'checkout→cart server',
      'frontend→cart client',
      'frontend→cart server',
      'frontend→checkout client',
      'frontend→checkout server',
    ]);
    assert.equal(series[0]?.anomalous.length, 80);
    const [top] = rankRootCauses({ series: [], edgeLatency: series });
    assert.equal(top?.service, 'cart');
    assert.equal(top?.indicator, 'network');
  });

  it('falls back to Istio’s metrics, whose reporter label says the side', async () => {
    const labels = { source_canonical_service: 'frontend', destination_canonical_service: 'cart' };
    const metrics = new MemoryMetricsSource([
      side('istio_request_duration_milliseconds_bucket', { ...labels, reporter: 'source' }, 50),
      side('istio_request_duration_milliseconds_bucket', { ...labels, reporter: 'destination' }, 40),
    ]);
    const series = await edgeLatencySeries({
      metrics,
      services: ['frontend', 'cart'],
      incident,
      baseline,
      stepSeconds: 15,
    });
    assert.deepEqual(
      series.map((one) => one.side),
      ['client', 'server']
    );
    assert.ok(metrics.queries.some((query) => query.query.includes('reporter="destination"')));
  });

  it('is empty when no family has data', async () => {
    assert.deepEqual(
      await edgeLatencySeries({
        metrics: new MemoryMetricsSource([]),
        services: ['a'],
        incident,
        baseline,
        stepSeconds: 15,
      }),
      []
    );
  });
});
