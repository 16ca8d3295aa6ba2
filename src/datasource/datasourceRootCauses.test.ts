import { dateTime, type ScopedVars } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';
import type { VariableInterpolator } from './datasource';
import { fakeEngineDatasource, queryRequest } from './testing/engineDatasource';
import type { FakeReply } from './testing/fakeEngineFetch';
import { incidentListJson } from './testing/incidentFixtures';
import { checkoutEvidenceJson } from './testing/perceptionFixtures';
import { checkoutRcaJson, ordersRcaJson } from './testing/reasoningFixtures';
import type { IntelOpsQuery } from './types';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const range = { from: dateTime(NOW - 6 * 3_600_000), to: dateTime(NOW), raw: { from: 'now-6h', to: 'now' } };
const templateSrv: VariableInterpolator = {
  replace: (target = '', _scopedVars?: ScopedVars) =>
    target.replace('$service', 'checkout').replace('$incident', 'inc-7f3a9c'),
};

const request = (targets: IntelOpsQuery[]) => queryRequest(targets, range, NOW);

// The engine as its routes answer: the checkout incident analysed, the orders one not yet, others unknown.
function engine(request: BackendSrvRequest): FakeReply {
  const path = request.url.replace('/api/datasources/proxy/uid/intelops/engine', '');
  if (path === '/api/v1/incidents') {
    return { status: 200, data: { incidents: [incidentListJson(NOW).incidents[0]], truncated: true } };
  }
  switch (path) {
    case '/api/v1/incidents/inc-7f3a9c/rca':
      return { status: 200, data: checkoutRcaJson(NOW) };
    case '/api/v1/incidents/inc-7f3a9c/evidence':
      return { status: 200, data: checkoutEvidenceJson(NOW) };
    case '/api/v1/incidents/inc-2b81d0/rca':
      return {
        status: 404,
        data: {
          statusCode: 404,
          error: 'Not Found',
          message: 'The analysis of incident "inc-2b81d0" has not been run: POST …/analyze',
        },
      };
    case '/api/v1/incidents/inc-0rders/rca':
      return { status: 200, data: ordersRcaJson(NOW, 'inc-0rders') };
    case '/api/v1/incidents/inc-0rders/evidence':
      return { status: 500, data: { statusCode: 500, error: 'Internal Server Error', message: 'store closed' } };
    default:
      return { status: 404, data: { statusCode: 404, error: 'Not Found', message: `No incident with id "${path}"` } };
  }
}

const datasource = () => fakeEngineDatasource(engine, templateSrv, { prometheusDatasourceUid: 'prom-eu' });

describe('Root causes query', () => {
  it('reads the latest incident of the service, its analysis and evidence, one row per cause', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'rootCauses', service: '$service' }]));
    expect(response.errors).toBeUndefined();
    expect(requests[0]?.params).toEqual({
      service: 'checkout',
      from: NOW - 6 * 3_600_000,
      to: NOW,
      limit: 1,
      alerts: 'none',
    });
    const [frame] = response.data;
    expect(frame.fields.map((field: { name: string }) => field.name)).toEqual([
      'rank',
      'service',
      'indicator',
      'confidence',
      'explanation',
      'actions',
      'evidence',
      'method',
      'model',
      'fallbackReason',
      'incidentId',
    ]);
    const column = (name: string) => frame.fields.find((field: { name: string }) => field.name === name)?.values;
    expect(column('service')).toEqual(['checkout', 'payments', 'cart']);
    expect(column('confidence')).toEqual([0.87, 0.46, 0.12]);
    expect(column('method')).toEqual(['llm', 'llm', 'llm']);
    expect(column('model')).toEqual(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
    expect(column('incidentId')).toEqual(['inc-7f3a9c', 'inc-7f3a9c', 'inc-7f3a9c']);
    expect(column('evidence')?.[0]).toEqual([
      {
        id: 'ev_met_3f2a9b1c0d4e',
        kind: 'metric_anomaly',
        summary: 'checkout p99 latency rose from 0.45 s to 2.3 s',
        service: 'checkout',
        link: expect.objectContaining({ datasource: 'prometheus', datasourceUid: 'prom-eu' }),
      },
      expect.objectContaining({
        id: 'ev_trl_6f5e4d3c2b1a',
        kind: 'trace_latency',
        link: expect.objectContaining({ datasourceUid: 'tempo' }),
      }),
      { id: 'deploy-checkout-4f2c', kind: 'change' },
    ]);
    expect(frame.meta?.custom).toEqual({
      incidentId: 'inc-7f3a9c',
      engineUrl: '/api/datasources/proxy/uid/intelops/engine',
      engineName: 'http://engine:8686',
    });
    expect(frame.meta?.notices).toEqual([
      {
        severity: 'warning',
        text: '1 cause the LLM gave was dropped: it cited evidence or services that do not exist.',
      },
    ]);
  });

  it('answers an empty frame saying "Not analysed yet" rather than an error', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'rootCauses', incidentId: 'inc-2b81d0' }]));
    expect(response.errors).toBeUndefined();
    expect(response.data[0].length).toBe(0);
    expect(response.data[0].meta.custom.empty).toBe('not-analysed');
    expect(response.data[0].meta.notices[0].text).toMatch(/^Not analysed yet: incident inc-2b81d0/);
  });

  it('says when the engine has no such incident', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'rootCauses', incidentId: 'inc-gone' }]));
    expect(response.data[0].meta.custom.empty).toBe('unknown-incident');
    expect(response.data[0].meta.notices[0].text).toBe('The engine has no incident "inc-gone": check the incident id.');
  });

  it('keeps the cited ids and says why when the evidence cannot be read', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'rootCauses', incidentId: 'inc-0rders' }]));
    const evidence = response.data[0].fields.find((field: { name: string }) => field.name === 'evidence').values;
    expect(evidence[0]).toEqual([{ id: 'ev_met_2c3d4e5f6a7b', kind: 'evidence' }]);
    expect(response.data[0].meta.notices.map((notice: { text: string }) => notice.text)).toEqual([
      'LLM not used: no LLM endpoint is configured. The causes are ranked by the dependency graph.',
      'The evidence could not be read (store closed): chips show ids only.',
    ]);
  });

  it('asks for an incident or a service before it runs', async () => {
    const { ds, requests } = datasource();
    const response = await ds.query(request([{ refId: 'A', queryType: 'rootCauses' }]));
    expect(response.errors?.[0]?.message).toMatch(/^Enter an incident id/);
    expect(requests).toHaveLength(0);
  });
});

describe('Dependency graph query', () => {
  it('answers node graph frames with the suspected cause highlighted', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'B', queryType: 'incidentGraph', incidentId: '$incident' }]));
    const [nodes, edges] = response.data;
    expect(nodes.name).toBe('nodes');
    expect(nodes.meta.preferredVisualisationType).toBe('nodeGraph');
    const column = (frame: typeof nodes, name: string) =>
      frame.fields.find((field: { name: string }) => field.name === name)?.values;
    expect(column(nodes, 'id')).toEqual(['frontend', 'cart', 'checkout', 'payments', 'inventory', 'payments-db']);
    expect(column(nodes, 'highlighted')).toEqual([false, false, true, false, false, false]);
    expect(column(nodes, 'arc__cause')).toEqual([0, 0, 1, 0, 0, 0]);
    expect(column(nodes, 'arc__incident')).toEqual([0, 1, 0, 1, 0, 0]);
    expect(column(nodes, 'arc__other')).toEqual([1, 0, 0, 0, 1, 1]);
    expect(column(nodes, 'mainstat')).toEqual([0.05, 0.12, 0.87, 0.46, 0.03, 0.02]);
    expect(column(edges, 'source')).toEqual(['frontend', 'frontend', 'cart', 'checkout', 'checkout', 'payments']);
    expect(column(edges, 'target')).toEqual(['cart', 'checkout', 'checkout', 'payments', 'inventory', 'payments-db']);
    expect(column(edges, 'id')?.[0]).toBe('frontend->cart');
  });

  it('answers empty graph frames with the reason before an analysis exists', async () => {
    const { ds } = datasource();
    const response = await ds.query(request([{ refId: 'B', queryType: 'incidentGraph', incidentId: 'inc-2b81d0' }]));
    expect(response.data.map((frame: { length: number }) => frame.length)).toEqual([0, 0]);
    expect(response.data[0].meta.notices[0].text).toMatch(/^Not analysed yet/);
  });
});
