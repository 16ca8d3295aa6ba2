import { parseRcaResult } from '../../datasource/rootCauses';
import { checkoutRcaJson } from '../../datasource/testing/reasoningFixtures';
import { ROOT_CAUSES_LOADING, rootCausesReducer, type RootCausesView } from './useRootCauses';

const rca = parseRcaResult(checkoutRcaJson(Date.parse('2026-11-23T22:00:00Z')), '/x');
const datasource = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };
const none: RootCausesView = { phase: 'data', rca: null, analyzing: false };

describe('rootCausesReducer', () => {
  it('goes from loading to the analysis, to none yet, or to the error in words', () => {
    expect(
      rootCausesReducer(ROOT_CAUSES_LOADING, { type: 'loaded', result: { state: 'ok', value: rca, datasource } })
    ).toEqual({
      phase: 'data',
      rca,
      analyzing: false,
    });
    expect(
      rootCausesReducer(ROOT_CAUSES_LOADING, { type: 'loaded', result: { state: 'ok', value: null, datasource } })
    ).toEqual(none);
    expect(
      rootCausesReducer(ROOT_CAUSES_LOADING, {
        type: 'loaded',
        result: { state: 'failed', message: 'down', datasource },
      })
    ).toEqual({ phase: 'error', message: 'down', datasource });
  });

  it('shows the analysis in flight, then its answer; a failure keeps the previous one and says why', () => {
    const analyzing = rootCausesReducer(none, { type: 'analyze' });
    expect(analyzing).toEqual({ ...none, analyzing: true, analyzeError: undefined, steps: undefined });
    const steps = [
      { name: 'context', state: 'done' as const },
      { name: 'perception', state: 'running' as const },
    ];
    expect(rootCausesReducer(analyzing, { type: 'progress', steps })).toEqual({ ...analyzing, steps });
    // A late report, after the analysis ended, changes nothing.
    expect(rootCausesReducer(none, { type: 'progress', steps })).toBe(none);
    expect(rootCausesReducer(analyzing, { type: 'analyzed', result: { state: 'ok', value: rca, datasource } })).toEqual(
      {
        phase: 'data',
        rca,
        analyzing: false,
      }
    );
    expect(
      rootCausesReducer(analyzing, { type: 'analyzed', result: { state: 'failed', message: 'LLM down', datasource } })
    ).toEqual({ ...none, analyzing: false, analyzeError: 'LLM down' });
    expect(rootCausesReducer(ROOT_CAUSES_LOADING, { type: 'analyze' })).toBe(ROOT_CAUSES_LOADING);
  });
});
