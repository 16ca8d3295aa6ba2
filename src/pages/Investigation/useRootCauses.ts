import { useCallback, useEffect, useReducer, useState } from 'react';
import type { Incident } from '../../datasource/incidents';
import type { AnalysisStep, RcaResult } from '../../datasource/rootCauses';
import { type Change, loadChanges } from '../../services/changes';
import type { DatasourceLookup, EngineDatasource } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import { changesWindow } from '../../services/incidentTimeline';
import { loadAnalysisSteps, loadRca, runAnalysis } from '../../services/rootCauseAnalysis';

// How often the steps of an analysis in flight are read: often enough to see each step finish.
const PROGRESS_POLL_MS = 700;

/** The root cause section: the last analysis (null before the first), with an analysis in flight on top. */
export type RootCausesView =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  | { phase: 'data'; rca: RcaResult | null; analyzing: boolean; analyzeError?: string; steps?: AnalysisStep[] };

export type RootCausesEvent =
  | { type: 'load' }
  | { type: 'loaded'; result: EngineRead<RcaResult | null> }
  | { type: 'analyze' }
  | { type: 'progress'; steps: AnalysisStep[] }
  | { type: 'analyzed'; result: EngineRead<RcaResult> };

export const ROOT_CAUSES_LOADING: RootCausesView = { phase: 'loading' };

function fromRead(result: EngineRead<RcaResult | null>): RootCausesView {
  switch (result.state) {
    case 'ok':
      return { phase: 'data', rca: result.value, analyzing: false };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

/** A failed analysis keeps the previous one on screen and says why beside it. */
export function rootCausesReducer(view: RootCausesView, event: RootCausesEvent): RootCausesView {
  switch (event.type) {
    case 'load':
      return ROOT_CAUSES_LOADING;
    case 'loaded':
      return fromRead(event.result);
    case 'analyze':
      return view.phase === 'data' ? { ...view, analyzing: true, analyzeError: undefined, steps: undefined } : view;
    case 'progress':
      // A report that arrives after the analysis finished describes nothing on screen any more.
      return view.phase === 'data' && view.analyzing && event.steps.length > 0 ? { ...view, steps: event.steps } : view;
    case 'analyzed':
      if (view.phase !== 'data') {
        return view;
      }
      return event.result.state === 'ok'
        ? { phase: 'data', rca: event.result.value, analyzing: false }
        : {
            ...view,
            analyzing: false,
            analyzeError: event.result.state === 'failed' ? event.result.message : 'No IntelOps datasource to ask.',
          };
  }
}

/** Reads the incident's last analysis, and runs a new one on demand; `onAnalyzed` follows a successful one. */
export function useRootCauses(lookup: DatasourceLookup, incidentId: string, onAnalyzed?: () => void) {
  const [view, dispatch] = useReducer(rootCausesReducer, ROOT_CAUSES_LOADING);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    dispatch({ type: 'load' });
    loadRca(lookup, incidentId).then((result) => current && dispatch({ type: 'loaded', result }));
    return () => {
      current = false;
    };
  }, [lookup, incidentId, round]);

  const analyze = useCallback(() => {
    dispatch({ type: 'analyze' });
    let running = true;
    const poll = () =>
      loadAnalysisSteps(lookup, incidentId).then((result) => {
        if (running && result.state === 'ok') {
          dispatch({ type: 'progress', steps: result.value });
        }
      });
    const timer = setInterval(poll, PROGRESS_POLL_MS);
    poll();
    runAnalysis(lookup, incidentId).then((result) => {
      running = false;
      clearInterval(timer);
      dispatch({ type: 'analyzed', result });
      if (result.state === 'ok') {
        onAnalyzed?.();
      }
    });
  }, [lookup, incidentId, onAnalyzed]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { view, analyze, reload };
}

/** The changes around the incident, for the timeline: empty until read, and a sentence when they cannot be. */
export function useChanges(lookup: DatasourceLookup, incident: Incident, now: number) {
  const [state, setState] = useState<{ changes: Change[]; problem?: string }>({ changes: [] });
  const { from, to } = changesWindow(incident, now);
  const services = incident.services.join(',');
  useEffect(() => {
    let current = true;
    loadChanges(lookup, { from, to, services: services === '' ? [] : services.split(',') }).then((result) => {
      if (!current) {
        return;
      }
      setState(
        result.state === 'ok'
          ? { changes: result.value }
          : { changes: [], problem: result.state === 'failed' ? result.message : 'No IntelOps datasource.' }
      );
    });
    return () => {
      current = false;
    };
  }, [lookup, from, to, services]);
  return state;
}
