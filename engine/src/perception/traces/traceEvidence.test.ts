import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Span } from '../../sources/types.ts';
import { MemoryMetricsSource } from '../metrics/memoryMetricsSource.ts';
import { gaussian, seededRandom } from '../metrics/testSeries.ts';
import { edgesFromSpans } from './edges.ts';
import { MemoryTracesSource, parseSpanset } from './memoryTracesSource.ts';
import { collectTraceEvidence, comparisonWindow } from './traceEvidence.ts';
import type { TraceEvidenceRequest } from './traceEvidence.ts';
import { errorSpansQuery, serverSpansQuery, slowSpansQuery } from './traceql.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 5);
const INCIDENT = { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR };
const BASELINE = { from: T0, to: INCIDENT.from };
const WEIRD = 'we"ird\\svc';

/**
 * A trace every 30 s: frontend → checkout → payment, checkout → cart, WEIRD alone. In the incident payment slows
 * down 10× from minute 10 and fails a third of its calls from minute 20; checkout's client span records the failure.
 */
function generatedSpans(): Span[] {
  const random = seededRandom(7);
  const normal = gaussian(random);
  const spans: Span[] = [];
  let n = 0;
  for (let start = T0; start < INCIDENT.to; start += 30_000) {
    const traceId = (++n).toString(16).padStart(32, '0');
    const slow = start >= INCIDENT.from + 10 * MINUTE;
    const failing = start >= INCIDENT.from + 20 * MINUTE && n % 3 === 0;
    const payment = Math.max(1, (slow ? 200 : 20) * (1 + 0.1 * normal()));
    const cart = Math.max(1, 15 * (1 + 0.1 * normal()));
    const span = (
      spanId: string,
      parent: string | undefined,
      service: string,
      kind: Span['kind'],
      durationMs: number,
      error = false
    ): Span => ({
      traceId,
      spanId,
      parentSpanId: parent,
      service,
      name: `${service} ${kind}`,
      kind,
      start,
      durationMs,
      status: error ? 'error' : 'unset',
      attributes: {},
    });
    spans.push(
      span('a1', undefined, 'frontend', 'server', payment + cart + 10),
      span('a2', 'a1', 'frontend', 'client', payment + cart + 8),
      span('b1', 'a2', 'checkout', 'server', payment + cart + 5),
      span('b2', 'b1', 'checkout', 'client', payment + 1, failing),
      span('c1', 'b2', 'payment', 'server', payment, failing),
      span('b3', 'b1', 'checkout', 'client', cart + 1),
      span('d1', 'b3', 'cart', 'server', cart)
    );
    spans.push({ ...span('w1', undefined, WEIRD, 'server', 5 + random()), traceId: `w${traceId}` });
  }
  return spans;
}

function request(overrides: Partial<TraceEvidenceRequest> = {}): TraceEvidenceRequest {
  return {
    traces: new MemoryTracesSource(generatedSpans()),
    metrics: undefined,
    services: ['frontend', 'checkout', 'payment', 'cart', WEIRD],
    incident: INCIDENT,
    baseline: BASELINE,
    scope: 'inc_1',
    ...overrides,
  };
}

describe('TraceQL', () => {
  it('escapes service names so the search reads back the exact name', () => {
    const span: Span = {
      traceId: 't',
      spanId: 's',
      parentSpanId: undefined,
      service: WEIRD,
      name: undefined,
      kind: 'server',
      start: 0,
      durationMs: 300,
      status: 'error',
      attributes: {},
    };
    for (const query of [errorSpansQuery(WEIRD), serverSpansQuery(WEIRD), slowSpansQuery(WEIRD, 250.4)]) {
      assert.ok(
        parseSpanset(query).every((condition) => condition(span)),
        query
      );
      assert.equal(
        parseSpanset(query).every((condition) => condition({ ...span, service: 'we' })),
        false
      );
    }
    assert.equal(errorSpansQuery('a"b'), '{ resource.service.name = "a\\"b" && status = error }');
    assert.equal(slowSpansQuery('x', 250.4), '{ resource.service.name = "x" && kind = server && duration > 250ms }');
  });

  it('compares the incident with the most recent, equally long part of the baseline', () => {
    assert.deepEqual(comparisonWindow(INCIDENT, BASELINE), { from: INCIDENT.from - HOUR, to: INCIDENT.from });
    assert.deepEqual(comparisonWindow(INCIDENT, { from: T0 + HOUR + 30 * MINUTE, to: INCIDENT.from }), {
      from: T0 + HOUR + 30 * MINUTE,
      to: INCIDENT.from,
    });
  });
});

describe('collectTraceEvidence', () => {
  it('finds new error spans and latency shifts with the edges they sit on', async () => {
    const traces = new MemoryTracesSource(generatedSpans());
    const evidence = await collectTraceEvidence(request({ traces }));
    const found = evidence.map((item) => `${item.kind}:${item.service}`).sort();
    assert.deepEqual(found, [
      'trace_errors:checkout',
      'trace_errors:payment',
      'trace_latency:checkout',
      'trace_latency:frontend',
      'trace_latency:payment',
    ]);

    const errors = evidence.find((item) => item.kind === 'trace_errors' && item.service === 'payment');
    assert.ok(errors !== undefined);
    assert.deepEqual(errors.details.edges, [{ client: 'checkout', server: 'payment' }]);
    assert.equal(errors.details.baselineErrorSpans, 0);
    assert.ok((errors.details.errorSpans ?? 0) >= 25, `errors ${errors.details.errorSpans}`);
    assert.ok(errors.details.traceIds.length > 0 && errors.details.traceIds.length <= 5);
    assert.equal(errors.link.datasource, 'tempo');
    assert.equal(errors.link.query, '{ resource.service.name = "payment" && status = error }');
    assert.match(
      errors.summary,
      /^payment has \d+ error spans in \d+ traces, against 0 in an equally long baseline on checkout → payment$/
    );
    assert.ok(errors.score > 0.7);
    assert.match(errors.id, /^ev_trc_[0-9a-f]{12}$/);

    const latency = evidence.find((item) => item.kind === 'trace_latency' && item.service === 'payment');
    assert.ok(latency !== undefined);
    const { p95Ms = 0, baselineP95Ms = 0 } = latency.details;
    assert.ok(p95Ms > 150 && baselineP95Ms > 15 && baselineP95Ms < 30, `${p95Ms} vs ${baselineP95Ms}`);
    assert.match(
      latency.link.query,
      /^\{ resource\.service\.name = "payment" && kind = server && duration > \d+ms \}$/
    );
    assert.deepEqual(latency.details.edges, [{ client: 'checkout', server: 'payment' }]);
    assert.match(latency.summary, /^p95 of payment server spans rose \d+\.\d× from \d+ ms to \d+ ms/);
    assert.match(latency.id, /^ev_trl_/);
    // Every cited trace is slow in its payment span.
    const fetchedOk = latency.details.traceIds.every((id) =>
      generatedSpans().some(
        (span) => span.traceId === id && span.service === 'payment' && span.durationMs > baselineP95Ms
      )
    );
    assert.ok(fetchedOk);

    const checkoutEdges =
      evidence.find((item) => item.kind === 'trace_latency' && item.service === 'checkout')?.details.edges ?? [];
    assert.deepEqual(checkoutEdges, [
      { client: 'checkout', server: 'cart' },
      { client: 'checkout', server: 'payment' },
      { client: 'frontend', server: 'checkout' },
    ]);
    assert.ok(traces.fetched.length <= 3 * evidence.length, 'a few traces per finding');
    assert.ok(
      evidence.every((item, i) => i === 0 || (evidence[i - 1]?.score ?? 0) >= item.score),
      'strongest first'
    );
  });

  it('takes edges from service graph metrics when there are any', async () => {
    const metrics = new MemoryMetricsSource([
      {
        labels: { __name__: 'traces_service_graph_request_failed_total', client: 'checkout', server: 'payment' },
        value: (t) => (t >= INCIDENT.from + 20 * MINUTE ? 0.7 : 0),
      },
      {
        labels: { __name__: 'traces_service_graph_request_total', client: 'checkout', server: 'payment' },
        value: () => 2,
      },
      {
        labels: { __name__: 'traces_service_graph_request_total', client: 'gateway', server: 'payment' },
        value: () => 1,
      },
    ]);
    const traces = new MemoryTracesSource(generatedSpans());
    const evidence = await collectTraceEvidence(request({ traces, metrics, services: ['payment'] }));
    const errors = evidence.find((item) => item.kind === 'trace_errors');
    assert.deepEqual(errors?.details.edges, [{ client: 'checkout', server: 'payment' }]);
    const latency = evidence.find((item) => item.kind === 'trace_latency');
    assert.deepEqual(latency?.details.edges, [
      { client: 'checkout', server: 'payment' },
      { client: 'gateway', server: 'payment' },
    ]);
    assert.equal(traces.fetched.length, 0, 'no traces fetched when the service graph answered');
    assert.ok(
      metrics.queries.every(
        (query) => query.query.includes('server="payment"') && query.query.includes('client="payment"')
      )
    );
  });

  it('gives stable ids, and none for services without findings', async () => {
    const first = await collectTraceEvidence(request());
    const second = await collectTraceEvidence(request());
    assert.deepEqual(first.map((item) => item.id).sort(), second.map((item) => item.id).sort());
    assert.equal(new Set(first.map((item) => item.id)).size, first.length);
    assert.ok(!first.some((item) => item.service === 'cart' || item.service === WEIRD));
  });

  it('skips failing searches and traces, failing only when every search failed', async () => {
    const partial = await collectTraceEvidence(
      request({ traces: new MemoryTracesSource(generatedSpans(), { failOn: /checkout|^0+1/ }) })
    );
    assert.ok(partial.some((item) => item.service === 'payment' && item.kind === 'trace_errors'));
    assert.ok(!partial.some((item) => item.service === 'checkout'));
    await assert.rejects(
      collectTraceEvidence(request({ traces: new MemoryTracesSource(generatedSpans(), { failOn: /./ }) })),
      /tempo: search failed/
    );
  });
});

describe('edgesFromSpans', () => {
  it('keeps trace boundaries apart and prefers failed calls for errors', () => {
    const base = { name: undefined, start: 0, durationMs: 1, attributes: {}, kind: 'server' as const };
    const spans: Span[] = [
      { ...base, traceId: 't1', spanId: 'x', parentSpanId: undefined, service: 'a', status: 'unset' },
      { ...base, traceId: 't1', spanId: 'y', parentSpanId: 'x', service: 'b', status: 'error' },
      { ...base, traceId: 't1', spanId: 'z', parentSpanId: 'y', service: 'c', status: 'unset' },
      // Same span id in another trace: its parent is not t1's x.
      { ...base, traceId: 't2', spanId: 'w', parentSpanId: 'x', service: 'd', status: 'unset' },
    ];
    assert.deepEqual(edgesFromSpans(spans, 'b', true), [{ client: 'a', server: 'b' }]);
    assert.deepEqual(edgesFromSpans(spans, 'b', false), [
      { client: 'a', server: 'b' },
      { client: 'b', server: 'c' },
    ]);
    assert.deepEqual(edgesFromSpans(spans, 'd', false), []);
  });
});
