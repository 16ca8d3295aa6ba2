import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { UpstreamError, UpstreamHttp, parseRetryAfter, parseUpstreamAuth, upstreamSays } from './http.ts';
import type { UpstreamHttpOptions } from './http.ts';

describe('UpstreamHttp', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  const client = (options: Partial<UpstreamHttpOptions> = {}) =>
    new UpstreamHttp({ upstream: 'loki', baseUrl: `${server.url}/base/`, backoffMs: 5, ...options });
  const isUpstreamError = (kind: string, status: number | undefined, message: RegExp) => (error: unknown) => {
    assert.ok(error instanceof UpstreamError, String(error));
    assert.equal(error.kind, kind);
    assert.equal(error.status, status);
    assert.match(error.message, message);
    return true;
  };

  it('sends bearer auth, the tenant header and query parameters under the base path', async () => {
    server.on('/base/api', { body: { ok: true } });
    const body = await client({ auth: { kind: 'bearer', token: 'tok-123456' }, tenant: 'team-a' }).json({
      path: '/api',
      query: { q: '{a="b"}', skip: undefined },
    });
    assert.deepEqual(body, { ok: true });
    const [request] = server.requests;
    assert.equal(request?.headers.authorization, 'Bearer tok-123456');
    assert.equal(request?.headers['x-scope-orgid'], 'team-a');
    assert.equal(request?.query.get('q'), '{a="b"}');
    assert.equal(request?.query.has('skip'), false);
  });

  it('turns credentials in the URL into basic auth and keeps them out of messages', async () => {
    server.on('/base/api', { status: 401, body: 'no access for dXNlcjpodW50ZXIy (user:hunter2)' });
    const http = new UpstreamHttp({
      upstream: 'tempo',
      baseUrl: server.url.replace('http://', 'http://user:hunter2@') + '/base',
    });
    await assert.rejects(http.json({ path: '/api' }), (error: unknown) => {
      assert.ok(error instanceof UpstreamError && error.kind === 'auth' && error.status === 401);
      assert.match(
        error.message,
        /^Tempo \(http:\/\/127\.0\.0\.1:\d+\/base\) answered HTTP 401: no access for \*\*\* \(user:\*\*\*\)$/
      );
      assert.ok(!error.message.includes('hunter2'));
      return true;
    });
    assert.equal(server.requests[0]?.headers.authorization, `Basic ${Buffer.from('user:hunter2').toString('base64')}`);
  });

  it('posts forms', async () => {
    server.on('/base/q', { body: {} });
    await client().json({ path: '/q', form: { query: 'up{a="1"}', step: 15 } });
    const [request] = server.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request?.params.get('query'), 'up{a="1"}');
    assert.equal(request?.params.get('step'), '15');
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    server.on('/base/api', [{ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }, { body: { ok: 1 } }]);
    const started = Date.now();
    assert.deepEqual(await client().json({ path: '/api' }), { ok: 1 });
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(server.requests.length, 2);
  });

  it('gives up at once when Retry-After is longer than it will wait', async () => {
    server.on('/base/api', { status: 429, headers: { 'retry-after': '120' }, body: 'too many outstanding requests' });
    await assert.rejects(
      client().json({ path: '/api' }),
      isUpstreamError('unavailable', 429, /answered HTTP 429: too many outstanding requests/)
    );
    assert.equal(server.requests.length, 1);
  });

  it('retries 5xx with backoff and reports the last answer', async () => {
    server.on('/base/api', { status: 500, body: 'rpc error: code = Unavailable desc = no healthy ingesters\n' });
    await assert.rejects(
      client({ retries: 2 }).json({ path: '/api' }),
      isUpstreamError(
        'unavailable',
        500,
        /^Loki .* answered HTTP 500: rpc error: code = Unavailable desc = no healthy ingesters$/
      )
    );
    assert.equal(server.requests.length, 3);
  });

  it('never retries a 4xx', async () => {
    server.on('/base/api', { status: 400, body: 'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER' });
    await assert.rejects(
      client().json({ path: '/api' }),
      isUpstreamError('bad_query', 400, /answered HTTP 400: parse error at line 1, col 1/)
    );
    server.on('/base/api', { status: 404, body: '404 page not found' });
    await assert.rejects(client().json({ path: '/api' }), isUpstreamError('unavailable', 404, /404 page not found/));
    assert.equal(server.requests.length, 2);
  });

  it('retries dropped connections, then reports the upstream unavailable', async () => {
    server.on('/base/api', { drop: true });
    await assert.rejects(
      client({ retries: 1 }).json({ path: '/api' }),
      isUpstreamError('unavailable', undefined, /could not be reached: .*(other side closed|socket)/i)
    );
    assert.equal(server.requests.length, 2);
  });

  it('times out a slow answer without retrying it', async () => {
    server.on('/base/api', { delayMs: 3000, body: {} });
    const started = Date.now();
    await assert.rejects(
      client({ timeoutMs: 150 }).json({ path: '/api' }),
      isUpstreamError('timeout', undefined, /did not answer within 0\.15 s/)
    );
    assert.ok(Date.now() - started < 2000);
    assert.equal(server.requests.length, 1);
  });

  it('stops reading a body over the byte cap, declared or streamed', async () => {
    const big = { data: 'x'.repeat(100_000) };
    server.on('/base/declared', { body: big });
    server.on('/base/streamed', { body: big, chunked: true });
    for (const path of ['/declared', '/streamed']) {
      await assert.rejects(
        client({ maxBytes: 10_000 }).json({ path }),
        isUpstreamError('too_large', 200, /answered with more than 10 KiB; narrow the query/)
      );
    }
    assert.deepEqual(await client({ maxBytes: 200_000 }).json({ path: '/streamed' }), big);
  });

  it("passes the caller's abort through untouched", async () => {
    server.on('/base/api', { delayMs: 3000, body: {} });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      client().json({ path: '/api', signal: controller.signal }),
      (error: unknown) => error instanceof DOMException && error.name === 'AbortError'
    );
  });

  it('reports a body that is not JSON', async () => {
    server.on('/base/api', { body: '<html>proxy login</html>' });
    await assert.rejects(
      client().json({ path: '/api' }),
      isUpstreamError('bad_response', 200, /not JSON: <html>proxy login<\/html>/)
    );
  });

  it('quotes Prometheus errors by errorType and maps their status', async () => {
    server.on('/base/api', {
      status: 503,
      body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
    });
    const http = new UpstreamHttp({ upstream: 'prometheus', baseUrl: server.url + '/base' });
    await assert.rejects(
      http.json({ path: '/api' }),
      isUpstreamError(
        'timeout',
        503,
        /^Prometheus .* answered HTTP 503 \(timeout\): query timed out in expression evaluation$/
      )
    );
    assert.equal(server.requests.length, 1, 'an upstream timeout is not retried');
  });
});

describe('http helpers', () => {
  it('parses auth settings', () => {
    assert.deepEqual(parseUpstreamAuth('Bearer abc.def'), { kind: 'bearer', token: 'abc.def' });
    assert.deepEqual(parseUpstreamAuth('me:p:w'), { kind: 'basic', username: 'me', password: 'p:w' });
    assert.equal(parseUpstreamAuth('justtext'), undefined);
    assert.equal(parseUpstreamAuth(':nouser'), undefined);
  });

  it('parses Retry-After as seconds or a date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });

  it('reads what the upstream said from JSON or text', () => {
    assert.deepEqual(upstreamSays('{"status":"error","errorType":"bad_data","error":"boom"}'), {
      message: 'boom',
      errorType: 'bad_data',
    });
    assert.deepEqual(upstreamSays('plain words\n'), { message: 'plain words', errorType: undefined });
    assert.deepEqual(upstreamSays(''), { message: '(empty body)', errorType: undefined });
  });
});
