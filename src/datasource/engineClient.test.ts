import { classifyFailure, EngineClient, EngineRequestError, messageFromBody } from './engineClient';
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
