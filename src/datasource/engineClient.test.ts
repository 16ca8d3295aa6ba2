import { classifyFailure, EngineClient, EngineRequestError, isEngineErrorBody, messageFromBody } from './engineClient';
import { fakeEngineFetch } from './testing/fakeEngineFetch';

const PROXY = '/api/datasources/proxy/uid/intelops/engine';

describe('classifyFailure', () => {
  it.each([
    [undefined, undefined, 'unreachable'],
    [0, undefined, 'unreachable'],
    [502, 'Bad Gateway', 'unreachable'],
    [503, undefined, 'unreachable'],
    [504, 'Gateway Timeout', 'unreachable'],
    [401, 'missing or wrong token', 'unauthorized'],
    [403, undefined, 'unauthorized'],
    [400, 'Authentication to data source failed', 'unauthorized'],
    [400, 'body/name must be string', 'http'],
    [404, 'Not Found', 'not-found'],
    [500, 'boom', 'http'],
  ])('status %p with %p is %p', (status, detail, kind) => {
    expect(classifyFailure(status, detail)).toBe(kind);
  });

  it.each([
    [400, 'parse error at char 5', 'rejected'],
    [502, 'Prometheus at http://prometheus:9090 answered 503', 'upstream'],
    [504, 'Loki timed out after 30 s', 'upstream'],
    [401, 'missing bearer token', 'unauthorized'],
    [404, 'Route not found', 'not-found'],
  ])('status %p answered by the engine itself (%p) is %p', (status, detail, kind) => {
    expect(classifyFailure(status, detail, true)).toBe(kind);
  });
});

describe('isEngineErrorBody', () => {
  it("tells the engine's error JSON from Grafana's proxy errors", () => {
    expect(isEngineErrorBody({ statusCode: 502, error: 'Bad Gateway', message: 'Loki answered 503' })).toBe(true);
    expect(isEngineErrorBody({ message: 'Bad Gateway' })).toBe(false);
    expect(isEngineErrorBody({ message: 'x', messageId: 'proxy.failed', statusCode: 502 })).toBe(false);
    expect(isEngineErrorBody('Bad Gateway')).toBe(false);
  });
});

describe('messageFromBody', () => {
  it('reads engine JSON errors and Grafana plain-text errors', () => {
    expect(messageFromBody({ statusCode: 401, error: 'Unauthorized', message: 'missing bearer token' })).toBe(
      'missing bearer token'
    );
    expect(messageFromBody({ error: 'Unauthorized' })).toBe('Unauthorized');
    expect(messageFromBody('Authentication to data source failed\n')).toBe('Authentication to data source failed');
    expect(messageFromBody('')).toBeUndefined();
    expect(messageFromBody(null)).toBeUndefined();
    expect(messageFromBody({ message: 42 })).toBeUndefined();
  });
});

describe('EngineClient', () => {
  it('sends GET requests to the proxy route without any Authorization header and without Grafana alerts', async () => {
    const engine = fakeEngineFetch(() => ({ status: 200, data: { ok: true } }));
    const client = new EngineClient(`${PROXY}/`, engine.fetch);

    await expect(client.get('/api/v1/status', { limit: 3 })).resolves.toEqual({ ok: true });

    expect(engine.requests).toHaveLength(1);
    const [request] = engine.requests;
    expect(request.url).toBe(`${PROXY}/api/v1/status`);
    expect(request.method).toBe('GET');
    expect(request.params).toEqual({ limit: 3 });
    expect(request.headers).toBeUndefined();
    expect(request.showErrorAlert).toBe(false);
  });

  it('sends POST requests with a JSON body to the proxy route', async () => {
    const engine = fakeEngineFetch(() => ({ status: 200, data: { series: [] } }));
    const client = new EngineClient(PROXY, engine.fetch);

    await expect(client.post('/api/v1/query/anomalies', { query: 'up' })).resolves.toEqual({ series: [] });
    expect(engine.requests.map((r) => [r.method, r.url, r.data, r.showErrorAlert])).toEqual([
      ['POST', `${PROXY}/api/v1/query/anomalies`, { query: 'up' }, false],
    ]);
  });

  it('sends PUT requests with a JSON body to the proxy route', async () => {
    const engine = fakeEngineFetch(() => ({ status: 200, data: { tempo: { url: 'http://tempo:3200' } } }));
    const client = new EngineClient(PROXY, engine.fetch);

    const body = { tempo: { url: 'http://tempo:3200' } };
    await expect(client.put('/api/v1/settings', body)).resolves.toEqual(body);
    expect(engine.requests.map((r) => [r.method, r.url, r.data, r.showErrorAlert])).toEqual([
      ['PUT', `${PROXY}/api/v1/settings`, body, false],
    ]);
  });

  it('sends text as is with its content type, and DELETE requests, to the proxy route', async () => {
    const engine = fakeEngineFetch((request) => ({ status: request.method === 'DELETE' ? 204 : 200, data: {} }));
    const client = new EngineClient(PROXY, engine.fetch);

    await client.putText('/api/v1/workflows/ping', 'name: ping # kept\n', 'application/yaml');
    await client.delete('/api/v1/workflows/ping');
    expect(engine.requests.map((r) => [r.method, r.url, r.data, r.headers])).toEqual([
      ['PUT', `${PROXY}/api/v1/workflows/ping`, 'name: ping # kept\n', { 'Content-Type': 'application/yaml' }],
      ['DELETE', `${PROXY}/api/v1/workflows/ping`, undefined, undefined],
    ]);
  });

  it("classifies the engine's own 502 as an upstream failure with its message", async () => {
    const body = { statusCode: 502, error: 'Bad Gateway', message: 'Tempo at http://tempo:3200 answered 500' };
    const engine = fakeEngineFetch(() => ({ status: 502, data: body }));
    const error = await new EngineClient(PROXY, engine.fetch)
      .post('/api/v1/query/anomalies', {})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'upstream', status: 502, detail: 'Tempo at http://tempo:3200 answered 500' });
  });

  it('turns a failed response into an EngineRequestError with its status, kind and message', async () => {
    const engine = fakeEngineFetch(() => ({ status: 500, data: { message: 'store unavailable' } }));
    const error = await new EngineClient(PROXY, engine.fetch).get('/api/v1/status').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EngineRequestError);
    expect(error).toMatchObject({ kind: 'http', status: 500, detail: 'store unavailable', path: '/api/v1/status' });
  });

  it('reports a network failure as unreachable', async () => {
    const engine = fakeEngineFetch(() => ({ networkError: 'Failed to fetch' }));
    const error = await new EngineClient(PROXY, engine.fetch).get('/api/v1/status').catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'unreachable', status: undefined, detail: 'Failed to fetch' });
  });
});
