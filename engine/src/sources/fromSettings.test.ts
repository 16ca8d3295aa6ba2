import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReplayServer } from '../testing/replayServer.ts';
import type { ReplayServer } from '../testing/replayServer.ts';
import { sourcesFromSettings } from './fromSettings.ts';

describe('sourcesFromSettings', () => {
  let server: ReplayServer;
  before(async () => {
    server = await startReplayServer();
  });
  after(() => server.close());

  it('leaves out every source without a URL', () => {
    assert.deepEqual(sourcesFromSettings({}, {}), { prometheus: undefined, loki: undefined, tempo: undefined });
    assert.deepEqual(sourcesFromSettings({ loki: { tenant: 'a' }, prometheus: {} }, {}), {
      prometheus: undefined,
      loki: undefined,
      tempo: undefined,
    });
  });

  it('builds clients that send their own credentials, and the Loki tenant', async () => {
    const sources = sourcesFromSettings(
      { prometheus: { url: server.url }, loki: { url: server.url, tenant: 'team-7' }, tempo: { url: server.url } },
      {
        prometheusAuth: { kind: 'basic', username: 'p', password: 'prom-pass' },
        lokiAuth: { kind: 'bearer', token: 'loki-tok' },
      }
    );
    server.on('/api/v1/query_range', { body: { status: 'success', data: { resultType: 'matrix', result: [] } } });
    server.on('/loki/api/v1/query_range', { body: { status: 'success', data: { resultType: 'streams', result: [] } } });
    server.on('/api/search', { body: { traces: [] } });
    await sources.prometheus?.queryRange('up', { from: 0, to: 60_000 }, 60);
    await sources.loki?.queryRange('{a="b"}', { from: 0, to: 60_000 }, { limit: 10 });
    await sources.tempo?.search('{}', { from: 0, to: 60_000 }, { limit: 10 });
    const headers = server.requests.map((request) => [
      request.path,
      request.headers.authorization,
      request.headers['x-scope-orgid'],
    ]);
    assert.deepEqual(headers, [
      ['/api/v1/query_range', `Basic ${Buffer.from('p:prom-pass').toString('base64')}`, undefined],
      ['/loki/api/v1/query_range', 'Bearer loki-tok', 'team-7'],
      ['/api/search', undefined, undefined],
    ]);
  });
});
