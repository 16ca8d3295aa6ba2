import { type DataQueryRequest, dateTime, type ScopedVars } from '@grafana/data';
import { engineProxyUrl, IntelOpsDataSource, type VariableInterpolator } from './datasource';
import { fakeEngineDatasource } from './testing/engineDatasource';
import { ENGINE_STATUS, fakeEngineFetch, type FakeReply } from './testing/fakeEngineFetch';
import { incidentListJson } from './testing/incidentFixtures';
import { intelOpsSettings } from './testing/instanceSettings';
import type { IntelOpsQuery } from './types';

function request(
  targets: IntelOpsQuery[],
  range = { from: dateTime(), to: dateTime() },
  scopedVars: ScopedVars = {}
): DataQueryRequest<IntelOpsQuery> {
  return {
    requestId: 'r1',
    interval: '1m',
    intervalMs: 60_000,
    range: { ...range, raw: { from: 'now-1h', to: 'now' } },
    scopedVars,
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
  };
}

function datasource(reply: FakeReply, url = '/api/datasources/proxy/uid/intelops', engineUrl = 'http://engine:8686') {
  const engine = fakeEngineFetch(() => reply);
  return {
    ds: new IntelOpsDataSource(intelOpsSettings('intelops', 'IntelOps', engineUrl, url), engine.fetch),
    requests: engine.requests,
  };
}

describe('IntelOpsDataSource', () => {
  it('builds the engine URL from instanceSettings.url and the plugin.json route', () => {
    expect(engineProxyUrl(intelOpsSettings('abc', 'IntelOps'))).toBe('/api/datasources/proxy/uid/abc/engine');
  });

  it('sends "Save & test" through the data proxy, never to the engine URL, and without a token', async () => {
    const { ds, requests } = datasource({ status: 200, data: ENGINE_STATUS }, '/api/datasources/proxy/uid/xyz');

    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to IntelOps engine 0.1.0 (store: pglite)',
    });
    expect(requests.map((r) => r.url)).toEqual(['/api/datasources/proxy/uid/xyz/engine/api/v1/status']);
    for (const r of requests) {
      expect(r.url).not.toContain('engine:8686');
      expect(Object.keys(r.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('authorization');
    }
  });

  it('reports a missing engine URL from "Save & test"', async () => {
    const { ds, requests } = datasource({ status: 200, data: ENGINE_STATUS }, '/api/datasources/proxy/uid/x', '');
    const result = await ds.testDatasource();
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/Set the engine URL/);
    expect(requests).toHaveLength(0);
  });

  it('answers a Status query with one frame describing the engine', async () => {
    const { ds } = datasource({ status: 200, data: ENGINE_STATUS });
    const response = await ds.query(request([{ refId: 'A', queryType: 'status' }]));

    expect(response.errors).toBeUndefined();
    expect(response.data).toHaveLength(1);
    const [frame] = response.data;
    expect(frame.refId).toBe('A');
    const values = Object.fromEntries(
      frame.fields.map((f: { name: string; values: unknown[] }) => [f.name, f.values[0]])
    );
    expect(values).toEqual({
      version: '0.1.0',
      apiVersion: 1,
      store: 'pglite',
      startedAt: Date.parse('2026-11-23T21:00:00.000Z'),
      uptime: 42,
    });
  });

  it('uses the Status query when a query has no type, and skips hidden queries', async () => {
    const { ds, requests } = datasource({ status: 200, data: ENGINE_STATUS });
    const response = await ds.query(request([{ refId: 'A' }, { refId: 'B', hide: true }]));
    expect(response.data.map((f: { refId?: string }) => f.refId)).toEqual(['A']);
    expect(requests).toHaveLength(1);
  });

  it('returns a query error in words when the engine fails, per query', async () => {
    const { ds } = datasource({ status: 400, data: 'Authentication to data source failed' });
    const response = await ds.query(request([{ refId: 'A', queryType: 'status' }]));
    expect(response.data).toEqual([]);
    expect(response.errors).toEqual([
      { refId: 'A', message: 'The engine rejected the token: set the engine token in the datasource settings.' },
    ]);
  });

  it('names an unknown query type (for example from a newer dashboard) instead of failing silently', async () => {
    const { ds, requests } = datasource({ status: 200, data: ENGINE_STATUS });
    const query = JSON.parse('{"refId":"A","queryType":"forecast"}');
    const response = await ds.query(request([query]));
    expect(response.errors).toEqual([
      { refId: 'A', message: 'Unknown IntelOps query type "forecast": pick one in the query editor.' },
    ]);
    expect(requests).toHaveLength(0);
  });

  describe('Incidents query', () => {
    // Dashboard variables as Grafana's TemplateSrv formats them: csv joins a multi-value variable with commas.
    const dashboardVariables: Record<string, string[]> = { service: ['checkout', 'payments'], sev: ['critical'] };
    const templateSrv: VariableInterpolator = {
      replace: (target = '', scopedVars?: ScopedVars, format?: string | Function) =>
        target.replace(/\$(\w+)/g, (whole, name: string) => {
          const scoped: unknown = scopedVars?.[name]?.value;
          const values = typeof scoped === 'string' ? [scoped] : dashboardVariables[name];
          if (!values) {
            return whole;
          }
          return format === 'csv' ? values.join(',') : `{${values.join(',')}}`;
        }),
    };
    const NOW = Date.parse('2026-11-23T22:00:00Z');
    const range = { from: dateTime(NOW - 6 * 3_600_000), to: dateTime(NOW) };

    const incidentsDatasource = (reply: FakeReply = { status: 200, data: incidentListJson(NOW) }) =>
      fakeEngineDatasource(() => reply, templateSrv);

    it('reads the incidents active in the dashboard time range with the filters, variables replaced', async () => {
      const { ds, requests } = incidentsDatasource();
      const query: IntelOpsQuery = {
        refId: 'A',
        queryType: 'incidents',
        status: ['open'],
        severity: ['$sev', 'high'],
        service: '$service, cart',
      };
      const response = await ds.query(request([query], range));

      expect(response.errors).toBeUndefined();
      expect(requests.map((r) => [r.url, r.params])).toEqual([
        [
          '/api/datasources/proxy/uid/intelops/engine/api/v1/incidents',
          {
            from: NOW - 6 * 3_600_000,
            to: NOW,
            status: 'open',
            severity: 'critical,high',
            service: 'checkout,payments,cart',
          },
        ],
      ]);
      const [frame] = response.data;
      expect(frame.refId).toBe('A');
      expect(frame.name).toBe('Incidents');
      expect(frame.length).toBe(5);
      expect(frame.fields.find((f: { name: string }) => f.name === 'title')?.values[0]).toBe(
        'HighLatency checkout p99 above 2 s'
      );
    });

    it('uses the panel-scoped value of a repeated panel', async () => {
      const { ds, requests } = incidentsDatasource();
      await ds.query(
        request([{ refId: 'A', queryType: 'incidents', service: '$service' }], range, {
          service: { text: 'orders', value: 'orders' },
        })
      );
      expect(requests[0].params).toMatchObject({ service: 'orders' });
    });

    it('interpolates variables for Explore and the query inspector', () => {
      const { ds } = incidentsDatasource();
      expect(
        ds.interpolateVariablesInQueries([{ refId: 'A', queryType: 'incidents', service: '$service' }], {})
      ).toEqual([{ refId: 'A', queryType: 'incidents', service: 'checkout,payments' }]);
    });

    it('says in words when the engine fails the incidents query', async () => {
      const { ds } = incidentsDatasource({ status: 502, data: '' });
      const response = await ds.query(request([{ refId: 'A', queryType: 'incidents' }], range));
      expect(response.errors).toEqual([
        {
          refId: 'A',
          message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
        },
      ]);
    });
  });
});
