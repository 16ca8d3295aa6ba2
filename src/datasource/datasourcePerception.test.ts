import { dateTime, type ScopedVars } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import type { VariableInterpolator } from './datasource';
import { fakeEngineDatasource, queryRequest } from './testing/engineDatasource';
import type { FakeReply } from './testing/fakeEngineFetch';
import { anomaliesJson, logTemplatesJson } from './testing/perceptionFixtures';
import type { IntelOpsOptions, IntelOpsQuery } from './types';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const range = { from: dateTime(NOW - 3_600_000), to: dateTime(NOW), raw: { from: 'now-1h', to: 'now' } };

// Dashboard variables with TemplateSrv's contract: a format function gets the value and the variable.
const variables: Record<string, { value: string | string[]; multi: boolean }> = {
  service: { value: ['checkout', 'pay.ments'], multi: true },
  env: { value: 'prod "eu"', multi: false },
  step: { value: '1m', multi: false },
};
const templateSrv: VariableInterpolator = {
  replace: (target = '', _scopedVars?: ScopedVars, format?: string | Function) =>
    target.replace(/\$(\w+)/g, (whole, name: string) => {
      const variable = variables[name];
      if (!variable) {
        return whole;
      }
      if (typeof format === 'function') {
        return String(format(variable.value, variable));
      }
      return Array.isArray(variable.value) ? variable.value.join(',') : variable.value;
    }),
};

const request = (targets: IntelOpsQuery[]) => queryRequest(targets, range, NOW);

const datasource = (reply: (request: BackendSrvRequest) => FakeReply, jsonData: Partial<IntelOpsOptions> = {}) =>
  fakeEngineDatasource(reply, templateSrv, jsonData);

describe('Log templates query', () => {
  it('posts the interpolated selector, services and range to the engine and answers a table frame', async () => {
    const { ds, requests } = datasource(() => ({ status: 200, data: logTemplatesJson(NOW) }));
    const response = await ds.query(
      request([
        {
          refId: 'A',
          queryType: 'logTemplates',
          selector: '{service_name=~"$service", env="$env"}',
          service: '$service',
          baseline: '1h',
        },
      ])
    );

    expect(response.errors).toBeUndefined();
    expect(requests.map((r) => [r.method, r.url, r.data])).toEqual([
      [
        'POST',
        '/api/datasources/proxy/uid/intelops/engine/api/v1/query/log-templates',
        {
          selector: '{service_name=~"checkout|pay\\\\.ments", env="prod \\"eu\\""}',
          services: ['checkout', 'pay.ments'],
          from: '2026-11-23T21:00:00.000Z',
          to: '2026-11-23T22:00:00.000Z',
          baselineFrom: '2026-11-23T20:00:00.000Z',
        },
      ],
    ]);
    const [frame] = response.data;
    expect(frame.name).toBe('Log templates');
    expect(frame.length).toBe(4);
    // The default Loki uid is the provisioned one.
    expect(frame.fields[0].config.links[0].internal.datasourceUid).toBe('loki');
  });

  it('links to the Loki datasource set in the IntelOps datasource settings', async () => {
    const { ds } = datasource(() => ({ status: 200, data: logTemplatesJson(NOW) }), { lokiDatasourceUid: 'loki-eu' });
    const response = await ds.query(request([{ refId: 'A', queryType: 'logTemplates', selector: '{app="x"}' }]));
    expect(response.data[0].fields[0].config.links[0].internal.datasourceUid).toBe('loki-eu');
  });

  it('asks for a selector instead of sending an empty query', async () => {
    const { ds, requests } = datasource(() => ({ status: 200, data: logTemplatesJson(NOW) }));
    const response = await ds.query(request([{ refId: 'A', queryType: 'logTemplates', selector: '  ' }]));
    expect(requests).toHaveLength(0);
    expect(response.errors?.[0]?.message).toMatch(/^Enter a LogQL stream selector/);
  });

  it("shows the engine's 400 message for bad LogQL as the query error", async () => {
    const { ds } = datasource(() => ({
      status: 400,
      data: {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Loki rejected the selector: parse error at line 1, col 6: syntax error: unexpected IDENTIFIER',
      },
    }));
    const response = await ds.query(request([{ refId: 'A', queryType: 'logTemplates', selector: '{app=x}' }]));
    expect(response.errors).toEqual([
      {
        refId: 'A',
        message:
          'The engine refused the request: Loki rejected the selector: parse error at line 1, col 6: syntax error: unexpected IDENTIFIER',
      },
    ]);
  });

  it('says which upstream failed when the engine answers 502 itself', async () => {
    const { ds } = datasource(() => ({
      status: 502,
      data: {
        statusCode: 502,
        error: 'Bad Gateway',
        message: 'Loki at http://loki:3100 answered 503: too many outstanding requests',
      },
    }));
    const response = await ds.query(request([{ refId: 'A', queryType: 'logTemplates', selector: '{app="x"}' }]));
    expect(response.errors?.[0]?.message).toBe(
      'The engine at http://engine:8686 could not get an answer from its source: Loki at http://loki:3100 answered 503: too many outstanding requests'
    );
  });
});

describe('Anomalies query', () => {
  it('posts the interpolated PromQL with its step and baseline and answers one frame per series', async () => {
    const { ds, requests } = datasource(() => ({ status: 200, data: anomaliesJson(NOW) }));
    const response = await ds.query(
      request([
        {
          refId: 'B',
          queryType: 'anomalies',
          expr: 'sum by (service) (rate(http_requests_total{service=~"$service"}[5m]))',
          step: '$step',
          baseline: '1d',
        },
      ])
    );

    expect(response.errors).toBeUndefined();
    expect(requests[0]?.data).toEqual({
      query: 'sum by (service) (rate(http_requests_total{service=~"checkout|pay\\\\.ments"}[5m]))',
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
      step: 60,
      baselineFrom: '2026-11-22T21:00:00.000Z',
    });
    expect(response.data.map((f: { name?: string; refId?: string }) => [f.name, f.refId])).toEqual([
      ['checkout p99 latency', 'B'],
      ['cart request rate', 'B'],
    ]);
    expect(response.data[0].meta.notices[0].text).toBe('checkout p99 latency: anomalous since 21:18 (score 0.86, up)');
  });

  it('asks for PromQL and a readable step before sending anything', async () => {
    const { ds, requests } = datasource(() => ({ status: 200, data: anomaliesJson(NOW) }));
    const response = await ds.query(
      request([
        { refId: 'A', queryType: 'anomalies' },
        { refId: 'B', queryType: 'anomalies', expr: 'up', step: 'often' },
      ])
    );
    expect(requests).toHaveLength(0);
    expect(response.errors).toEqual([
      { refId: 'A', message: expect.stringMatching(/^Enter a PromQL query/) },
      { refId: 'B', message: '"often" is not a duration: write one such as 30s or 1m.' },
    ]);
  });

  it('reports an answer that is not the engine contract', async () => {
    const { ds } = datasource(() => ({ status: 200, data: { resultType: 'matrix', result: [] } }));
    const response = await ds.query(request([{ refId: 'A', queryType: 'anomalies', expr: 'up' }]));
    expect(response.errors?.[0]?.message).toBe(
      'The server at http://engine:8686 answered /api/v1/query/anomalies, but not as an IntelOps engine does (the body has no series list): check the URL.'
    );
  });
});
