import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startReplayServer } from '../testing/replayServer.ts';
import type { RecordedRequest, ReplayServer, Reply } from '../testing/replayServer.ts';
import { UpstreamError } from './http.ts';
import { LokiClient, capLine, escapeRegex, logqlString, parseStreamsResponse, streamSelector } from './loki.ts';

interface StoredLine {
  ns: bigint;
  stream: Record<string, string>;
  line: string;
}

const T0 = 1_700_000_000_000n * 1_000_000n;
const at = (ms: number, extraNs = 0n) => T0 + BigInt(ms) * 1_000_000n + extraNs;

/** Lines in two streams, with bursts of lines sharing one nanosecond timestamp. */
const STORED: StoredLine[] = [
  ...Array.from({ length: 10 }, (_, i) => ({ ns: at(i * 10), stream: { app: 'api' }, line: `api line ${i}` })),
  ...Array.from({ length: 10 }, (_, i) => ({ ns: at(i * 10 + 5), stream: { app: 'web' }, line: `web line ${i}` })),
  // Three lines at one instant: two in api, one in web.
  { ns: at(47, 3n), stream: { app: 'api' }, line: 'burst a' },
  { ns: at(47, 3n), stream: { app: 'api' }, line: 'burst b' },
  { ns: at(47, 3n), stream: { app: 'web' }, line: 'burst c' },
];

/** Answers query_range as Loki does: [start, end), `limit` lines nearest the start (forward) or end (backward), by stream. */
function lokiQueryRange(stored: StoredLine[]): (request: RecordedRequest) => Reply {
  return (request) => {
    const start = BigInt(request.query.get('start') ?? '0');
    const end = BigInt(request.query.get('end') ?? '0');
    const limit = Number(request.query.get('limit'));
    const forward = request.query.get('direction') === 'forward';
    const picked = stored
      .filter((entry) => entry.ns >= start && entry.ns < end)
      .sort((a, b) => (a.ns === b.ns ? a.line.localeCompare(b.line) : a.ns < b.ns === forward ? -1 : 1))
      .slice(0, limit);
    const streams = new Map<string, { stream: Record<string, string>; values: string[][] }>();
    for (const entry of picked) {
      const key = JSON.stringify(entry.stream);
      const stream = streams.get(key) ?? { stream: entry.stream, values: [] };
      stream.values.push([entry.ns.toString(), entry.line]);
      streams.set(key, stream);
    }
    return { body: { status: 'success', data: { resultType: 'streams', result: [...streams.values()], stats: {} } } };
  };
}

const expectedLines = (forward: boolean) =>
  [...STORED]
    .sort((a, b) => (a.ns === b.ns ? a.line.localeCompare(b.line) : a.ns < b.ns === forward ? -1 : 1))
    .map((entry) => entry.line);

describe('LokiClient', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const range = { from: 1_700_000_000_000, to: 1_700_000_000_100 };
  const client = (options: { pageSize?: number } = {}) =>
    new LokiClient({
      baseUrl: server.url,
      tenant: 'tenant-1',
      auth: { kind: 'basic', username: 'u', password: 'pw-secret' },
      backoffMs: 5,
      ...options,
    });

  for (const direction of ['backward', 'forward'] as const) {
    it(`pages ${direction} through a range without losing or repeating lines that share a timestamp`, async () => {
      server.on('/loki/api/v1/query_range', lokiQueryRange(STORED));
      // Pages of 4 make page boundaries fall on the three-line burst.
      const result = await client({ pageSize: 4 }).queryRange('{app=~".+"}', range, { limit: 1000, direction });
      const lines = result.entries.map((entry) => entry.line);
      // Lines at one nanosecond have no defined order; everything else must come in time order.
      assert.deepEqual([...lines].sort(), [...expectedLines(true)].sort());
      const times = result.entries.map((entry) => entry.t);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => (direction === 'forward' ? a - b : b - a))
      );
      assert.equal(result.truncated, false);
      assert.ok(server.requests.length >= 6, `paged (${server.requests.length} requests)`);
      const [first, second] = server.requests;
      assert.equal(first?.query.get('start'), T0.toString());
      assert.equal(first?.query.get('end'), at(100).toString());
      assert.equal(first?.query.get('limit'), '4');
      assert.equal(first?.query.get('direction'), direction);
      assert.equal(first?.headers['x-scope-orgid'], 'tenant-1');
      assert.equal(first?.headers.authorization, `Basic ${Buffer.from('u:pw-secret').toString('base64')}`);
      // The next window starts (forward) or ends (backward, exclusive) at the last timestamp seen.
      const changed = direction === 'forward' ? second?.query.get('start') : second?.query.get('end');
      assert.equal(changed, direction === 'forward' ? at(15).toString() : (at(80) + 1n).toString());
    });
  }

  it('stops at the limit and says the result is truncated', async () => {
    server.on('/loki/api/v1/query_range', lokiQueryRange(STORED));
    const result = await client({ pageSize: 4 }).queryRange('{app="api"}', range, { limit: 6 });
    assert.deepEqual(
      result.entries.map((entry) => entry.line),
      expectedLines(false).slice(0, 6)
    );
    assert.equal(result.truncated, true);
    assert.equal(result.entries[0]?.t, 1_700_000_000_095);
    assert.deepEqual(result.entries[0]?.labels, { app: 'web' });
  });

  it('calls a result truncated only when more lines may exist', async () => {
    server.on('/loki/api/v1/query_range', lokiQueryRange(STORED.slice(0, 3)));
    const result = await client().queryRange('{app="api"}', range, { limit: 3 });
    assert.equal(result.entries.length, 3);
    assert.equal(result.truncated, true, 'a full page at the limit may hide more lines');
    const fewer = await client().queryRange('{app="api"}', range, { limit: 4 });
    assert.equal(fewer.truncated, false);
    const requests = server.requests.length;
    assert.deepEqual(await client().queryRange('{app="api"}', { from: range.to, to: range.to }, { limit: 4 }), {
      entries: [],
      truncated: false,
      warnings: [],
    });
    assert.equal(server.requests.length, requests, 'an empty range asks nothing');
  });

  it('stops with a warning when a whole page shares one timestamp', async () => {
    const same = Array.from({ length: 5 }, (_, i) => ({ ns: at(50), stream: { app: 'api' }, line: `same ${i}` }));
    server.on('/loki/api/v1/query_range', lokiQueryRange(same));
    const result = await client({ pageSize: 2 }).queryRange('{app="api"}', range, { limit: 100 });
    assert.equal(result.entries.length, 2);
    assert.equal(result.truncated, true);
    assert.match(result.warnings?.join() ?? '', /more than 2 lines share one timestamp/);
  });

  it('keeps Loki warnings', async () => {
    server.on('/loki/api/v1/query_range', {
      body: {
        status: 'success',
        warnings: ['query was split: partial results'],
        data: { resultType: 'streams', result: [{ stream: { a: 'b' }, values: [[at(1).toString(), 'x']] }] },
      },
    });
    const result = await client().queryRange('{a="b"}', range, { limit: 10 });
    assert.deepEqual(result.warnings, ['query was split: partial results']);
    assert.equal(result.entries.length, 1);
  });

  it('reports a LogQL parse error as bad_query, quoting Loki', async () => {
    server.on('/loki/api/v1/query_range', {
      status: 400,
      body: 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER',
    });
    await assert.rejects(client().queryRange('app=api', range, { limit: 10 }), (error: unknown) => {
      assert.ok(
        error instanceof UpstreamError &&
          error.kind === 'bad_query' &&
          error.status === 400 &&
          error.upstream === 'loki'
      );
      assert.match(
        error.message,
        /^Loki \(http:\/\/127\.0\.0\.1:\d+\) answered HTTP 400: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER$/
      );
      return true;
    });
  });

  it('reports a metric query as bad_query', async () => {
    server.on('/loki/api/v1/query_range', { body: { status: 'success', data: { resultType: 'matrix', result: [] } } });
    await assert.rejects(
      client().queryRange('rate({a="b"}[1m])', range, { limit: 10 }),
      (error: unknown) =>
        error instanceof UpstreamError && error.kind === 'bad_query' && /metric query/.test(error.message)
    );
  });

  it('asks for fewer lines when a page is over the byte cap', async () => {
    const huge = Array.from({ length: 8 }, (_, i) => ({
      ns: at(i),
      stream: { app: 'api' },
      line: `${i}`.repeat(20_000),
    }));
    server.on('/loki/api/v1/query_range', lokiQueryRange(huge));
    const loki = new LokiClient({ baseUrl: server.url, maxBytes: 50_000, pageSize: 8 });
    const result = await loki.queryRange('{app="api"}', range, { limit: 100 });
    assert.equal(result.entries.length, 8);
    assert.equal(result.truncated, false);
    assert.equal(server.requests[0]?.query.get('limit'), '8');
    assert.equal(server.requests[1]?.query.get('limit'), '2');
  });

  it('decodes invalid UTF-8 with replacement characters and caps long lines', async () => {
    const prefix = Buffer.from(
      `{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"b"},"values":[["${at(1)}","bad \xff\xfe bytes"],["${at(2)}","`,
      'latin1'
    );
    const body = Buffer.concat([prefix, Buffer.from('é'.repeat(100_000)), Buffer.from('"]]}]}}')]);
    server.on('/loki/api/v1/query_range', { body });
    const result = await client().queryRange('{a="b"}', range, { limit: 10 });
    const lines = result.entries.map((entry) => entry.line);
    assert.equal(lines[1], 'bad \uFFFD\uFFFD bytes');
    assert.ok(lines[0]?.startsWith('éé'));
    assert.match(lines[0] ?? '', /… \[line truncated: 200000 bytes, kept 65536\]$/);
    assert.ok(Buffer.byteLength(lines[0] ?? '') < 65_536 + 100);
  });

  it('finds which service label Loki has', async () => {
    server.on('/loki/api/v1/labels', { body: { status: 'success', data: ['app', 'job', 'level'] } });
    assert.equal(await client().serviceLabel(range), 'app');
    assert.equal(await client().serviceLabel(range, ['team', 'job']), 'job');
    assert.equal(await client().serviceLabel(range, ['team']), undefined);
    assert.equal(server.requests[0]?.query.get('start'), T0.toString());
  });
});

describe('parseStreamsResponse', () => {
  it('reads structured metadata in both encodings into the labels', () => {
    const plain = parseStreamsResponse({
      status: 'success',
      data: {
        resultType: 'streams',
        result: [
          {
            stream: { job: 'x' },
            values: [
              ['1000000001', 'l1', { trace_id: 'abc' }],
              ['2000000000', 'l2'],
            ],
          },
        ],
      },
    });
    assert.deepEqual(
      plain.entries.map(({ t, line, labels }) => ({ t, line, labels })),
      [
        { t: 2000, line: 'l2', labels: { job: 'x' } },
        { t: 1000, line: 'l1', labels: { job: 'x', trace_id: 'abc' } },
      ]
    );
    const categorized = parseStreamsResponse(
      {
        status: 'success',
        data: {
          resultType: 'streams',
          encodingFlags: ['categorize-labels'],
          result: [
            {
              stream: { job: 'x' },
              values: [['3', 'l', { structuredMetadata: { pod: 'p1' }, parsed: { level: 'error' } }]],
            },
          ],
        },
      },
      { direction: 'forward' }
    );
    assert.deepEqual(categorized.entries[0]?.labels, { job: 'x', pod: 'p1', level: 'error' });
    assert.equal(categorized.entries[0]?.ns, 3n);
    assert.throws(
      () => parseStreamsResponse({ data: { resultType: 'streams', result: [{ stream: {}, values: [[12, 'x']] }] } }),
      /not \["<nanoseconds>", "<line>"\]/
    );
  });

  it('caps lines on a character boundary', () => {
    assert.equal(capLine('short', 10), 'short');
    assert.equal(capLine('ab€cd', 4), 'ab… [line truncated: 7 bytes, kept 4]');
  });
});

describe('streamSelector', () => {
  it('matches one service exactly and several by an escaped regex', () => {
    assert.equal(streamSelector(['checkout']), '{service_name="checkout"}');
    assert.equal(streamSelector(['b', 'a', 'b'], ['app']), '{app=~"a|b"}');
    assert.equal(streamSelector(['api.v1', 'x+y'], ['service']), '{service=~"api\\\\.v1|x\\\\+y"}');
    assert.equal(streamSelector(['say "hi"\\']), '{service_name="say \\"hi\\"\\\\"}');
  });

  it('refuses no services and bad label names', () => {
    assert.throws(() => streamSelector([]), /at least one service/);
    assert.throws(() => streamSelector(['a'], ['service.name']), /not a Loki label name/);
    assert.throws(() => streamSelector(['a'], []), /not a Loki label name/);
  });

  it('escapes regex metacharacters and string quotes', () => {
    assert.equal(escapeRegex('a.b*c(d)|e[f]{g}^h$\\'), 'a\\.b\\*c\\(d\\)\\|e\\[f\\]\\{g\\}\\^h\\$\\\\');
    assert.equal(logqlString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  });
});
