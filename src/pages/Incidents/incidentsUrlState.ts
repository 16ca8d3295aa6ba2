import {
  dateMath,
  dateTime,
  type DateTime,
  isDateTime,
  rangeUtil,
  type RawTimeRange,
  type TimeRange,
} from '@grafana/data';
import { type IncidentsRequest, isIncidentStatus, isSeverity } from '../../datasource/incidents';

/** What the Incidents page keeps in its URL, so a link shows the same list. */
export interface IncidentsUrlState {
  /** Grafana time: relative (`now-6h`) or epoch milliseconds. */
  from: string;
  to: string;
  /** A Grafana time zone (`utc`, `Europe/Berlin`); empty for the user's own. */
  timezone: string;
  /** Auto-refresh interval (`30s`); empty when off. */
  refresh: string;
  status: string[];
  severity: string[];
  service: string[];
}

export const DEFAULT_REFRESH = '30s';

export const DEFAULT_URL_STATE: IncidentsUrlState = {
  from: 'now-6h',
  to: 'now',
  timezone: '',
  refresh: DEFAULT_REFRESH,
  status: [],
  severity: [],
  service: [],
};

// An explicit "off" in the URL, because no parameter at all means the default refresh.
const REFRESH_OFF = 'off';

const KEYS = ['from', 'to', 'timezone', 'refresh', 'status', 'severity', 'service'] as const;

/** Epoch milliseconds or a Grafana time (`now-6h`). */
export function isValidTime(value: string): boolean {
  return /^\d{1,15}$/.test(value) || dateMath.isValid(value);
}

/** A Grafana interval (`30s`) longer than zero. */
export function isValidInterval(value: string): boolean {
  try {
    return rangeUtil.intervalToMs(value) > 0;
  } catch {
    return false;
  }
}

/** Repeated (`?service=a&service=b`) or comma-separated (`?service=a,b`) values, trimmed and without repeats. */
function listParam(params: URLSearchParams, key: string, keep: (value: string) => boolean = () => true): string[] {
  const values = params
    .getAll(key)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '' && keep(value));
  return [...new Set(values)];
}

function refreshParam(value: string | null): string {
  if (value === null) {
    return DEFAULT_REFRESH;
  }
  if (value === REFRESH_OFF || value === '') {
    return '';
  }
  return isValidInterval(value) ? value : DEFAULT_REFRESH;
}

/** Reads the page state from the query string; anything missing or invalid falls back to the defaults. */
export function parseUrlState(params: URLSearchParams): IncidentsUrlState {
  const from = params.get('from') ?? DEFAULT_URL_STATE.from;
  const to = params.get('to') ?? DEFAULT_URL_STATE.to;
  const validRange = isValidTime(from) && isValidTime(to);
  return {
    from: validRange ? from : DEFAULT_URL_STATE.from,
    to: validRange ? to : DEFAULT_URL_STATE.to,
    timezone: params.get('timezone')?.trim() ?? '',
    refresh: refreshParam(params.get('refresh')),
    status: listParam(params, 'status', isIncidentStatus),
    severity: listParam(params, 'severity', isSeverity),
    service: listParam(params, 'service'),
  };
}

/** The query string for a state: other parameters stay, defaults are left out so URLs stay short. */
export function writeUrlState(current: URLSearchParams, state: IncidentsUrlState): URLSearchParams {
  const next = new URLSearchParams(current);
  KEYS.forEach((key) => next.delete(key));
  if (state.from !== DEFAULT_URL_STATE.from || state.to !== DEFAULT_URL_STATE.to) {
    next.set('from', state.from);
    next.set('to', state.to);
  }
  if (state.timezone !== '') {
    next.set('timezone', state.timezone);
  }
  if (state.refresh !== DEFAULT_REFRESH) {
    next.set('refresh', state.refresh === '' ? REFRESH_OFF : state.refresh);
  }
  for (const key of ['status', 'severity', 'service'] as const) {
    state[key].forEach((value) => next.append(key, value));
  }
  return next;
}

export function hasFilters(state: IncidentsUrlState): boolean {
  return state.status.length + state.severity.length + state.service.length > 0;
}

function rawTime(value: string): string | DateTime {
  return /^\d+$/.test(value) ? dateTime(Number(value)) : value;
}

export function rawRange(state: Pick<IncidentsUrlState, 'from' | 'to'>): RawTimeRange {
  return { from: rawTime(state.from), to: rawTime(state.to) };
}

/** The time range now: a relative range (`now-6h`) moves on at every call. */
export function timeRangeOf(state: Pick<IncidentsUrlState, 'from' | 'to'>, timeZone: string): TimeRange {
  return rangeUtil.convertRawToRange(rawRange(state), timeZone);
}

/** How a picked time range is written to the URL: relative stays relative, absolute becomes epoch milliseconds. */
export function urlTimes(range: TimeRange): Pick<IncidentsUrlState, 'from' | 'to'> {
  const text = (value: DateTime | string) => (isDateTime(value) ? String(value.valueOf()) : value);
  return { from: text(range.raw.from), to: text(range.raw.to) };
}

/** The engine request for the state, with the time range resolved now. */
export function incidentsRequest(state: IncidentsUrlState, timeZone: string): IncidentsRequest {
  const range = timeRangeOf(state, timeZone);
  return {
    from: range.from.valueOf(),
    to: range.to.valueOf(),
    status: state.status,
    severity: state.severity,
    service: state.service,
  };
}

/** Half the span earlier (-1) or later (+1), as Grafana's time picker arrows move. */
export function shiftedTimes(range: TimeRange, direction: -1 | 1): Pick<IncidentsUrlState, 'from' | 'to'> {
  const half = (range.to.valueOf() - range.from.valueOf()) / 2;
  const from = Math.round(range.from.valueOf() + direction * half);
  const to = Math.round(range.to.valueOf() + direction * half);
  return { from: String(from), to: String(to) };
}

/** Twice the span around the same centre, as Grafana's "zoom out" does. */
export function zoomedOutTimes(range: TimeRange): Pick<IncidentsUrlState, 'from' | 'to'> {
  const span = range.to.valueOf() - range.from.valueOf();
  const centre = range.from.valueOf() + span / 2;
  return { from: String(Math.round(centre - span)), to: String(Math.round(centre + span)) };
}
