import { useCallback, useEffect, useState } from 'react';
import { rangeUtil } from '@grafana/data';
import type { Incident, IncidentList } from '../../datasource/incidents';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import { type EngineRead, loadIncidents } from '../../services/incidents';
import { incidentsRequest, type IncidentsUrlState, parseUrlState, writeUrlState } from './incidentsUrlState';

export type IncidentsView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | {
      phase: 'data';
      incidents: Incident[];
      truncated: boolean;
      datasource: EngineDatasource;
      /** When the list was read: ongoing incidents' durations run to here. */
      loadedAt: number;
      /** The last refresh failed; the list shown is from before it. */
      refreshError?: string;
    };

/** The view after a read; `previous` is what showed the same request before, so a failed refresh keeps the list. */
export function nextView(
  previous: IncidentsView | undefined,
  result: EngineRead<IncidentList>,
  now: number
): IncidentsView {
  switch (result.state) {
    case 'ok':
      return {
        phase: 'data',
        incidents: result.value.incidents,
        truncated: result.value.truncated,
        datasource: result.datasource,
        loadedAt: now,
      };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return previous?.phase === 'data'
        ? { ...previous, refreshError: result.message }
        : { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

/** The part of the URL state that decides what is read (not the refresh interval), as one comparable string. */
export function requestKey(state: IncidentsUrlState): string {
  return writeUrlState(new URLSearchParams(), { ...state, refresh: '' }).toString();
}

export function refreshIntervalMs(refresh: string): number {
  if (refresh === '') {
    return 0;
  }
  try {
    return rangeUtil.intervalToMs(refresh);
  } catch {
    return 0;
  }
}

/** Calls `reload` every `refresh` interval (`30s`); never while it is empty or invalid. */
export function useRefreshEvery(refresh: string, reload: () => void): void {
  const intervalMs = refreshIntervalMs(refresh);
  useEffect(() => {
    if (intervalMs <= 0) {
      return undefined;
    }
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);
}

interface Options {
  lookup: DatasourceLookup;
  state: IncidentsUrlState;
  timeZone: string;
}

const LOADING: IncidentsView = { phase: 'loading' };

/** Reads the incidents for the page state, again on every refresh interval and on request. */
export function useIncidents({ lookup, state, timeZone }: Options) {
  const key = requestKey(state);
  const [round, setRound] = useState(0);
  // The last read's view, with the request and round it answered.
  const [shown, setShown] = useState<{ key: string; round: number; view: IncidentsView } | undefined>(undefined);

  useEffect(() => {
    let current = true;
    // The relative range (now-6h) is resolved at each read, so a refresh moves it on.
    loadIncidents(lookup, incidentsRequest(parseUrlState(new URLSearchParams(key)), timeZone)).then((result) => {
      if (current) {
        setShown((previous) => ({
          key,
          round,
          view: nextView(previous?.key === key ? previous.view : undefined, result, Date.now()),
        }));
      }
    });
    return () => {
      current = false;
    };
  }, [lookup, key, timeZone, round]);

  const refresh = useCallback(() => setRound((n) => n + 1), []);
  useRefreshEvery(state.refresh, refresh);
  // A new request shows the loading state; a refresh of the same one keeps the list and spins the refresh button.
  const view = shown?.key === key ? shown.view : LOADING;
  const refreshing = shown?.key === key && shown.round !== round;
  return { view, refreshing, refresh };
}
