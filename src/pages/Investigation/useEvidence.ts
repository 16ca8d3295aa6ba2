import { useCallback, useEffect, useReducer } from 'react';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import { collectEvidence, type EvidenceRead, loadEvidence } from '../../services/evidence';
import type { EngineRead } from '../../services/incidents';

/** What the evidence section shows; `collecting` and `collectError` sit on top of the data. */
export type EvidenceView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | { phase: 'data'; read: EvidenceRead; collecting: boolean; collectError?: string };

export type EvidenceEvent =
  | { type: 'load' }
  | { type: 'loaded'; result: EngineRead<EvidenceRead> }
  | { type: 'collect' }
  | { type: 'collected'; result: EngineRead<EvidenceRead> };

export const EVIDENCE_LOADING: EvidenceView = { phase: 'loading' };

function fromRead(result: EngineRead<EvidenceRead>): EvidenceView {
  switch (result.state) {
    case 'ok':
      return { phase: 'data', read: result.value, collecting: false };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

/** The section's states: a failed collection keeps the evidence already shown and says why beside it. */
export function evidenceReducer(view: EvidenceView, event: EvidenceEvent): EvidenceView {
  switch (event.type) {
    case 'load':
      return EVIDENCE_LOADING;
    case 'loaded':
      return fromRead(event.result);
    case 'collect':
      return view.phase === 'data' ? { ...view, collecting: true, collectError: undefined } : view;
    case 'collected':
      if (event.result.state === 'ok' || view.phase !== 'data') {
        return fromRead(event.result);
      }
      return {
        ...view,
        collecting: false,
        collectError: event.result.state === 'failed' ? event.result.message : 'No IntelOps datasource to ask.',
      };
  }
}

/** Reads the incident's evidence, and collects it again on demand. */
export function useEvidence(lookup: DatasourceLookup, incidentId: string) {
  const [view, dispatch] = useReducer(evidenceReducer, EVIDENCE_LOADING);

  useEffect(() => {
    let current = true;
    dispatch({ type: 'load' });
    loadEvidence(lookup, incidentId).then((result) => {
      if (current) {
        dispatch({ type: 'loaded', result });
      }
    });
    return () => {
      current = false;
    };
  }, [lookup, incidentId]);

  const collect = useCallback(() => {
    dispatch({ type: 'collect' });
    collectEvidence(lookup, incidentId).then((result) => dispatch({ type: 'collected', result }));
  }, [lookup, incidentId]);

  const reload = useCallback(() => {
    dispatch({ type: 'load' });
    loadEvidence(lookup, incidentId).then((result) => dispatch({ type: 'loaded', result }));
  }, [lookup, incidentId]);

  return { view, collect, reload };
}
