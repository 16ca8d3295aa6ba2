import { AGENT_RUN_KINDS, AGENT_RUN_STATUSES, type AgentRunsRequest } from '../../datasource/agentRuns';
import { isValidInterval, isValidTime, timeRangeOf } from '../Incidents/incidentsUrlState';

/** What the Agent runs page keeps in its URL, so a link shows the same runs and the same open run. */
export interface AgentRunsUrlState {
  /** Grafana time: relative (`now-6h`) or epoch milliseconds. */
  from: string;
  to: string;
  /** A Grafana time zone; empty for the user's own. */
  timezone: string;
  /** Auto-refresh interval (`30s`); empty when off. */
  refresh: string;
  /** One kind of run (analyze, ask, draft, judge, workflow); empty for all. */
  kind: string;
  /** ok, error or running; empty for all. */
  status: string;
  /** Only the runs of this incident; empty for all. */
  incident: string;
  /** The run open below the list; empty when none. */
  run: string;
}

export const DEFAULT_AGENT_RUNS_STATE: AgentRunsUrlState = {
  from: 'now-24h',
  to: 'now',
  timezone: '',
  refresh: '',
  kind: '',
  status: '',
  incident: '',
  run: '',
};

const KEYS = ['from', 'to', 'timezone', 'refresh', 'kind', 'status', 'incident', 'run'] as const;

function oneOf(value: string | null, allowed: readonly string[]): string {
  return value !== null && allowed.includes(value) ? value : '';
}

/** The time part of a page's URL: range, time zone and auto-refresh (off unless set). */
export type TimeUrlState = Pick<AgentRunsUrlState, 'from' | 'to' | 'timezone' | 'refresh'>;

/** Reads the time part; an invalid range falls back to `defaults`. */
export function parseTimeUrl(params: URLSearchParams, defaults: Pick<TimeUrlState, 'from' | 'to'>): TimeUrlState {
  const from = params.get('from') ?? defaults.from;
  const to = params.get('to') ?? defaults.to;
  const validRange = isValidTime(from) && isValidTime(to);
  const refresh = params.get('refresh') ?? '';
  return {
    from: validRange ? from : defaults.from,
    to: validRange ? to : defaults.to,
    timezone: params.get('timezone')?.trim() ?? '',
    refresh: isValidInterval(refresh) ? refresh : '',
  };
}

/** Writes the time part, leaving defaults out. */
export function writeTimeUrl(next: URLSearchParams, state: TimeUrlState, defaults: Pick<TimeUrlState, 'from' | 'to'>) {
  for (const key of ['from', 'to', 'timezone', 'refresh'] as const) {
    next.delete(key);
  }
  if (state.from !== defaults.from || state.to !== defaults.to) {
    next.set('from', state.from);
    next.set('to', state.to);
  }
  for (const key of ['timezone', 'refresh'] as const) {
    if (state[key] !== '') {
      next.set(key, state[key]);
    }
  }
}

/** Reads the page state from the query string; anything missing or invalid falls back to the defaults. */
export function parseAgentRunsUrl(params: URLSearchParams): AgentRunsUrlState {
  return {
    ...parseTimeUrl(params, DEFAULT_AGENT_RUNS_STATE),
    kind: oneOf(params.get('kind'), AGENT_RUN_KINDS),
    status: oneOf(params.get('status'), AGENT_RUN_STATUSES),
    incident: params.get('incident')?.trim() ?? '',
    run: params.get('run')?.trim() ?? '',
  };
}

/** The query string for a state: other parameters stay, defaults are left out so URLs stay short. */
export function writeAgentRunsUrl(current: URLSearchParams, state: AgentRunsUrlState): URLSearchParams {
  const next = new URLSearchParams(current);
  KEYS.forEach((key) => next.delete(key));
  writeTimeUrl(next, state, DEFAULT_AGENT_RUNS_STATE);
  for (const key of ['kind', 'status', 'incident', 'run'] as const) {
    if (state[key] !== '') {
      next.set(key, state[key]);
    }
  }
  return next;
}

export function hasRunFilters(state: AgentRunsUrlState): boolean {
  return state.kind !== '' || state.status !== '' || state.incident !== '';
}

/** The engine request for the state, with the time range resolved now. */
export function agentRunsRequest(state: AgentRunsUrlState, timeZone: string): AgentRunsRequest {
  const range = timeRangeOf(state, timeZone);
  return {
    from: range.from.valueOf(),
    to: range.to.valueOf(),
    ...(state.kind ? { kind: state.kind } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.incident ? { incident: state.incident } : {}),
  };
}

/** The part of the state that decides which runs are read, as one comparable string. */
export function runsRequestKey(state: AgentRunsUrlState): string {
  return writeAgentRunsUrl(new URLSearchParams(), { ...state, refresh: '', run: '' }).toString();
}
