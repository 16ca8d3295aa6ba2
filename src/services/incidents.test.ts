import { checkoutIncidentJson, incidentListJson } from '../datasource/testing/incidentFixtures';
import { loadIncident, loadIncidents, pickDatasource } from './incidents';
import { fakeDatasourceLookup, intelOpsSettings } from './testing/fakeDatasources';

const NOW = Date.parse('2026-11-23T22:00:00Z');

describe('reading incidents through the IntelOps datasource', () => {
  it('reads through the datasource with an engine URL, through its data-proxy route', async () => {
    const lookup = fakeDatasourceLookup([
      { settings: intelOpsSettings('blank', 'IntelOps draft', ''), reply: { status: 500, data: '' } },
      {
        settings: intelOpsSettings('prod', 'IntelOps', 'http://engine:8686'),
        reply: { status: 200, data: incidentListJson(NOW) },
      },
    ]);
    expect(pickDatasource(lookup)?.uid).toBe('prod');

    const result = await loadIncidents(lookup, { from: 1, to: 2, service: ['checkout'] });
    expect(result.state).toBe('ok');
    if (result.state === 'ok') {
      expect(result.value.incidents).toHaveLength(5);
      expect(result.datasource).toEqual({ uid: 'prod', name: 'IntelOps', engineUrl: 'http://engine:8686' });
    }
    expect(lookup.requests.map((r) => [r.url, r.params])).toEqual([
      ['/api/datasources/proxy/uid/prod/engine/api/v1/incidents', { from: 1, to: 2, service: 'checkout' }],
    ]);
  });

  it('says when there is no IntelOps datasource', async () => {
    await expect(loadIncidents(fakeDatasourceLookup([]), {})).resolves.toEqual({ state: 'no-datasource' });
  });

  it('says in words what failed: the token, the connection, a datasource Grafana cannot load', async () => {
    const settings = intelOpsSettings('prod', 'IntelOps', 'http://engine:8686');
    const unauthorized = fakeDatasourceLookup([{ settings, reply: { status: 401, data: { message: 'bad token' } } }]);
    await expect(loadIncidents(unauthorized, {})).resolves.toMatchObject({
      state: 'failed',
      message: 'The engine rejected the token: set the engine token in the datasource settings.',
    });

    const down = fakeDatasourceLookup([{ settings, reply: { networkError: 'Failed to fetch' } }]);
    await expect(loadIncidents(down, {})).resolves.toMatchObject({
      state: 'failed',
      message: 'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.',
    });

    const gone = { ...down, get: () => Promise.reject(new Error('plugin not installed')) };
    await expect(loadIncidents(gone, {})).resolves.toMatchObject({
      state: 'failed',
      message: 'Grafana could not load the datasource "IntelOps": plugin not installed',
    });

    const other = { ...down, get: () => Promise.resolve({ testDatasource: () => Promise.reject(new Error('x')) }) };
    await expect(loadIncidents(other, {})).resolves.toMatchObject({
      state: 'failed',
      message: 'The datasource "IntelOps" has no engine client: update the IntelOps plugin.',
    });
  });

  it('reads one incident, and names an unknown one', async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings: intelOpsSettings('prod', 'IntelOps', 'http://engine:8686'),
        reply: (request) =>
          request.url.endsWith('/inc-7f3a9c')
            ? { status: 200, data: checkoutIncidentJson(NOW) }
            : { status: 404, data: { message: 'No incident with id "nope"' } },
      },
    ]);
    const found = await loadIncident(lookup, 'inc-7f3a9c');
    expect(found.state === 'ok' && found.value.alerts).toHaveLength(6);
    await expect(loadIncident(lookup, 'nope')).resolves.toMatchObject({
      state: 'failed',
      message:
        'The engine at http://engine:8686 has no incident "nope" (No incident with id "nope"): open one from the incidents list.',
    });
  });
});
