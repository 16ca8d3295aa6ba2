import type { DataSourceInstanceSettings } from '@grafana/data';
import type { BackendSrvRequest, GetDataSourceListFilters } from '@grafana/runtime';
import { IntelOpsDataSource } from '../../datasource/datasource';
import { fakeEngineFetch, type FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { intelOpsSettings } from '../../datasource/testing/instanceSettings';
import type { IntelOpsOptions } from '../../datasource/types';
import type { DatasourceLookup } from '../engineConnection';

export { intelOpsSettings };

/** How a fake datasource's proxy answers: always the same, or per request. */
export type FakeProxy = FakeReply | ((request: BackendSrvRequest) => FakeReply);

/** A DataSourceSrv stand-in holding real IntelOps datasources whose proxy answers as given. */
export function fakeDatasourceLookup(
  datasources: Array<{ settings: DataSourceInstanceSettings<IntelOpsOptions>; reply: FakeProxy }>
): DatasourceLookup & {
  requestedFilters: Array<GetDataSourceListFilters | undefined>;
  requests: BackendSrvRequest[];
} {
  const requestedFilters: Array<GetDataSourceListFilters | undefined> = [];
  const requests: BackendSrvRequest[] = [];
  const instances = new Map<string, IntelOpsDataSource>(
    datasources.map(({ settings, reply }) => {
      const engine = fakeEngineFetch((request) => {
        requests.push(request);
        return typeof reply === 'function' ? reply(request) : reply;
      });
      return [settings.uid, new IntelOpsDataSource(settings, engine.fetch)];
    })
  );
  return {
    requestedFilters,
    requests,
    getList(filters) {
      requestedFilters.push(filters);
      return datasources
        .map(({ settings }) => settings)
        .filter((settings) => !filters?.pluginId || settings.meta.id === filters.pluginId);
    },
    async get(uid) {
      const instance = instances.get(uid);
      if (!instance) {
        throw new Error(`Datasource ${uid} was not found`);
      }
      return instance;
    },
  };
}
