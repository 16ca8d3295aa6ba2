import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { UpstreamError } from './http.ts';
import {
  TempoClient,
  attributesOf,
  otlpId,
  parseSearchResponse,
  parseTraceResponse,
  spanKind,
  spanStatus,
} from './tempo.ts';

const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const TRACE_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** A search answer in Tempo's format: a trace with two span sets sharing a span, and the deprecated spanSet. */
const SEARCH = {
  traces: [
    {
      // Tempo drops leading zeros of trace ids in search results.
      traceID: TRACE_ID.slice(1),
      rootServiceName: 'frontend',
      rootTraceName: 'GET /checkout',
      startTimeUnixNano: '1700000000123456789',
      durationMs: 1250,
      spanSet: {
        spans: [
          {
            spanID: '00000000000000aa',
            startTimeUnixNano: '1700000000200000000',
            durationNanos: '900000000',
            attributes: [],
          },
        ],
        matched: 1,
      },
      spanSets: [
        {
          spans: [
            {
              spanID: '00000000000000aa',
              name: 'charge',
              startTimeUnixNano: '1700000000200000000',
              durationNanos: '900000000',
              attributes: [
                { key: 'service.name', value: { stringValue: 'payments' } },
                { key: 'status', value: { stringValue: 'error' } },
                { key: 'http.status_code', value: { intValue: '502' } },
                { key: 'retry', value: { boolValue: true } },
                { key: 'ratio', value: { doubleValue: 0.25 } },
              ],
            },
          ],
          matched: 2,
        },
        {
          spans: [
            {
              spanID: '00000000000000bb',
              startTimeUnixNano: '1700000000300000000',
              durationNanos: '1500',
              attributes: [{ key: 'status', value: { stringValue: 'ok' } }],
            },
          ],
          matched: 1,
        },
      ],
    },
    { traceID: 'ffff', rootServiceName: 'cron', startTimeUnixNano: '1700000001000000000' },
  ],
  metrics: { inspectedBytes: '1000', completedJobs: 1, totalJobs: 1 },
};

/** Trace by id as OTLP JSON (jsonpb: base64 ids, string nanoseconds, enum names). */
function otlpTrace(key: 'resourceSpans' | 'batches') {
  return {
    [key]: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'frontend' } }] },
        scopeSpans: [
          {
            scope: { name: 'lib' },
            spans: [
              {
                traceId: hexToBase64(TRACE_ID),
                spanId: hexToBase64('1111111111111111'),
                name: 'GET /checkout',
                kind: 'SPAN_KIND_SERVER',
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000001250000000',
                attributes: [{ key: 'http.method', value: { stringValue: 'GET' } }],
                status: { code: 'STATUS_CODE_ERROR', message: 'upstream failed' },
              },
            ],
          },
        ],
      },
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: hexToBase64(TRACE_ID),
                spanId: hexToBase64('2222222222222222'),
                parentSpanId: hexToBase64('1111111111111111'),
                name: 'charge',
                kind: 3,
                startTimeUnixNano: '1700000000100000000',
                endTimeUnixNano: '1700000000100500000',
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('TempoClient', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const client = () =>
    new TempoClient({
      baseUrl: server.url,
      tenant: 'ops',
      auth: { kind: 'bearer', token: 'tempo-token' },
      backoffMs: 5,
    });

  it('searches with TraceQL over whole seconds and reads the matched spans', async () => {
    server.on('/api/search', { body: SEARCH });
    const traces = await client().search(
      '{ status = error }',
      { from: 1_700_000_000_500, to: 1_700_000_060_001 },
      { limit: 20, spansPerSpanSet: 5 }
    );
    const [request] = server.requests;
    assert.equal(request?.query.get('q'), '{ status = error }');
    assert.equal(request?.query.get('start'), '1700000000');
    assert.equal(request?.query.get('end'), '1700000061');
    assert.equal(request?.query.get('limit'), '20');
    assert.equal(request?.query.get('spss'), '5');
    assert.equal(request?.headers['x-scope-orgid'], 'ops');
    assert.equal(request?.headers.authorization, 'Bearer tempo-token');
    assert.equal(traces.length, 2);
    const [trace] = traces;
    assert.equal(trace?.traceId, TRACE_ID);
    assert.equal(trace?.rootService, 'frontend');
    assert.equal(trace?.start, 1_700_000_000_123);
    assert.equal(trace?.durationMs, 1250);
    assert.deepEqual(trace?.spans[0], {
      spanId: '00000000000000aa',
      service: 'payments',
      name: 'charge',
      start: 1_700_000_000_200,
      durationMs: 900,
      status: 'error',
      attributes: { 'service.name': 'payments', status: 'error', 'http.status_code': 502, retry: true, ratio: 0.25 },
    });
    assert.equal(trace?.spans.length, 2, 'spans from every span set, once each');
    assert.equal(trace?.spans[1]?.durationMs, 0.0015);
    assert.deepEqual(traces[1], {
      traceId: '0000000000000000000000000000ffff',
      rootService: 'cron',
      rootName: undefined,
      start: 1_700_000_001_000,
      durationMs: 0,
      spans: [],
    });
  });

  it('reports bad TraceQL as bad_query, quoting Tempo', async () => {
    server.on('/api/search', {
      status: 400,
      body: 'invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER',
    });
    await assert.rejects(client().search('foo', { from: 0, to: 1000 }, { limit: 1 }), (error: unknown) => {
      assert.ok(error instanceof UpstreamError && error.kind === 'bad_query' && error.upstream === 'tempo');
      assert.match(
        error.message,
        /^Tempo \(.*\) answered HTTP 400: invalid TraceQL query: parse error at line 1, col 1/
      );
      assert.ok(!error.message.includes('tempo-token'));
      return true;
    });
  });

  it('reads a trace by id from the v2 API', async () => {
    server.on(`/api/v2/traces/${TRACE_ID}`, { body: { trace: otlpTrace('resourceSpans') } });
    const spans = await client().traceById(TRACE_ID);
    assert.deepEqual(spans, [
      {
        traceId: TRACE_ID,
        spanId: '1111111111111111',
        parentSpanId: undefined,
        service: 'frontend',
        name: 'GET /checkout',
        kind: 'server',
        start: 1_700_000_000_000,
        durationMs: 1250,
        status: 'error',
        attributes: { 'http.method': 'GET' },
      },
      {
        traceId: TRACE_ID,
        spanId: '2222222222222222',
        parentSpanId: '1111111111111111',
        service: 'payments',
        name: 'charge',
        kind: 'client',
        start: 1_700_000_000_100,
        durationMs: 0.5,
        status: 'unset',
        attributes: {},
      },
    ]);
    assert.equal(server.requests.length, 1);
  });

  it('falls back to the v1 API when v2 answers 404, and returns [] when neither has the trace', async () => {
    server.on(`/api/v2/traces/${TRACE_ID}`, { status: 404, body: '404 page not found' });
    server.on(`/api/traces/${TRACE_ID}`, { body: otlpTrace('batches') });
    const spans = await client().traceById(TRACE_ID);
    assert.deepEqual(
      spans.map((span) => [span.service, span.spanId, span.kind]),
      [
        ['frontend', '1111111111111111', 'server'],
        ['payments', '2222222222222222', 'client'],
      ]
    );
    assert.deepEqual(
      server.requests.map((request) => request.path),
      [`/api/v2/traces/${TRACE_ID}`, `/api/traces/${TRACE_ID}`]
    );
    server.on(`/api/traces/${TRACE_ID}`, { status: 404, body: 'trace not found' });
    assert.deepEqual(await client().traceById(TRACE_ID), []);
  });

  it('does not fall back on other errors, and refuses ids that are not hex', async () => {
    server.on(`/api/v2/traces/${TRACE_ID}`, { status: 400, body: 'bad request' });
    await assert.rejects(
      client().traceById(TRACE_ID),
      (error: unknown) => error instanceof UpstreamError && error.kind === 'bad_query'
    );
    assert.equal(server.requests.length, 1);
    await assert.rejects(
      client().traceById('../../etc'),
      (error: unknown) => error instanceof UpstreamError && error.kind === 'bad_query'
    );
  });
});

describe('Tempo parsers', () => {
  it('maps kinds and status codes given as names or numbers', () => {
    assert.equal(spanKind('SPAN_KIND_CONSUMER'), 'consumer');
    assert.equal(spanKind(4), 'producer');
    assert.equal(spanKind(undefined), 'unspecified');
    assert.equal(spanStatus({ code: 2 }), 'error');
    assert.equal(spanStatus({ code: 'STATUS_CODE_OK' }), 'ok');
    assert.equal(spanStatus(undefined), 'unset');
  });

  it('reads every attribute value type', () => {
    assert.deepEqual(
      attributesOf([
        { key: 's', value: { stringValue: 'x' } },
        { key: 'i', value: { intValue: '42' } },
        { key: 'big', value: { intValue: '9007199254740993' } },
        { key: 'd', value: { doubleValue: 1.5 } },
        { key: 'b', value: { boolValue: false } },
        { key: 'a', value: { arrayValue: { values: [{ stringValue: 'y' }] } } },
        { key: 'empty', value: {} },
      ]),
      { s: 'x', i: 42, big: '9007199254740993', d: 1.5, b: false, a: '{"values":[{"stringValue":"y"}]}' }
    );
  });

  it('turns base64 ids into hex and keeps hex ids', () => {
    assert.equal(otlpId('W47/95gDgQPSabYzgT/HAA==', 32), '5b8efff798038103d269b633813fc700');
    assert.equal(otlpId('5B8EFFF798038103D269B633813FC700', 32), '5b8efff798038103d269b633813fc700');
    assert.equal(otlpId('7uGbfsPBsQA=', 16), 'eee19b7ec3c1b100');
  });

  it('rejects bodies that are not objects', () => {
    assert.throws(
      () => parseSearchResponse('nope'),
      (error: unknown) => error instanceof UpstreamError && error.kind === 'bad_response'
    );
    assert.throws(
      () => parseTraceResponse(null),
      (error: unknown) => error instanceof UpstreamError && error.kind === 'bad_response'
    );
  });
});
