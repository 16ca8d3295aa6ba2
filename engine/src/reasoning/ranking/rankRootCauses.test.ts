import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, seededRandom } from '../../testing/random.ts';
import { rankRootCauses } from './rankRootCauses.ts';
import type { EdgeLatencySeries, RankedCause, RankingSeries } from './rankRootCauses.ts';

const noise = gaussian(seededRandom(7));

/** A metric at `level` with 5% noise, shifted by `shift` (times the level) from anomalous point `from` on. */
function metric(service: string, name: string, level: number, shift = 0, from = 0): RankingSeries {
  const point = (): number => level * (1 + 0.05 * noise());
  return {
    service,
    name,
    baseline: Array.from({ length: 30 }, point),
    anomalous: Array.from({ length: 20 }, (_, i) => point() + (i >= from ? shift * level : 0)),
  };
}

function quiet(service: string): RankingSeries[] {
  return [metric(service, 'cpu', 20), metric(service, 'memory', 300), metric(service, 'latency_p90', 0.05)];
}

test('ranks the service whose CPU saturated first, with a confidence share', () => {
  const series = [
    ...quiet('api'),
    ...quiet('db'),
    ...quiet('cache').filter((one) => one.name !== 'cpu'),
    metric('cache', 'cpu', 20, 3),
  ];
  const ranked = rankRootCauses({ series });
  assert.deepEqual(ranked.map((cause) => cause.service).sort(), ['api', 'cache', 'db']);
  const [top] = ranked;
  assert.equal(top?.service, 'cache');
  assert.equal(top?.indicator, 'cpu');
  assert.equal(top?.metric, 'cpu');
  assert.equal(top?.onset, 0);
  const total = ranked.reduce((sum, cause) => sum + cause.confidence, 0);
  assert.ok(Math.abs(total - 1) < 1e-9);
  assert.ok((top?.confidence ?? 0) > 0.5 && (top?.confidence ?? 0) <= 1);
});

test("a caller's latency explained by its callee's anomaly does not outrank the callee", () => {
  // The frontend's latency rises thirtyfold; its callee's CPU doubles. Without the graph latency wins on size alone.
  const series = [
    metric('frontend', 'latency_p90', 0.05, 30),
    metric('frontend', 'cpu', 20),
    metric('checkout', 'cpu', 20, 1),
    metric('checkout', 'latency_p90', 0.05),
    ...quiet('ads'),
  ];
  const noGraph = rankRootCauses({ series });
  assert.equal(noGraph[0]?.service, 'frontend');
  const withGraph = rankRootCauses({
    series,
    edges: [
      { client: 'frontend', server: 'checkout' },
      { client: 'frontend', server: 'ads' },
    ],
  });
  assert.equal(withGraph[0]?.service, 'checkout');
  assert.equal(withGraph[0]?.indicator, 'cpu');
});

test('slow calls seen only by the caller blame the callee it shares with no healthy caller', () => {
  // A network delay in front of `cart`: both its callers see slower calls, `cart` itself shows nothing.
  const series = [
    metric('frontend', 'client_latency_p90', 0.02, 20),
    metric('frontend', 'cpu', 20),
    metric('checkout', 'client_latency_p90', 0.02, 20),
    metric('checkout', 'cpu', 20),
    metric('recommend', 'client_latency_p90', 0.02),
    ...quiet('cart'),
    ...quiet('catalog'),
  ];
  const edges = [
    { client: 'frontend', server: 'checkout' },
    { client: 'frontend', server: 'cart' },
    { client: 'frontend', server: 'catalog' },
    { client: 'checkout', server: 'cart' },
    { client: 'checkout', server: 'catalog' },
    { client: 'recommend', server: 'catalog' },
  ];
  const ranked = rankRootCauses({ series, edges });
  assert.equal(ranked[0]?.service, 'cart');
  assert.equal(ranked[0]?.metric, 'client latency of frontend, checkout');
});

test('the earlier onset wins between two equally strong resource anomalies', () => {
  const series = [metric('a', 'cpu', 20, 3, 5), metric('b', 'cpu', 20, 3, 0)];
  assert.equal(rankRootCauses({ series })[0]?.service, 'b');
});

test('series shared by several services (a node metric beside each pod) are ignored', () => {
  const node = metric('x', 'host_cpu_share', 20, 5);
  const series = [
    { ...node, service: 'a', name: 'load' },
    { ...node, service: 'b', name: 'load' },
    metric('c', 'memory', 300, 1),
  ];
  assert.equal(rankRootCauses({ series })[0]?.service, 'c');
});

test('extra evidence lifts a service, including one without metrics', () => {
  const series = [...quiet('a'), ...quiet('b')];
  const ranked = rankRootCauses({ series, evidence: { logsOnly: 1 } });
  assert.equal(ranked[0]?.service, 'logsOnly');
  assert.equal(ranked[0]?.metric, 'evidence');
  assert.equal(rankRootCauses({ series: [] }).length, 0);
});

test('edge latency finds a delay on a service network that its own metrics do not show', () => {
  const series = [
    metric('frontend', 'client_latency_p90', 0.02, 10),
    metric('frontend', 'server_latency_p90', 0.1, 3),
    metric('checkout', 'client_latency_p90', 0.02, 10),
    metric('checkout', 'cpu', 20),
    ...quiet('cart'),
    ...quiet('catalog'),
    metric('catalog', 'client_latency_p90', 0.02),
  ];
  const edges = [
    { client: 'frontend', server: 'checkout' },
    { client: 'frontend', server: 'cart' },
    { client: 'frontend', server: 'catalog' },
    { client: 'checkout', server: 'cart' },
    { client: 'checkout', server: 'catalog' },
  ];
  const edgeLatency: EdgeLatencySeries[] = edges.flatMap(({ client, server }) => {
    const added = server === 'cart' ? 0.2 : 0;
    const handling = metric(server, 'p50', 0.004);
    return [
      { client, server, side: 'server' as const, ...handling },
      {
        client,
        server,
        side: 'client' as const,
        name: 'p50',
        baseline: handling.baseline.map((value) => value + 0.001),
        anomalous: handling.anomalous.map((value) => value + 0.001 + added),
      },
    ];
  });
  // Without edge latency cart and catalog share the same callers: nothing separates them.
  const scoreOf = (ranking: RankedCause[], service: string): number =>
    ranking.find((cause) => cause.service === service)?.score ?? Number.NaN;
  const blind = rankRootCauses({ series, edges });
  assert.ok(Math.abs(scoreOf(blind, 'cart') - scoreOf(blind, 'catalog')) < 0.5);
  const ranked = rankRootCauses({ series, edges, edgeLatency });
  assert.ok(scoreOf(ranked, 'cart') - scoreOf(ranked, 'catalog') > 2);
  assert.equal(ranked[0]?.service, 'cart');
  assert.equal(ranked[0]?.indicator, 'network');
  assert.match(ranked[0]?.metric ?? '', /→ cart$/);
  assert.ok((ranked[0]?.confidence ?? 0) > 0.9);
  // The callers' slower responses are explained by cart and do not make the frontend a candidate ahead of it.
  assert.ok((ranked.find((cause) => cause.service === 'frontend')?.score ?? 0) < (ranked[0]?.score ?? 0) - 1);
});

test('errors rising from an error-free baseline rank the callee first, with finite confidences', () => {
  // No request failed before: the error ratios have no spread at all, and the callee's failures reach its callers.
  const errors = (service: string, ratio: number, from: number): RankingSeries => ({
    service,
    name: 'error_ratio',
    baseline: Array.from({ length: 30 }, () => 0),
    anomalous: Array.from({ length: 20 }, (_, i) => (i >= from ? ratio : 0)),
  });
  const series = [errors('payment', 0.5, 4), errors('checkout', 0.45, 4), errors('frontend', 0.4, 5), ...quiet('payment'), ...quiet('checkout'), ...quiet('frontend')];
  const ranked = rankRootCauses({
    series,
    edges: [
      { client: 'frontend', server: 'checkout' },
      { client: 'checkout', server: 'payment' },
    ],
  });
  assert.equal(ranked[0]?.service, 'payment');
  assert.equal(ranked[0]?.indicator, 'errors');
  assert.ok(ranked.every((cause) => Number.isFinite(cause.score) && Number.isFinite(cause.confidence)));
  assert.ok(Math.abs(ranked.reduce((sum, cause) => sum + cause.confidence, 0) - 1) < 1e-9);
  assert.ok((ranked[0]?.confidence ?? 0) > 0.5);
});
