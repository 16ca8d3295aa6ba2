import { type EvalsReport, fetchEvals } from '../datasource/evals';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

/** GET /api/v1/evals over the page's time range (epoch milliseconds). */
export function loadEvals(
  lookup: DatasourceLookup,
  range: { from: number; to: number }
): Promise<EngineRead<EvalsReport>> {
  return readFromEngine(lookup, (client) => fetchEvals(client, range));
}
