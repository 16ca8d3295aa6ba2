import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import {
  type EngineReader,
  fetchIncident,
  fetchIncidents,
  type Incident,
  type IncidentList,
  type IncidentsRequest,
} from '../datasource/incidents';
import {
  datasourceLoadFailure,
  type DatasourceLookup,
  type EngineDatasource,
  findEngineDatasources,
} from './engineConnection';

/** A read from the engine, in the words the page shows. */
export type EngineRead<T> =
  | { state: 'ok'; value: T; datasource: EngineDatasource }
  | { state: 'no-datasource' }
  | { state: 'failed'; message: string; datasource?: EngineDatasource };

// The app and the datasource are separate bundles in Grafana, so the datasource's client is recognised by shape.
function isEngineReader(value: unknown): value is EngineReader {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'get') === 'function';
}

/** The IntelOps datasource the pages read from: the first one with an engine URL, else the first one. */
export function pickDatasource(lookup: DatasourceLookup): EngineDatasource | undefined {
  const datasources = findEngineDatasources(lookup);
  return datasources.find((ds) => ds.engineUrl) ?? datasources[0];
}

function engineName(datasource: EngineDatasource): string {
  return datasource.engineUrl ?? 'the configured URL';
}

/** Runs `read` with the datasource's engine client; every failure comes back as a sentence. */
export async function readFromEngine<T>(
  lookup: DatasourceLookup,
  read: (client: EngineReader, datasource: EngineDatasource) => Promise<T>,
  describe: (error: unknown, datasource: EngineDatasource) => string = (error, datasource) =>
    describeEngineFailure(error, engineName(datasource))
): Promise<EngineRead<T>> {
  const datasource = pickDatasource(lookup);
  if (!datasource) {
    return { state: 'no-datasource' };
  }
  let client: unknown;
  try {
    client = Reflect.get(await lookup.get(datasource.uid), 'client');
  } catch (error) {
    return { state: 'failed', datasource, message: datasourceLoadFailure(datasource, error) };
  }
  if (!isEngineReader(client)) {
    return {
      state: 'failed',
      datasource,
      message: `The datasource "${datasource.name}" has no engine client: update the IntelOps plugin.`,
    };
  }
  try {
    return { state: 'ok', value: await read(client, datasource), datasource };
  } catch (error) {
    return { state: 'failed', datasource, message: describe(error, datasource) };
  }
}

export function loadIncidents(lookup: DatasourceLookup, request: IncidentsRequest): Promise<EngineRead<IncidentList>> {
  return readFromEngine(lookup, (client) => fetchIncidents(client, request));
}

export function loadIncident(lookup: DatasourceLookup, id: string): Promise<EngineRead<Incident>> {
  return readFromEngine(
    lookup,
    (client) => fetchIncident(client, id),
    (error, datasource) =>
      isEngineRequestError(error) && error.kind === 'not-found'
        ? `The engine at ${engineName(datasource)} has no incident "${id}"${error.detail ? ` (${error.detail})` : ''}: open one from the incidents list.`
        : describeEngineFailure(error, engineName(datasource))
  );
}
