import { ENGINE_STATUS } from '../datasource/testing/fakeEngineFetch';
import { checkAllDatasources, datasourceSettingsUrl, findEngineDatasources } from './engineConnection';
import { configuredEngineUrl } from './engineUrl';
import { fakeDatasourceLookup, intelOpsSettings } from './testing/fakeDatasources';

describe('engine connection check', () => {
  it('finds IntelOps datasources by plugin id, with their engine URL', () => {
    const lookup = fakeDatasourceLookup([
      {
        settings: intelOpsSettings('a', 'IntelOps', 'http://engine:8686'),
        reply: { status: 200, data: ENGINE_STATUS },
      },
      { settings: intelOpsSettings('b', 'IntelOps staging', ''), reply: { status: 200, data: ENGINE_STATUS } },
    ]);
    expect(findEngineDatasources(lookup)).toEqual([
      { uid: 'a', name: 'IntelOps', engineUrl: 'http://engine:8686' },
      { uid: 'b', name: 'IntelOps staging', engineUrl: undefined },
    ]);
    expect(lookup.requestedFilters).toEqual([{ pluginId: 'intelops-aiops-datasource' }]);
  });

  it("runs each datasource's own test and reports it", async () => {
    const lookup = fakeDatasourceLookup([
      {
        settings: intelOpsSettings('a', 'IntelOps', 'http://engine:8686'),
        reply: { status: 200, data: ENGINE_STATUS },
      },
      { settings: intelOpsSettings('b', 'IntelOps old', 'http://old:8686'), reply: { status: 502, data: '' } },
    ]);
    await expect(checkAllDatasources(lookup)).resolves.toEqual([
      {
        state: 'connected',
        datasource: { uid: 'a', name: 'IntelOps', engineUrl: 'http://engine:8686' },
        message: 'Connected to IntelOps engine 0.1.0 (store: pglite)',
      },
      {
        state: 'failed',
        datasource: { uid: 'b', name: 'IntelOps old', engineUrl: 'http://old:8686' },
        message: 'Grafana could not reach the engine at http://old:8686: check the URL and that the engine runs.',
      },
    ]);
  });

  it('reports a datasource Grafana cannot load', async () => {
    const lookup = fakeDatasourceLookup([]);
    const broken = { ...lookup, getList: () => [intelOpsSettings('gone', 'IntelOps', 'http://e')] };
    await expect(checkAllDatasources(broken)).resolves.toEqual([
      {
        state: 'failed',
        datasource: { uid: 'gone', name: 'IntelOps', engineUrl: 'http://e' },
        message: 'Grafana could not load the datasource "IntelOps": Datasource gone was not found',
      },
    ]);
  });

  it('has nothing to check without a datasource', async () => {
    await expect(checkAllDatasources(fakeDatasourceLookup([]))).resolves.toEqual([]);
  });

  it('links to the datasource settings and names the engine URL for instructions', () => {
    expect(datasourceSettingsUrl('a b')).toBe('/connections/datasources/edit/a%20b');
    const lookup = fakeDatasourceLookup([
      { settings: intelOpsSettings('a', 'IntelOps', ''), reply: { status: 200, data: ENGINE_STATUS } },
      {
        settings: intelOpsSettings('b', 'IntelOps 2', 'http://engine:8686'),
        reply: { status: 200, data: ENGINE_STATUS },
      },
    ]);
    expect(configuredEngineUrl(lookup)).toBe('http://engine:8686');
    expect(configuredEngineUrl(fakeDatasourceLookup([]))).toBe('<engine URL>');
  });
});
