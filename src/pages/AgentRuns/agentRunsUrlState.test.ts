import { agentRunsRequest, parseAgentRunsUrl, runsRequestKey, writeAgentRunsUrl } from './agentRunsUrlState';

describe('the Agent runs page URL', () => {
  it('reads filters, the open run and the time range, dropping what the engine would refuse', () => {
    const state = parseAgentRunsUrl(
      new URLSearchParams('kind=judge&status=nope&incident=inc-1&run=r1&from=now-2h&to=now&refresh=bad')
    );
    expect(state).toEqual({
      from: 'now-2h',
      to: 'now',
      timezone: '',
      refresh: '',
      kind: 'judge',
      status: '',
      incident: 'inc-1',
      run: 'r1',
    });
    expect(parseAgentRunsUrl(new URLSearchParams('from=yesterday')).from).toBe('now-24h');
  });

  it('writes only what differs from the defaults, keeping other parameters', () => {
    const state = parseAgentRunsUrl(new URLSearchParams(''));
    expect(
      writeAgentRunsUrl(new URLSearchParams('orgId=1'), { ...state, incident: 'inc-1', refresh: '30s' }).toString()
    ).toBe('orgId=1&refresh=30s&incident=inc-1');
  });

  it('asks the engine for the resolved range and filters; opening a run does not read the list again', () => {
    const state = parseAgentRunsUrl(new URLSearchParams('from=1000&to=2000&kind=analyze'));
    expect(agentRunsRequest(state, 'utc')).toEqual({ from: 1000, to: 2000, kind: 'analyze' });
    expect(runsRequestKey({ ...state, run: 'r1' })).toBe(runsRequestKey(state));
  });
});
