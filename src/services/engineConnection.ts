import type { DataSourceApi, DataSourceInstanceSettings, TestDataSourceResponse } from '@grafana/data';
import type { GetDataSourceListFilters } from '@grafana/runtime';
import { DATASOURCE_PLUGIN_ID } from '../constants';

/** The two DataSourceSrv calls the connection check needs; getDataSourceSrv() in Grafana. */
export interface DatasourceLookup {
  getList(filters?: GetDataSourceListFilters): DataSourceInstanceSettings[];
  get(uid: string): Promise<Pick<DataSourceApi, 'testDatasource'>>;
}

export interface EngineDatasource {
  uid: string;
  name: string;
  engineUrl?: string;
}

export type ConnectionResult =
  | { state: 'connected'; datasource: EngineDatasource; message: string }
  | { state: 'failed'; datasource: EngineDatasource; message: string };

export function engineUrlOf(settings: DataSourceInstanceSettings): string | undefined {
  const value: unknown = settings.jsonData ? Reflect.get(settings.jsonData, 'engineUrl') : undefined;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Every IntelOps datasource configured in this Grafana organisation. */
export function findEngineDatasources(lookup: DatasourceLookup): EngineDatasource[] {
  return lookup
    .getList({ pluginId: DATASOURCE_PLUGIN_ID })
    .filter((settings) => settings.type === DATASOURCE_PLUGIN_ID)
    .map((settings) => ({ uid: settings.uid, name: settings.name, engineUrl: engineUrlOf(settings) }));
}

function fromTestResult(datasource: EngineDatasource, result: TestDataSourceResponse): ConnectionResult {
  return result.status === 'success'
    ? { state: 'connected', datasource, message: result.message }
    : { state: 'failed', datasource, message: result.message };
}

/** Runs the datasource's own "Save & test" check, so the app and the datasource settings say the same thing. */
export async function checkDatasource(
  lookup: DatasourceLookup,
  datasource: EngineDatasource
): Promise<ConnectionResult> {
  try {
    const api = await lookup.get(datasource.uid);
    return fromTestResult(datasource, await api.testDatasource());
  } catch (error) {
    return { state: 'failed', datasource, message: datasourceLoadFailure(datasource, error) };
  }
}

/** The sentence for a datasource Grafana could not load (DataSourceSrv.get failed). */
export function datasourceLoadFailure(datasource: EngineDatasource, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `Grafana could not load the datasource "${datasource.name}": ${reason}`;
}

export function datasourceSettingsUrl(uid: string): string {
  return `/connections/datasources/edit/${encodeURIComponent(uid)}`;
}

/** Grafana's page for the datasource type, with its "Add new data source" button. */
export const NEW_DATASOURCE_URL = `/connections/datasources/${DATASOURCE_PLUGIN_ID}`;

/** Empty when no IntelOps datasource exists; otherwise one result per datasource. */
export async function checkAllDatasources(lookup: DatasourceLookup): Promise<ConnectionResult[]> {
  return Promise.all(findEngineDatasources(lookup).map((datasource) => checkDatasource(lookup, datasource)));
}
