import { EngineClient } from './engineClient';
import { checkEngineConnection, parseEngineStatus } from './engineStatus';
import { ENGINE_STATUS, fakeEngineFetch, type FakeReply } from './testing/fakeEngineFetch';

const ENGINE_URL = 'http://engine:8686';

function check(reply: FakeReply, engineUrl: string | undefined = ENGINE_URL) {
  const engine = fakeEngineFetch(() => reply);
  return checkEngineConnection(new EngineClient('/api/datasources/proxy/uid/x/engine', engine.fetch), engineUrl);
}

describe('parseEngineStatus', () => {
  it('accepts the engine status body', () => {
    expect(parseEngineStatus(ENGINE_STATUS)).toEqual(ENGINE_STATUS);
  });

  it.each([['<html>login</html>'], [null], [{ version: '1.0' }], [{ apiVersion: 1 }]])(
    'rejects %p as not an engine status',
    (body) => {
      expect(() => parseEngineStatus(body)).toThrow(/invalid-response/);
    }
  );
});

describe('checkEngineConnection (Save & test)', () => {
  it('reports the engine version and store on success', async () => {
    await expect(check({ status: 200, data: ENGINE_STATUS })).resolves.toEqual({
      status: 'success',
      message: 'Connected to IntelOps engine 0.1.0 (store: pglite)',
    });
  });

  it('asks for the engine URL when none is set, without calling the engine', async () => {
    const engine = fakeEngineFetch(() => ({ status: 200, data: ENGINE_STATUS }));
    const result = await checkEngineConnection(new EngineClient('/proxy', engine.fetch), '  ');

    expect(result.status).toBe('error');
    expect(result.message).toMatch(/Set the engine URL \(for example http:\/\/localhost:8686\)/);
    expect(engine.requests).toHaveLength(0);
  });

  it.each<[string, FakeReply]>([
    ['Grafana proxy 502', { status: 502, data: { message: 'Bad Gateway' } }],
    ['Grafana proxy 504', { status: 504, data: '' }],
    ['no answer at all', { networkError: 'Failed to fetch' }],
  ])('says the engine is unreachable on %s', async (_name, reply) => {
    const result = await check(reply);
    expect(result).toEqual({
      status: 'error',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
    });
  });

  it.each<[string, FakeReply]>([
    ["Grafana's 400 for an upstream 401", { status: 400, data: 'Authentication to data source failed' }],
    ['a 401', { status: 401, data: { message: 'missing bearer token' } }],
    ['a 403', { status: 403, data: { message: 'forbidden' } }],
  ])('says the token was rejected on %s', async (_name, reply) => {
    const result = await check(reply);
    expect(result).toEqual({
      status: 'error',
      message: 'The engine rejected the token: set the engine token in the datasource settings.',
    });
  });

  it('says a 404 means something other than an IntelOps engine answers at that URL', async () => {
    const result = await check({ status: 404, data: '404 page not found' });
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'The server at http://engine:8686 answered 404 for /api/v1/status: it is not an IntelOps engine, check the URL.'
    );
  });

  it('says a 200 with a foreign body is not an IntelOps engine', async () => {
    const result = await check({ status: 200, data: '<!doctype html><title>Grafana</title>' });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(
      /^The server at http:\/\/engine:8686 answered \/api\/v1\/status, but not as an IntelOps engine does/
    );
  });

  it('names both API versions when they differ', async () => {
    const result = await check({ status: 200, data: { ...ENGINE_STATUS, apiVersion: 2 } });
    expect(result).toEqual({
      status: 'error',
      message:
        'The engine at http://engine:8686 reports apiVersion 2, this plugin needs 1: run an engine and plugin of matching versions.',
    });
  });

  it('reports any other status with the engine message', async () => {
    const result = await check({ status: 500, data: { message: 'database is locked' } });
    expect(result).toEqual({
      status: 'error',
      message: "The engine at http://engine:8686 answered 500 (database is locked): check the engine's logs.",
    });
  });
});
