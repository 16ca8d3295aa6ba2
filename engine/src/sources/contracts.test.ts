import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { UpstreamError } from './http.ts';
import { isObject, listOf } from './json.ts';
import { LokiClient } from './loki.ts';
import { PrometheusClient } from './prometheus.ts';
import { TempoClient } from './tempo.ts';

/** Upstream payloads beside the repository (../shared/contracts), read but never copied. */
const CONTRACTS = path.resolve(import.meta.dirname, '../../../../shared/contracts');
const SKIP = existsSync(CONTRACTS)
  ? false
  : `no upstream contracts at ${CONTRACTS} (they come with ../shared; CI has them)`;

const files = (dir: string, pattern: RegExp) =>
  SKIP === false ? readdirSync(path.join(CONTRACTS, dir)).filter((name) => pattern.test(name)) : [];
const read = (dir: string, name: string) => readFileSync(path.join(CONTRACTS, dir, name), 'utf8');
const readJson = (dir: string, name: string): unknown => JSON.parse(read(dir, name));
const RANGE = { from: 1_000_000, to: 2_000_000 };
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

const upstreamError = (kind: string, said: string) => (error: unknown) => {
  assert.ok(error instanceof UpstreamError, String(error));
  assert.equal(error.kind, kind);
  assert.ok(error.message.includes(said), `${error.message} quotes ${said}`);
  return true;
};

describe('upstream contracts', { skip: SKIP }, () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server?.close());
  beforeEach(() => server.reset());

  describe('Loki', () => {
    const loki = () => new LokiClient({ baseUrl: server.url, retries: 0 });

    for (const name of files('loki', /^query_range_streams.*\.json$/)) {
      it(`reads ${name}`, async () => {
        const body = readJson('loki', name);
        server.on('/loki/api/v1/query_range', { body });
        const result = await loki().queryRange('{test="test"}', RANGE, { limit: 1000 });
        const streams = isObject(body) && isObject(body.data) ? listOf(body.data.result).filter(isObject) : [];
        const values = streams.flatMap((stream) => listOf(stream.values).map((value) => ({ stream, value })));
        assert.ok(values.length > 0);
        assert.equal(result.entries.length, values.length);
        assert.equal(result.truncated, false);
        for (const entry of result.entries) {
          const source = values.find(({ value }) => Array.isArray(value) && value[1] === entry.line);
          assert.ok(source !== undefined && Array.isArray(source.value), `line ${entry.line} comes from the file`);
          assert.equal(entry.t, Math.floor(Number(source.value[0]) / 1e6));
          assert.ok(
            Object.entries(isObject(source.stream.stream) ? source.stream.stream : {}).every(
              ([key, value]) => entry.labels[key] === value
            ),
            'stream labels kept'
          );
          const metadata: unknown = source.value[2];
          const expected = isObject(metadata)
            ? {
                ...(isObject(metadata.structuredMetadata) ? metadata.structuredMetadata : metadata),
                ...(isObject(metadata.parsed) ? metadata.parsed : {}),
              }
            : {};
          assert.ok(
            Object.entries(expected).every(([key, value]) => entry.labels[key] === value),
            `metadata of ${entry.line} in its labels`
          );
        }
        const times = result.entries.map((entry) => entry.t);
        assert.deepEqual(
          times,
          [...times].sort((a, b) => b - a),
          'newest first'
        );
        assert.deepEqual(result.warnings, isObject(body) && Array.isArray(body.warnings) ? body.warnings : []);
      });
    }

    for (const name of files('loki', /^query_range_matrix.*\.json$/)) {
      it(`refuses ${name} (a metric result) as not a log query`, async () => {
        server.on('/loki/api/v1/query_range', { body: readJson('loki', name) });
        await assert.rejects(
          loki().queryRange('rate({a="b"}[1m])', RANGE, { limit: 10 }),
          upstreamError('bad_query', 'metric query')
        );
      });
    }

    for (const name of files('loki', /^error_.*_400\.txt$/)) {
      it(`quotes ${name}`, async () => {
        const text = read('loki', name);
        server.on('/loki/api/v1/query_range', { status: 400, body: text });
        await assert.rejects(loki().queryRange('x', RANGE, { limit: 10 }), upstreamError('bad_query', text.trim()));
      });
    }
  });

  describe('Tempo', () => {
    const tempo = () => new TempoClient({ baseUrl: server.url, retries: 0 });

    for (const name of files('tempo', /^search_traceql.*\.json$/)) {
      it(`reads ${name}`, async () => {
        const body = readJson('tempo', name);
        server.on('/api/search', { body });
        const traces = await tempo().search('{}', RANGE, { limit: 100 });
        const expected = isObject(body) ? listOf(body.traces).filter(isObject) : [];
        assert.equal(traces.length, expected.length);
        for (const [index, trace] of traces.entries()) {
          const source = expected[index] ?? {};
          assert.match(trace.traceId, HEX32);
          assert.equal(trace.rootService, source.rootServiceName);
          assert.equal(trace.durationMs, source.durationMs);
          assert.equal(trace.start, Math.floor(Number(source.startTimeUnixNano) / 1e6));
          const spanIds = new Set(
            listOf(source.spanSets ?? [source.spanSet])
              .flatMap((set) => (isObject(set) ? listOf(set.spans) : []))
              .map((span) => (isObject(span) ? span.spanID : undefined))
          );
          assert.equal(trace.spans.length, spanIds.size);
          for (const span of trace.spans) {
            assert.match(span.spanId, HEX16);
            assert.ok(span.durationMs > 0 && span.start >= trace.start);
          }
        }
        if (name.includes('status_error')) {
          assert.ok(traces.every((trace) => trace.spans.every((span) => span.status === 'error')));
        }
      });
    }

    const traceFiles = files('tempo', /^(trace_by_id_v[12].*|trace_tempopb_jsonpb\.vulture_fixture)\.json$/);
    for (const name of traceFiles) {
      it(`reads ${name}`, async () => {
        const body = readJson('tempo', name);
        const v1 = name.startsWith('trace_by_id_v1');
        const id = '5b8efff798038103d269b633813fc700';
        if (v1) {
          server.on(`/api/v2/traces/${id}`, { status: 404, body: '404 page not found' });
        }
        server.on(v1 ? `/api/traces/${id}` : `/api/v2/traces/${id}`, { body });
        const spans = await tempo().traceById(id);
        const trace = isObject(body) && isObject(body.trace) ? body.trace : body;
        const resourceSpans = isObject(trace) ? listOf(trace.resourceSpans ?? trace.batches).filter(isObject) : [];
        const count = resourceSpans.flatMap((resource) =>
          listOf(resource.scopeSpans)
            .filter(isObject)
            .flatMap((scope) => listOf(scope.spans))
        ).length;
        assert.ok(count > 0);
        assert.equal(spans.length, count);
        for (const span of spans) {
          assert.match(span.traceId, HEX32);
          assert.match(span.spanId, HEX16);
          assert.ok(span.parentSpanId === undefined || HEX16.test(span.parentSpanId));
          assert.ok(typeof span.service === 'string' && span.service !== '');
          assert.ok(span.durationMs >= 0 && Number.isFinite(span.durationMs));
          assert.ok(['unset', 'ok', 'error'].includes(span.status ?? ''));
        }
        if (name.startsWith('trace_by_id')) {
          assert.deepEqual(
            spans.map(({ traceId, spanId, kind, service, durationMs }) => ({
              traceId,
              spanId,
              kind,
              service,
              durationMs,
            })),
            [{ traceId: id, spanId: 'eee19b7ec3c1b100', kind: 'server', service: 'my.service', durationMs: 698_000 }]
          );
        }
      });
    }

    for (const name of files('tempo', /^error_.*_400\.txt$/)) {
      it(`quotes ${name}`, async () => {
        const text = read('tempo', name);
        server.on('/api/search', { status: 400, body: text });
        await assert.rejects(tempo().search('foo', RANGE, { limit: 1 }), upstreamError('bad_query', text.trim()));
      });
    }
  });

  describe('Prometheus', () => {
    const prometheus = () => new PrometheusClient({ baseUrl: server.url, retries: 0 });

    for (const name of files('prometheus', /^query_range.*\.json$/)) {
      it(`reads ${name}`, async () => {
        const body = readJson('prometheus', name);
        server.on('/api/v1/query_range', { body });
        const result = await prometheus().queryRangeWithWarnings('up', RANGE, 15);
        const expected = isObject(body) && isObject(body.data) ? listOf(body.data.result).filter(isObject) : [];
        const withValues = expected.filter((series) => Array.isArray(series.values));
        assert.equal(result.series.length, withValues.length);
        assert.equal(
          result.warnings.length,
          expected.length - withValues.length,
          'a warning per skipped histogram series'
        );
        for (const [index, series] of result.series.entries()) {
          assert.deepEqual(series.labels, withValues[index]?.metric);
          assert.equal(series.samples.length, listOf(withValues[index]?.values).length);
          assert.ok(series.samples.every((sample) => Number.isInteger(sample.t) && Number.isFinite(sample.v)));
        }
        assert.equal(server.requests[0]?.method, 'POST');
      });
    }

    for (const name of files('prometheus', /^error_.*\.json$/)) {
      it(`quotes ${name}`, async () => {
        const body = readJson('prometheus', name);
        const status = Number(/_(\d{3})\./.exec(name)?.[1] ?? 500);
        server.on('/api/v1/query_range', { status, body });
        const said = isObject(body) ? String(body.error) : '';
        const kind = isObject(body) && body.errorType === 'timeout' ? 'timeout' : 'unavailable';
        await assert.rejects(prometheus().queryRange('up', RANGE, 15), upstreamError(kind, said));
      });
    }
  });
});
