import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../testing/processes.ts';
import { PROMETHEUS_MISSING, startPrometheus } from '../testing/prometheusServer.ts';
import type { PrometheusServer, RecordedSeries } from '../testing/prometheusServer.ts';
import { UpstreamError } from './http.ts';
import { PrometheusClient, alignToStep, parsePrometheusResponse, parseSampleValue } from './prometheus.ts';
import { serviceGraph } from './tempo.ts';

const MINUTE = 60_000;
// Two hours back, on a 10-minute boundary, so aligned and unaligned ranges are easy to tell apart.
const BASE = Math.floor((Date.now() - 2 * 3_600_000) / (10 * MINUTE)) * 10 * MINUTE;
const minutes = (count: number, value: (i: number) => number): Array<[number, number]> =>
  Array.from({ length: count }, (_, i) => [BASE + i * MINUTE, value(i)]);

const SERIES: RecordedSeries[] = [
  { name: 'demo_requests', labels: { service: 'checkout' }, samples: minutes(30, (i) => i) },
  { name: 'demo_nan', labels: { service: 'b' }, samples: minutes(30, () => Number.NaN) },
  { name: 'demo_inf', labels: { service: 'c' }, samples: minutes(30, () => Number.POSITIVE_INFINITY) },
  ...Array.from({ length: 6 }, (_, i): RecordedSeries => ({
    name: 'demo_many',
    labels: { i: String(i) },
    samples: minutes(30, () => i),
  })),
  {
    name: 'traces_service_graph_request_total',
    labels: { client: 'checkout', server: 'payments' },
    samples: minutes(30, (i) => 60 * i),
  },
  {
    name: 'traces_service_graph_request_total',
    labels: { client: 'payments', server: 'db', connection_type: 'database' },
    samples: minutes(30, (i) => 120 * i),
  },
  {
    name: 'traces_service_graph_request_failed_total',
    labels: { client: 'checkout', server: 'payments' },
    samples: minutes(30, (i) => 6 * i),
  },
];

describe('alignToStep and sample values', () => {
  it('floors the start and ceils the end to multiples of the step', () => {
    assert.deepEqual(alignToStep({ from: 61_500, to: 119_000 }, 30), { from: 60_000, to: 120_000 });
    assert.deepEqual(alignToStep({ from: 60_000, to: 120_000 }, 30), { from: 60_000, to: 120_000 });
    assert.throws(() => alignToStep({ from: 0, to: 1 }, 0), RangeError);
  });

  it('reads Prometheus value strings, NaN and infinities included', () => {
    assert.equal(parseSampleValue('1.5e3'), 1500);
    assert.ok(Number.isNaN(parseSampleValue('NaN')));
    assert.equal(parseSampleValue('+Inf'), Number.POSITIVE_INFINITY);
    assert.equal(parseSampleValue('-Inf'), Number.NEGATIVE_INFINITY);
  });

  it('keeps warnings and infos, and skips native-histogram series with a warning', () => {
    const result = parsePrometheusResponse({
      status: 'success',
      warnings: ['partial result'],
      infos: ['metric might not be a counter'],
      data: {
        resultType: 'matrix',
        result: [
          { metric: { job: 'a' }, values: [[1.5, '2']] },
          { metric: { job: 'h' }, histograms: [[1, { count: '1', sum: '1', buckets: [] }]] },
        ],
      },
    });
    assert.deepEqual(result.series, [{ labels: { job: 'a' }, samples: [{ t: 1500, v: 2 }] }]);
    assert.deepEqual(result.warnings.slice(0, 2), ['partial result', 'metric might not be a counter']);
    assert.match(result.warnings[2] ?? '', /native-histogram series \{"job":"h"\}/);
    assert.throws(
      () => parsePrometheusResponse({ status: 'success', data: { resultType: 'streams', result: [] } }),
      (error: unknown) => error instanceof UpstreamError && error.kind === 'bad_response'
    );
  });
});

describe('PrometheusClient against a real Prometheus', { skip: PROMETHEUS_MISSING }, () => {
  let prometheus: PrometheusServer;
  let client: PrometheusClient;
  before(async () => {
    prometheus = await startPrometheus(SERIES);
    client = new PrometheusClient({ baseUrl: prometheus.url });
  });
  after(async () => {
    await prometheus?.stop();
  });

  it('aligns the range to the step, so the samples sit on step multiples', async () => {
    const series = await client.queryRange(
      'demo_requests',
      { from: BASE + 10 * MINUTE + 17_000, to: BASE + 15 * MINUTE + 17_000 },
      60
    );
    assert.equal(series.length, 1);
    const samples = series[0]?.samples ?? [];
    assert.deepEqual(
      samples.map((sample) => sample.t),
      Array.from({ length: 7 }, (_, i) => BASE + (10 + i) * MINUTE)
    );
    assert.deepEqual(
      samples.map((sample) => sample.v),
      [10, 11, 12, 13, 14, 15, 16]
    );
    assert.deepEqual(series[0]?.labels, { __name__: 'demo_requests', service: 'checkout' });
  });

  it('returns NaN and infinite samples as numbers', async () => {
    const range = { from: BASE, to: BASE + 5 * MINUTE };
    const [nan] = await client.queryRange('demo_nan', range, 60);
    assert.ok(nan !== undefined && nan.samples.length === 6 && nan.samples.every((sample) => Number.isNaN(sample.v)));
    const [inf] = await client.queryRange('-demo_inf', range, 60);
    assert.ok(inf !== undefined && inf.samples.every((sample) => sample.v === Number.NEGATIVE_INFINITY));
    const instant = await client.query('demo_inf', BASE + MINUTE);
    assert.deepEqual(instant.series, [
      { labels: { __name__: 'demo_inf', service: 'c' }, samples: [{ t: BASE + MINUTE, v: Number.POSITIVE_INFINITY }] },
    ]);
  });

  it('refuses more series than its limit, and says how to narrow the query', async () => {
    const range = { from: BASE, to: BASE + 5 * MINUTE };
    const small = new PrometheusClient({ baseUrl: prometheus.url, maxSeries: 5 });
    await assert.rejects(
      small.queryRange('demo_many', range, 60),
      (error: unknown) =>
        error instanceof UpstreamError &&
        error.kind === 'too_large' &&
        /over the limit of 5; aggregate/.test(error.message)
    );
    const exact = new PrometheusClient({ baseUrl: prometheus.url, maxSeries: 6 });
    assert.equal((await exact.queryRange('demo_many', range, 60)).length, 6);
  });

  it('posts long queries as a form', async () => {
    const alternatives = Array.from({ length: 3000 }, (_, i) => `svc-${i}`).join('|');
    const series = await client.queryRange(
      `demo_requests{service=~"checkout|${alternatives}"}`,
      { from: BASE, to: BASE + MINUTE },
      60
    );
    assert.equal(series.length, 1);
  });

  it('reports bad PromQL as bad_query with the parse message Prometheus gave', async () => {
    await assert.rejects(
      client.queryRange('sum(demo_requests', { from: BASE, to: BASE + MINUTE }, 60),
      (error: unknown) => {
        assert.ok(error instanceof UpstreamError);
        assert.equal(error.kind, 'bad_query');
        assert.equal(error.status, 400);
        assert.equal(error.upstream, 'prometheus');
        assert.match(
          error.message,
          /^Prometheus \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 400 \(bad_data\): .*parse error: unclosed left parenthesis/
        );
        return true;
      }
    );
  });

  it('reads the service graph from the metrics-generator counters', async () => {
    const edges = await serviceGraph(client, { from: BASE + 10 * MINUTE, to: BASE + 25 * MINUTE }, 60);
    assert.deepEqual(
      edges.map(({ client: from, server }) => [from, server]),
      [
        ['payments', 'db'],
        ['checkout', 'payments'],
      ]
    );
    const [db, payments] = edges;
    assert.ok(db !== undefined && Math.abs(db.requestRate - 2) < 0.05 && db.failedRate === 0, JSON.stringify(db));
    assert.ok(
      payments !== undefined &&
        Math.abs(payments.requestRate - 1) < 0.05 &&
        Math.abs(payments.failedRate - 0.1) < 0.005,
      JSON.stringify(payments)
    );
  });
});

describe('PrometheusClient without a Prometheus', () => {
  it('reports an unreachable server as unavailable after its retries', async () => {
    const port = await freePort();
    const client = new PrometheusClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, backoffMs: 5 });
    await assert.rejects(client.queryRange('up', { from: 0, to: 60_000 }, 60), (error: unknown) => {
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.kind, 'unavailable');
      assert.equal(error.status, undefined);
      assert.match(error.message, /^Prometheus \(http:\/\/127\.0\.0\.1:\d+\) could not be reached: .*ECONNREFUSED/);
      return true;
    });
  });
});
