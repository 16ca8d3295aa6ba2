import { getDataSourceSrv } from '@grafana/runtime';
import { type DatasourceLookup, findEngineDatasources } from './engineConnection';

/** The engine URL of the first IntelOps datasource, for instructions on the pages; a placeholder when none is set. */
// getDataSourceSrv works on every supported Grafana (>=12.3); its replacements in @grafana/runtime/unstable may not.
// eslint-disable-next-line @typescript-eslint/no-deprecated
export function configuredEngineUrl(lookup: DatasourceLookup = getDataSourceSrv()): string {
  return findEngineDatasources(lookup).find((ds) => ds.engineUrl)?.engineUrl ?? '<engine URL>';
}
