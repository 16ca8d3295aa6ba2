import type { DataFrame } from '@grafana/data';
import type { QueryContext } from './datasource';
import { fetchAgentRun, fetchAgentRuns } from './agentRuns';
import { agentRunFrame, noAgentRunFrame } from './agentRunFrame';
import { agentRunsFrame } from './agentRunsFrame';
import { fetchEvals } from './evals';
import { evalsFrames } from './evalsFrame';

const LIST_LIMIT = 200;

function rangeOf({ range }: QueryContext) {
  return { from: range.from.valueOf(), to: range.to.valueOf() };
}

/** Agent runs: GET /api/v1/runs in the dashboard's range, filtered by kind and incident, as a table. */
export async function runAgentRuns(context: QueryContext): Promise<DataFrame[]> {
  const { client, query, upstreams } = context;
  const runs = await fetchAgentRuns(client, {
    ...rangeOf(context),
    kind: query.kind,
    incident: query.incidentId,
    limit: LIST_LIMIT,
  });
  return [agentRunsFrame(runs, query.refId, upstreams.tempo)];
}

/**
 * Agent run: one run by id (GET /api/v1/runs/{id}), or else the newest run in the dashboard's range, of the incident
 * and kind when the query names them, as a trace frame.
 */
export async function runAgentRun(context: QueryContext): Promise<DataFrame[]> {
  const { client, query, upstreams } = context;
  let id = (query.runId ?? '').trim();
  const incident = (query.incidentId ?? '').trim();
  if (id === '') {
    const [latest] = await fetchAgentRuns(client, { ...rangeOf(context), kind: query.kind, incident, limit: 1 });
    if (!latest) {
      const what = `${query.kind ? `${query.kind} run` : 'agent run'}${incident ? ` for incident ${incident}` : ''}`;
      return [
        noAgentRunFrame(
          query.refId,
          `No ${what} in the time range: widen it, or analyse an incident on its investigation page.`
        ),
      ];
    }
    id = latest.id;
  }
  return [agentRunFrame(await fetchAgentRun(client, id), query.refId, upstreams.tempo)];
}

/** Evals: GET /api/v1/evals over the dashboard's range, as scorecard, trend and worst-runs frames. */
export async function runEvals(context: QueryContext): Promise<DataFrame[]> {
  const { client, query, upstreams } = context;
  return evalsFrames(await fetchEvals(client, rangeOf(context)), query.refId, upstreams.tempo);
}
