import {
  agentRunJson,
  agentRunListJson,
  agentRunSummariesJson,
  emptyEvalsJson,
  evalsJson,
} from '../../src/datasource/testing/agentRunFixtures';

/**
 * The engine's agent-run and eval routes for the browser harness (see engineDouble.ts for the scenes). storm and
 * slow: eight runs over the last five hours (the checkout analysis with its full trace) and a busy day of evals that
 * needs attention; quiet: no runs and evals with no data. GET /runs filters as the engine does: started in
 * [from, to], of the kind, incident and status asked for, newest first, at most `limit`; a kind or status the engine
 * does not know is a 400 naming it, as its schema answers.
 */

export interface AgentRunsAnswer {
  status: number;
  body: unknown;
}

const RUN_PATH = /^\/api\/v1\/runs\/([^/]+)$/;
const KINDS = ['analyze', 'ask', 'draft', 'judge', 'workflow'];
const STATUSES = ['running', 'ok', 'error'];

function error(status: number, message: string): AgentRunsAnswer {
  const names: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found' };
  return { status, body: { statusCode: status, error: names[status] ?? 'Error', message } };
}

function time(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

function answerList(params: URLSearchParams, now: number, quiet: boolean): AgentRunsAnswer {
  const kind = params.get('kind');
  const status = params.get('status');
  if (kind !== null && !KINDS.includes(kind)) {
    return error(400, `querystring/kind must be equal to one of the allowed values (${KINDS.join(', ')})`);
  }
  if (status !== null && !STATUSES.includes(status)) {
    return error(400, `querystring/status must be equal to one of the allowed values (${STATUSES.join(', ')})`);
  }
  const from = time(params.get('from'));
  const to = time(params.get('to'));
  const incident = params.get('incident');
  const limit = Number(params.get('limit') ?? 100);
  const runs = (quiet ? [] : agentRunSummariesJson(now)).filter((run) => {
    const started = Date.parse(run.startedAt);
    return (
      (from === undefined || started >= from) &&
      (to === undefined || started <= to) &&
      (kind === null || run.kind === kind) &&
      (status === null || run.status === status) &&
      (incident === null || run.incidentId === incident)
    );
  });
  return { status: 200, body: agentRunListJson(now, runs.slice(0, limit)) };
}

export function answerAgentRuns(
  apiPath: string,
  params: URLSearchParams,
  method: string,
  context: { now: number; quiet: boolean }
): AgentRunsAnswer | undefined {
  if (method !== 'GET') {
    return undefined;
  }
  const { now, quiet } = context;
  if (apiPath === '/api/v1/runs') {
    return answerList(params, now, quiet);
  }
  const one = RUN_PATH.exec(apiPath);
  if (one) {
    const id = decodeURIComponent(one[1] ?? '');
    const run = quiet ? undefined : agentRunJson(now, id);
    return run ? { status: 200, body: run } : error(404, `No agent run with id "${id}"`);
  }
  if (apiPath === '/api/v1/evals') {
    const from = time(params.get('from')) ?? now - 24 * 3_600_000;
    const to = time(params.get('to')) ?? now;
    return { status: 200, body: quiet ? emptyEvalsJson(now, from, to) : evalsJson(now, from, to) };
  }
  return undefined;
}
