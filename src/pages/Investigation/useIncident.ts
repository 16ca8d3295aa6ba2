import { useCallback, useEffect, useState } from 'react';
import type { Incident } from '../../datasource/incidents';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import { type EngineRead, loadIncident } from '../../services/incidents';

export type IncidentView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | { phase: 'data'; incident: Incident; datasource: EngineDatasource; loadedAt: number };

export function incidentView(result: EngineRead<Incident>, now: number): IncidentView {
  switch (result.state) {
    case 'ok':
      return { phase: 'data', incident: result.value, datasource: result.datasource, loadedAt: now };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

const LOADING: IncidentView = { phase: 'loading' };

/** Reads one incident with all its alerts; `reload` reads it again and keeps it on screen meanwhile. */
export function useIncident(lookup: DatasourceLookup, id: string) {
  const [round, setRound] = useState(0);
  const [shown, setShown] = useState<{ id: string; view: IncidentView } | undefined>(undefined);

  useEffect(() => {
    let current = true;
    loadIncident(lookup, id).then((result) => {
      if (current) {
        setShown({ id, view: incidentView(result, Date.now()) });
      }
    });
    return () => {
      current = false;
    };
  }, [lookup, id, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { view: shown?.id === id ? shown.view : LOADING, reload };
}
