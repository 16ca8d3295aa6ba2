import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startReplayServer } from '../../testing/replayServer.ts';
import type { ReplayServer } from '../../testing/replayServer.ts';
import { parseEgressAllowlist } from './egressRules.ts';
import { EgressError, GuardedHttpClient } from './guardedHttp.ts';
import type { GuardedHttpOptions, Resolve } from './guardedHttp.ts';

const client = (allow: string, options: Partial<GuardedHttpOptions> = {}) =>
  new GuardedHttpClient({
    rules: parseEgressAllowlist(allow, 'INTELOPS_EGRESS_ALLOW'),
    allowPrivate: false,
    ...options,
  });

const refused = (kind: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof EgressError, String(error));
  assert.equal(error.kind, kind);
  assert.match(error.message, message);
  return true;
};

describe('GuardedHttpClient', () => {
  let server: ReplayServer;
  let port: string;
  before(async () => {
    server = await startReplayServer();
    port = new URL(server.url).port;
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  it('sends to an explicitly allowed loopback address and returns status, headers and body', async () => {
    server.on('/hook', { status: 201, headers: { 'x-answer': 'yes' }, body: { ok: true } });
    const response = await client('127.0.0.1').request({
      method: 'POST',
      url: `${server.url}/hook?x=1`,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'run-1/step-a' },
      body: '{"text":"hello"}',
      timeoutMs: 2000,
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers['x-answer'], 'yes');
    assert.deepEqual(JSON.parse(response.body), { ok: true });
    const [received] = server.requests;
    assert.equal(received?.method, 'POST');
    assert.equal(received?.body, '{"text":"hello"}');
    assert.equal(received?.headers['idempotency-key'], 'run-1/step-a');
    assert.equal(received?.query.get('x'), '1');
  });

  it('refuses loopback by default, naming the rule and how to allow it, and sends nothing', async () => {
    await assert.rejects(
      client('hooks.example.com').request({ method: 'POST', url: `${server.url}/hook`, timeoutMs: 2000 }),
      refused(
        'refused',
        /^egress to http:\/\/127\.0\.0\.1:\d+ refused: the address is not on the egress allowlist; add it \(or a CIDR holding it\) to INTELOPS_EGRESS_ALLOW$/
      )
    );
    // A host name on the allowlist that resolves to loopback (real DNS: /etc/hosts) is refused for its address.
    await assert.rejects(
      client('localhost').request({ method: 'GET', url: `http://localhost:${port}/hook`, timeoutMs: 2000 }),
      refused(
        'refused',
        /^egress to http:\/\/localhost:\d+ \(localhost resolves to (127\.0\.0\.1|::1)\) refused: loopback addresses are not allowed; allow them by adding .* to INTELOPS_EGRESS_ALLOW, or set INTELOPS_EGRESS_ALLOW_PRIVATE=true for lab use$/
      )
    );
    assert.equal(server.requests.length, 0);
  });

  it('refuses an allowed name that DNS points at loopback, link-local or metadata addresses', async () => {
    const answers: Record<string, string> = {
      'loop.example.test': '127.0.0.1',
      'll.example.test': '169.254.7.7',
      'md.example.test': '169.254.169.254',
      'md6.example.test': 'fd00:ec2::254',
    };
    const resolve: Resolve = async (host) => {
      const address = answers[host] ?? '93.184.216.34';
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };
    const http = client('*.example.test', { resolve, allowPrivate: true });
    await assert.rejects(
      http.request({ method: 'GET', url: 'http://md.example.test/latest/meta-data/', timeoutMs: 1000 }),
      refused(
        'refused',
        /\(md\.example\.test resolves to 169\.254\.169\.254\) refused: cloud metadata addresses are not allowed/
      )
    );
    await assert.rejects(
      http.request({ method: 'GET', url: 'http://md6.example.test/', timeoutMs: 1000 }),
      refused('refused', /resolves to fd00:ec2::254\) refused: cloud metadata addresses/)
    );
    const strict = client('*.example.test', { resolve });
    await assert.rejects(
      strict.request({ method: 'GET', url: `http://loop.example.test:${port}/`, timeoutMs: 1000 }),
      refused('refused', /resolves to 127\.0\.0\.1\) refused: loopback addresses are not allowed/)
    );
    await assert.rejects(
      strict.request({ method: 'GET', url: 'http://ll.example.test/', timeoutMs: 1000 }),
      refused('refused', /resolves to 169\.254\.7\.7\) refused: link-local addresses are not allowed/)
    );
    await assert.rejects(
      strict.request({ method: 'GET', url: 'http://169.254.169.254/latest/meta-data/', timeoutMs: 1000 }),
      refused('refused', /^egress to http:\/\/169\.254\.169\.254 refused: the address is not on the egress allowlist/)
    );
    await assert.rejects(
      client('169.254.169.254/32, *.example.test').request({
        method: 'GET',
        url: 'http://[fe80::1]/',
        timeoutMs: 1000,
      }),
      refused('refused', /egress to http:\/\/\[fe80::1\] refused/)
    );
    await assert.rejects(
      strict.request({ method: 'GET', url: 'http://metadata.google.internal/computeMetadata/v1/', timeoutMs: 1000 }),
      refused('refused', /cloud metadata hosts are not allowed/)
    );
    assert.equal(server.requests.length, 0);
  });

  it('connects to the address it checked, resolving once (no DNS rebinding between check and connect)', async () => {
    server.on('/hook', { body: 'ok' });
    let lookups = 0;
    // First answer: loopback (allowed by address); any later one would be the metadata service.
    const resolve: Resolve = async () => {
      lookups += 1;
      return [{ address: lookups === 1 ? '127.0.0.1' : '169.254.169.254', family: 4 }];
    };
    const response = await client('hooks.example.test, 127.0.0.1', { resolve }).request({
      method: 'GET',
      url: `http://hooks.example.test:${port}/hook`,
      timeoutMs: 2000,
    });
    assert.equal(response.body, 'ok');
    assert.equal(lookups, 1);
    assert.equal(server.requests[0]?.headers.host, `hooks.example.test:${port}`);
  });

  it('opens loopback for lab use with allowPrivate', async () => {
    server.on('/hook', { body: 'ok' });
    const response = await client('localhost', { allowPrivate: true }).request({
      method: 'GET',
      url: `http://localhost:${port}/hook`,
      timeoutMs: 2000,
    });
    assert.equal(response.status, 200);
  });

  it('follows redirects within the origin only', async () => {
    server.on('/old', { status: 307, headers: { location: '/new' }, body: '' });
    server.on('/new', { body: 'moved' });
    server.on('/away', { status: 302, headers: { location: `http://localhost:${port}/new` }, body: '' });
    const http = client('127.0.0.1, localhost', { allowPrivate: true });
    const moved = await http.request({ method: 'POST', url: `${server.url}/old`, body: '{}', timeoutMs: 2000 });
    assert.equal(moved.body, 'moved');
    assert.equal(server.requests[1]?.method, 'POST', '307 keeps the method');
    server.requests.length = 0;
    await assert.rejects(
      http.request({ method: 'POST', url: `${server.url}/away`, body: '{}', timeoutMs: 2000 }),
      refused('refused', /redirected to http:\/\/localhost:\d+, and redirects may not leave the host/)
    );
    assert.deepEqual(
      server.requests.map((request) => request.path),
      ['/away']
    );
  });

  it('caps the response size, declared or streamed', async () => {
    server.on('/big', { body: 'x'.repeat(5000) });
    server.on('/stream', { body: 'y'.repeat(50_000), chunked: true });
    const http = client('127.0.0.1', { maxResponseBytes: 1000 });
    await assert.rejects(
      http.request({ method: 'GET', url: `${server.url}/big`, timeoutMs: 2000 }),
      refused('too_large', /the response is over 1000 bytes/)
    );
    await assert.rejects(
      http.request({ method: 'GET', url: `${server.url}/stream`, timeoutMs: 2000 }),
      refused('too_large', /over 1000 bytes/)
    );
  });

  it('times out, and gives the caller its own reason when the caller aborts', async () => {
    server.on('/slow', { body: 'late', delayMs: 2000 });
    const http = client('127.0.0.1');
    const started = Date.now();
    await assert.rejects(
      http.request({ method: 'GET', url: `${server.url}/slow`, timeoutMs: 150 }),
      refused('timeout', /^egress to http:\/\/127\.0\.0\.1:\d+ failed: no answer within 0\.15 s$/)
    );
    assert.ok(Date.now() - started < 1500);
    const controller = new AbortController();
    const reason = new Error('step cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(
      http.request({ method: 'GET', url: `${server.url}/slow`, timeoutMs: 5000, signal: controller.signal }),
      (error) => error === reason
    );
  });

  it('never puts the path or query (where webhook tokens live) in its messages', async () => {
    const closed = await closedPort();
    const secretUrl = `http://127.0.0.1:${closed}/services/T0001/B0002/XyZsecretPath?token=abc123`;
    await assert.rejects(
      client('127.0.0.1').request({ method: 'POST', url: secretUrl, timeoutMs: 2000 }),
      (error: unknown) => {
        assert.ok(error instanceof EgressError && error.kind === 'unreachable', String(error));
        assert.match(error.message, /^egress to http:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/);
        assert.ok(!error.message.includes('XyZsecretPath') && !error.message.includes('abc123'));
        return true;
      }
    );
    await assert.rejects(
      client('hooks.slack.com').request({
        method: 'POST',
        url: 'https://evil.example.com/XyZsecretPath',
        timeoutMs: 1000,
      }),
      (error: unknown) => {
        assert.ok(error instanceof EgressError && !error.message.includes('XyZsecretPath'));
        return true;
      }
    );
  });

  it('refuses schemes other than http and https', async () => {
    await assert.rejects(
      client('127.0.0.1').request({ method: 'GET', url: 'file:///etc/passwd', timeoutMs: 1000 }),
      refused('refused', /only http and https URLs are allowed, not file/)
    );
    await assert.rejects(
      client('127.0.0.1').request({ method: 'GET', url: 'not a url', timeoutMs: 1000 }),
      refused('refused', /not a valid absolute URL/)
    );
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}
