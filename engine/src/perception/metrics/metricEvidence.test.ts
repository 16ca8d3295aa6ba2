import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectMetricEvidence } from './metricEvidence.ts';
import type { MetricEvidenceRequest } from './metricEvidence.ts';
import { MemoryMetricsSource } from './memoryMetricsSource.ts';
import type { StoredSeries } from './memoryMetricsSource.ts';
import { gaussian, seededRandom } from './testSeries.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 5);
const INCIDENT = { from: T0 + 6 * HOUR, to: T0 + 7 * HOUR };
const BASELINE = { from: T0, to: INCIDENT.from };
const WEIRD = 'we"ird\\svc';

/** Noise around `level` (relative σ 3%), plus `change` from `at` on; undefined before `from`. */
function generated(
  seed: number,
  level: number,
  change?: { at: number; to: number },
  from = -Infinity
): (t: number) => number | undefined {
  const normal = gaussian(seededRandom(seed));
  return (t) => {
    if (t < from) {
      return undefined;
    }
    const base = change !== undefined && t >= change.at ? change.to : level;
    return Math.max(0, base * (1 + 0.03 * normal()));
  };
}

function stored(): StoredSeries[] {
  return [
    {
      labels: { __name__: 'http_server_request_duration_seconds_bucket', service_name: 'checkout' },
      value: generated(1, 0.12, { at: INCIDENT.from + 10 * MINUTE, to: 0.5 }),
    },
    {
      labels: {
        __name__: 'http_server_request_duration_seconds_count',
        service_name: 'checkout',
        http_response_status_code: '200',
      },
      value: generated(2, 50),
    },
    {
      labels: { __name__: 'container_memory_working_set_bytes', container: 'checkout' },
      value: generated(3, 512 * 2 ** 20),
    },
    // cart only has Tempo span metrics; its error series exists only once errors start.
    {
      labels: { __name__: 'traces_spanmetrics_latency_bucket', service: 'cart', span_kind: 'SPAN_KIND_SERVER' },
      value: generated(4, 0.03),
    },
    {
      labels: {
        __name__: 'traces_spanmetrics_calls_total',
        service: 'cart',
        span_kind: 'SPAN_KIND_SERVER',
        status_code: 'STATUS_CODE_ERROR',
      },
      value: generated(5, 0.2, undefined, INCIDENT.from + 30 * MINUTE),
    },
    {
      labels: { __name__: 'process_cpu_seconds_total', job: WEIRD },
      value: generated(6, 0.2, { at: INCIDENT.from + 40 * MINUTE, to: 0.9 }),
    },
    // Another service's data must not leak into these.
    {
      labels: { __name__: 'process_cpu_seconds_total', job: 'unrelated' },
      value: generated(7, 0.1, { at: INCIDENT.from, to: 5 }),
    },
  ];
}

function request(metrics: MemoryMetricsSource, overrides: Partial<MetricEvidenceRequest> = {}): MetricEvidenceRequest {
  return {
    metrics,
    services: ['checkout', 'cart', WEIRD],
    incident: INCIDENT,
    baseline: BASELINE,
    step: 60,
    scope: 'inc_1',
    ...overrides,
  };
}

describe('collectMetricEvidence', () => {
  it('finds the anomalous golden signals of each service, and only those', async () => {
    const evidence = await collectMetricEvidence(request(new MemoryMetricsSource(stored())));
    const found = evidence.map((item) => `${item.service}/${item.details.signal}/${item.details.direction}`);
    assert.deepEqual(found.sort(), ['cart/errors/up', 'checkout/latency/up', `${WEIRD}/saturation/up`].sort());

    const latency = evidence.find((item) => item.details.signal === 'latency');
    assert.ok(latency !== undefined);
    assert.match(
      latency.summary,
      /^p95 latency of checkout \(service_name=checkout\) rose 4\.\d× from 1[12]\d ms to (49|50|51)\d ms at 06:1[012] UTC$/
    );
    assert.equal(latency.link.datasource, 'prometheus');
    assert.ok(
      latency.link.query.includes('http_server_request_duration_seconds_bucket{service_name="checkout"}'),
      latency.link.query
    );
    assert.ok(latency.score > 0.7);
    assert.equal(latency.from, latency.details.onset);
    assert.equal(latency.to, new Date(INCIDENT.to).toISOString());
    assert.ok(Math.abs(latency.details.baselineMedian - 0.12) < 0.01);
    assert.match(latency.id, /^ev_met_[0-9a-f]{12}$/);

    const errors = evidence.find((item) => item.details.signal === 'errors');
    assert.ok(errors !== undefined);
    assert.equal(errors.details.onset, new Date(INCIDENT.from + 30 * MINUTE).toISOString());
    assert.match(errors.summary, /error ratio of cart .*rose from 0% to 2\d(\.\d+)?% at 06:30 UTC/);

    const cpu = evidence.find((item) => item.details.signal === 'saturation');
    assert.ok(cpu !== undefined && cpu.link.query.includes('job="we\\"ird\\\\svc"'), cpu?.link.query);
  });

  it('gives the same ids on every call and different ids in another scope', async () => {
    const first = await collectMetricEvidence(request(new MemoryMetricsSource(stored())));
    const second = await collectMetricEvidence(request(new MemoryMetricsSource(stored())));
    assert.deepEqual(
      first.map((item) => item.id),
      second.map((item) => item.id)
    );
    assert.equal(new Set(first.map((item) => item.id)).size, first.length);
    const other = await collectMetricEvidence(request(new MemoryMetricsSource(stored()), { scope: 'inc_2' }));
    assert.equal(other.filter((item) => first.some((mine) => mine.id === item.id)).length, 0);
  });

  it('tries the candidates in order and stops at the first with data', async () => {
    const metrics = new MemoryMetricsSource(stored());
    await collectMetricEvidence(request(metrics, { services: ['cart'] }));
    const latencyQueries = metrics.queries
      .filter((query) => query.query.startsWith('histogram_quantile'))
      .map((query) => query.query);
    const spanMetrics = latencyQueries.findIndex((query) => query.includes('traces_spanmetrics_latency_bucket'));
    assert.ok(spanMetrics > 0, 'OpenTelemetry names tried first');
    assert.ok(
      latencyQueries
        .slice(0, spanMetrics)
        .every((query) => query.includes('service_name="cart"') || query.includes('job="cart"'))
    );
    // Incident then baseline for the one that answered, nothing after it.
    assert.equal(latencyQueries.length, spanMetrics + 2);
    const baselineQuery = metrics.queries.filter((query) => query.query === latencyQueries[spanMetrics + 1]).at(-1);
    assert.ok(
      baselineQuery !== undefined && baselineQuery.range.to === INCIDENT.from && baselineQuery.stepSeconds >= 60
    );
  });

  it('bounds the evidence and the series per query', async () => {
    const evidence = await collectMetricEvidence(request(new MemoryMetricsSource(stored()), { maxEvidence: 1 }));
    assert.equal(evidence.length, 1);
    const all = await collectMetricEvidence(request(new MemoryMetricsSource(stored())));
    assert.equal(evidence[0]?.id, all[0]?.id, 'the strongest is kept');
    const many: StoredSeries[] = Array.from({ length: 40 }, (_, i) => ({
      labels: { __name__: 'process_cpu_seconds_total', job: 'fleet', instance: `host-${String(i).padStart(2, '0')}` },
      value: generated(100 + i, 0.2, { at: INCIDENT.from + 10 * MINUTE, to: 2 }),
    }));
    const capped = await collectMetricEvidence(
      request(new MemoryMetricsSource(many), { services: ['fleet'], maxSeriesPerQuery: 5 })
    );
    assert.equal(capped.length, 5);
  });

  it('skips failing candidates, and fails only when every query failed', async () => {
    const partial = await collectMetricEvidence(request(new MemoryMetricsSource(stored(), { failOn: /http_server/ })));
    assert.ok(partial.some((item) => item.service === 'cart' && item.details.signal === 'errors'));
    assert.ok(!partial.some((item) => item.service === 'checkout' && item.details.signal === 'latency'));
    await assert.rejects(
      collectMetricEvidence(request(new MemoryMetricsSource(stored(), { failOn: /./ }))),
      /prometheus: server error/
    );
  });
});
