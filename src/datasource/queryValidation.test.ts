import { durationMs, EMPTY_EXPR, EMPTY_SELECTOR, problemFor, queryProblems } from './queryValidation';

describe('durationMs', () => {
  it('reads Grafana durations, and says when it cannot', () => {
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs(' 1h ')).toBe(3_600_000);
    expect(durationMs('7d')).toBe(7 * 86_400_000);
    expect(durationMs('')).toBeUndefined();
    expect(durationMs(undefined)).toBeUndefined();
    expect(durationMs('soon')).toBeNull();
    expect(durationMs('0s')).toBeNull();
  });
});

describe('queryProblems', () => {
  it('asks for a selector or services in a Log templates query', () => {
    expect(queryProblems({ refId: 'A', queryType: 'logTemplates' })).toEqual([
      { field: 'selector', message: EMPTY_SELECTOR },
    ]);
    expect(queryProblems({ refId: 'A', queryType: 'logTemplates', selector: '{app="shop"}' })).toEqual([]);
    expect(queryProblems({ refId: 'A', queryType: 'logTemplates', service: 'checkout' })).toEqual([]);
  });

  it('asks for PromQL in an Anomalies query and names an unreadable step or baseline', () => {
    const problems = queryProblems({ refId: 'A', queryType: 'anomalies', step: 'fast', baseline: '1 week' });
    expect(problemFor(problems, 'expr')).toBe(EMPTY_EXPR);
    expect(problemFor(problems, 'step')).toBe('"fast" is not a duration: write one such as 30s or 1m.');
    expect(problemFor(problems, 'baseline')).toBe('"1 week" is not a duration: write one such as 1h or 1d.');
  });

  it('leaves text holding a variable to be checked after interpolation', () => {
    expect(queryProblems({ refId: 'A', queryType: 'anomalies', expr: 'up', step: '$__interval' })).toEqual([]);
  });

  it('has nothing to say about the other query types', () => {
    expect(queryProblems({ refId: 'A', queryType: 'incidents' })).toEqual([]);
    expect(queryProblems({ refId: 'A' })).toEqual([]);
  });

  it('checks the kind of an Agent run or Agent runs query once variables are replaced', () => {
    expect(queryProblems({ refId: 'A', queryType: 'agentRun' })).toEqual([]);
    expect(queryProblems({ refId: 'A', queryType: 'agentRun', incidentId: '$incident', kind: '$kind' })).toEqual([]);
    expect(queryProblems({ refId: 'A', queryType: 'agentRuns', kind: 'judge' })).toEqual([]);
    expect(queryProblems({ refId: 'A', queryType: 'agentRuns', kind: 'judges' })[0]?.field).toBe('kind');
  });
});
