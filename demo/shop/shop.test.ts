import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../engine/src/testing/processes.ts';
import { startReplayServer } from '../../engine/src/testing/replayServer.ts';
import { startTelemetrySink } from '../record/sinks.ts';
import type { TelemetrySink } from '../record/sinks.ts';
import { FaultState, parseFaultRequest } from './faults.ts';
import { injectFault, parseInjectArgs } from './inject.ts';
import { startLocalShop } from './localShop.ts';
import type { LocalShop } from './localShop.ts';

async function request(
  url: string,
  method = 'GET',
  body?: unknown
): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    ms: performance.now() - started,
  };
}

/** The value of one sample on a service's /metrics page, 0 when absent. */
async function sample(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  for (const line of text.split('\n')) {
    const match = /^([\w:]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) {
      continue;
    }
    const pairs = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => pairs[key] === value)) {
      return Number(match[3]);
    }
  }
  return 0;
}

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('fault requests', () => {
  test('defaults and bounds are applied, and mistakes name their field', () => {
    assert.deepEqual(parseFaultRequest({ kind: 'errors' }), {
      kind: 'errors',
      durationSeconds: 300,
      delayMs: 1500,
      ratio: 0.5,
      load: 0.8,
      mbPerMinute: 60,
    });
    assert.equal(parseFaultRequest({ kind: 'latency', delayMs: 200 }).ratio, 1);
    assert.throws(
      () => parseFaultRequest({ kind: 'slow' }),
      /^Error: body\/kind must be one of latency, errors, cpu, memory$/
    );
    assert.throws(() => parseFaultRequest({ kind: 'errors', ratio: 2 }), /body\/ratio must be a number from 0 to 1/);
    assert.throws(
      () => parseFaultRequest({ kind: 'errors', durationSeconds: 7200 }),
      /body\/durationSeconds must be a number from 1 to 3600/
    );
    assert.throws(() => parseFaultRequest({ kind: 'errors', rate: 1 }), /body has unknown property "rate"/);
    assert.throws(() => parseFaultRequest([]), /body must be a JSON object/);
  });

  test('a fault ends when its duration is over', () => {
    let now = 1000;
    const state = new FaultState(() => now);
    state.start(parseFaultRequest({ kind: 'errors', ratio: 1, durationSeconds: 10 }));
    assert.equal(state.failsFor(0.99), true);
    now += 9_999;
    assert.equal(state.list().length, 1);
    now += 1;
    assert.equal(state.failsFor(0), false);
    assert.deepEqual(state.list(), []);
  });

  test('the command line is read into a request, with the usage on mistakes', () => {
    const options = parseInjectArgs(['payment', 'latency', '--duration', '60', '--delay-ms', '900'], {
      SHOP_PAYMENT_URL: 'http://pay:1',
    });
    assert.equal(options.shopUrl, 'http://pay:1');
    assert.equal(options.durationSeconds, 60);
    assert.deepEqual(options.detail, { delayMs: 900 });
    assert.equal(parseInjectArgs(['cart', 'cpu'], {}).shopUrl, 'http://127.0.0.1:8083');
    assert.throws(() => parseInjectArgs(['billing', 'cpu'], {}), /unknown service "billing"\nusage:/);
    assert.throws(() => parseInjectArgs(['cart', 'explode'], {}), /unknown kind "explode"/);
    assert.throws(() => parseInjectArgs(['cart', 'cpu', '--duration'], {}), /--duration needs a number/);
    assert.throws(() => parseInjectArgs(['cart', 'cpu', '--speed', '3'], {}), /unknown option --speed/);
  });
});

describe('the shop as local processes', () => {
  let shop: LocalShop;
  let sink: TelemetrySink;

  before(async () => {
    sink = await startTelemetrySink();
    shop = await startLocalShop({ otlpUrl: sink.url, lokiUrl: sink.url });
  });
  after(async () => {
    await shop.stop();
    await sink.close();
  });

  test('a checkout crosses four services in one trace, and logs reach Loki', async () => {
    const answer = await request(`${shop.urls.frontend}/checkout`, 'POST', {});
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await waitFor(() => sink.spans.some((span) => span.service === 'payment'), 'the payment span');
    const payment = sink.spans.find((span) => span.service === 'payment');
    assert.ok(payment);
    await waitFor(() => sink.spans.filter((span) => span.traceId === payment.traceId).length >= 9, 'the whole trace');
    const trace = sink.spans.filter((span) => span.traceId === payment.traceId);
    assert.deepEqual([...new Set(trace.map((span) => span.service))].sort(), [
      'cart',
      'checkout',
      'frontend',
      'payment',
      'productcatalog',
    ]);
    const roots = trace.filter((span) => span.parentSpanId === undefined);
    assert.deepEqual(
      roots.map((span) => `${span.service} ${span.kind} ${span.name}`),
      ['frontend server POST /checkout']
    );
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    assert.equal(byId.get(payment.parentSpanId ?? '')?.service, 'checkout', 'payment is called by checkout');
    await waitFor(() => sink.logs.some((log) => log.stream.service_name === 'payment'), 'payment logs in Loki');
    const line: unknown = JSON.parse(sink.logs.find((log) => log.stream.service_name === 'payment')?.line ?? '{}');
    assert.deepEqual(line, { ...(line as object), level: 'info', service: 'payment', route: '/charge', status: 200 });
  });

  test('an errors fault fails the service and its callers, shows on /metrics and ends on DELETE', async () => {
    const failedBefore = await sample(shop.urls.payment, 'http_server_request_duration_seconds_count', {
      http_route: '/charge',
      http_response_status_code: '500',
    });
    const set = await request(`${shop.urls.payment}/-/faults`, 'POST', {
      kind: 'errors',
      ratio: 1,
      durationSeconds: 60,
    });
    assert.equal(set.status, 200);
    const failed = await request(`${shop.urls.frontend}/checkout`, 'POST', {});
    assert.equal(failed.status, 502);
    assert.match(String(failed.body.error), /call to checkout POST \/checkout failed with 502/);
    assert.equal((await request(`${shop.urls.frontend}/`)).status, 200, 'pages that do not pay still work');
    const failedAfter = await sample(shop.urls.payment, 'http_server_request_duration_seconds_count', {
      http_route: '/charge',
      http_response_status_code: '500',
      service: 'payment',
    });
    assert.equal(failedAfter, failedBefore + 1);
    assert.equal(
      await sample(shop.urls.checkout, 'http_server_request_duration_seconds_count', {
        http_route: '/checkout',
        http_response_status_code: '502',
      }),
      1
    );
    await waitFor(
      () => sink.logs.some((log) => log.stream.service_name === 'payment' && log.stream.level === 'error'),
      'the payment error in Loki'
    );
    assert.ok(
      !sink.logs.some((log) => log.line.includes('fault injected')),
      'the injector’s own notes stay out of Loki'
    );

    const cleared = await request(`${shop.urls.payment}/-/faults`, 'DELETE');
    assert.deepEqual(cleared.body, { service: 'payment', cleared: 1 });
    assert.equal((await request(`${shop.urls.frontend}/checkout`, 'POST', {})).status, 200);
  });

  test('a latency fault slows the service and everything above it', async () => {
    const quick = await request(`${shop.urls.frontend}/product/OLJCESPC7Z`);
    assert.ok(quick.ms < 400, `a product page took ${quick.ms} ms without a fault`);
    await request(`${shop.urls.productcatalog}/-/faults`, 'POST', {
      kind: 'latency',
      delayMs: 600,
      durationSeconds: 60,
    });
    const slow = await request(`${shop.urls.frontend}/product/OLJCESPC7Z`);
    assert.equal(slow.status, 200);
    assert.ok(slow.ms >= 600, `a product page took ${slow.ms} ms with 600 ms of latency in the catalog`);
    assert.equal(
      await sample(shop.urls.frontend, 'http_server_request_duration_seconds_bucket', {
        http_route: '/product/:id',
        le: '0.5',
      }),
      1,
      'only the fast request is under 0.5 s'
    );
    const listed = await request(`${shop.urls.productcatalog}/-/faults`);
    assert.equal((listed.body.faults as Array<{ kind: string }>)[0]?.kind, 'latency');
    await request(`${shop.urls.productcatalog}/-/faults?kind=latency`, 'DELETE');
  });

  test('cpu and memory faults show in the process metrics', async () => {
    const cpuBefore = await sample(shop.urls.cart, 'process_cpu_seconds_total', { service: 'cart' });
    await request(`${shop.urls.cart}/-/faults`, 'POST', { kind: 'cpu', load: 0.9, durationSeconds: 30 });
    await request(`${shop.urls.cart}/-/faults`, 'POST', { kind: 'memory', mbPerMinute: 300, durationSeconds: 30 });
    const memoryBefore = await sample(shop.urls.cart, 'process_resident_memory_bytes', {});
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const burnt = (await sample(shop.urls.cart, 'process_cpu_seconds_total', { service: 'cart' })) - cpuBefore;
    assert.ok(burnt > 1, `the cart burnt ${burnt} CPU seconds in 2.5 s at 90 %`);
    const grown = (await sample(shop.urls.cart, 'process_resident_memory_bytes', {})) - memoryBefore;
    assert.ok(grown > 5 * 1024 * 1024, `the cart's memory grew by ${grown} bytes at 5 MB/s`);
    assert.equal((await request(`${shop.urls.cart}/-/faults`, 'DELETE')).body.cleared, 2);
  });

  test('bad requests to the control endpoint are refused with the reason', async () => {
    const bad = await request(`${shop.urls.cart}/-/faults`, 'POST', { kind: 'meltdown' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.error), /body\/kind must be one of/);
    assert.equal((await request(`${shop.urls.cart}/-/faults?kind=meltdown`, 'DELETE')).status, 400);
    assert.equal((await request(`${shop.urls.cart}/nowhere`)).status, 404);
  });

  test('bad_deploy posts a change to the engine, then turns errors on', async () => {
    const engine = await startReplayServer();
    try {
      engine.on('/api/v1/changes', { body: { created: 1, updated: 0, ids: ['x'] } });
      const result = await injectFault({
        service: 'payment',
        kind: 'bad_deploy',
        detail: { ratio: 1 },
        durationSeconds: 30,
        shopUrl: shop.urls.payment,
        engineUrl: engine.url,
        token: 'demo-token',
        now: () => new Date('2026-11-02T08:00:00Z'),
      });
      const [posted] = engine.requests;
      assert.equal(posted?.method, 'POST');
      assert.equal(posted.headers.authorization, 'Bearer demo-token');
      assert.deepEqual(JSON.parse(posted.body), {
        id: 'demo-payment-1793606400000',
        kind: 'deploy',
        service: 'payment',
        title: 'payment 0.1.1 rolled out',
        startsAt: '2026-11-02T08:00:00.000Z',
        version: '0.1.1',
      });
      assert.equal(result.change?.id, 'demo-payment-1793606400000');
      assert.equal((await request(`${shop.urls.payment}/charge`, 'POST', {})).status, 500);
      await injectFault({ service: 'payment', kind: 'clear', shopUrl: shop.urls.payment });
      assert.equal((await request(`${shop.urls.payment}/charge`, 'POST', {})).status, 200);
      await assert.rejects(
        injectFault({
          service: 'payment',
          kind: 'bad_deploy',
          shopUrl: shop.urls.payment,
          engineUrl: engine.url,
          token: undefined,
        }),
        /set INTELOPS_URL and INTELOPS_TOKEN/
      );
      const closed = await freePort();
      await assert.rejects(
        injectFault({ service: 'cart', kind: 'cpu', shopUrl: `http://127.0.0.1:${closed}` }),
        new RegExp(`^Error: could not reach http://127\\.0\\.0\\.1:${closed}/-/faults \\(connect ECONNREFUSED`)
      );
    } finally {
      await engine.close();
    }
  });
});
