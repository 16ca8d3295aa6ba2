import {
  type AgentRun,
  type AgentRunSummary,
  type AgentRunsRequest,
  fetchAgentRun,
  fetchAgentRuns,
} from '../datasource/agentRuns';
import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import { upstreamUids } from '../datasource/upstreams';
import type { DatasourceLookup, EngineDatasource } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

/** The Agent runs page lists at most this many runs, newest first. */
export const RUNS_PAGE_LIMIT = 200;

/** A run as the page opens it, with the Tempo datasource its "View in Tempo" link opens. */
export interface OpenedRun {
  run: AgentRun;
  tempoUid: string;
}

/** The Tempo datasource the IntelOps datasource's settings name (the provisioned one when unset). */
export function tempoUidFor(lookup: DatasourceLookup, datasource: EngineDatasource): string {
  const settings = lookup.getList().find((candidate) => candidate.uid === datasource.uid);
  return upstreamUids(settings?.jsonData).tempo;
}

/** GET /api/v1/runs for the page's filters and time range. */
export function loadAgentRuns(
  lookup: DatasourceLookup,
  request: AgentRunsRequest
): Promise<EngineRead<AgentRunSummary[]>> {
  return readFromEngine(lookup, (client) => fetchAgentRuns(client, { limit: RUNS_PAGE_LIMIT, ...request }));
}

/** GET /api/v1/runs/{id}; an unknown id says so in words. */
export function loadAgentRun(lookup: DatasourceLookup, id: string): Promise<EngineRead<OpenedRun>> {
  return readFromEngine(
    lookup,
    async (client, datasource) => ({ run: await fetchAgentRun(client, id), tempoUid: tempoUidFor(lookup, datasource) }),
    (error, datasource) => {
      const engine = datasource.engineUrl ?? 'the configured URL';
      return isEngineRequestError(error) && error.kind === 'not-found'
        ? `The engine at ${engine} has no agent run "${id}"${error.detail ? ` (${error.detail})` : ''}: runs older than the engine's retention are gone; pick one from the list.`
        : describeEngineFailure(error, engine);
    }
  );
}
