import { act, renderHook, waitFor } from '@testing-library/react';
import type { FakeReply } from '../../datasource/testing/fakeEngineFetch';
import { incidentListJson } from '../../datasource/testing/incidentFixtures';
import { fakeDatasourceLookup, intelOpsSettings } from '../../services/testing/fakeDatasources';
import { DEFAULT_URL_STATE, type IncidentsUrlState } from './incidentsUrlState';
import { nextView, refreshIntervalMs, requestKey, useIncidents } from './useIncidents';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const FIXED = { ...DEFAULT_URL_STATE, from: String(NOW - 3_600_000), to: String(NOW) };

function engine(initial: FakeReply) {
  let reply = initial;
  const lookup = fakeDatasourceLookup([
    { settings: intelOpsSettings('ds', 'IntelOps', 'http://engine:8686'), reply: () => reply },
  ]);
  return {
    lookup,
    answer: (next: FakeReply) => {
      reply = next;
    },
  };
}

const listOf = (count: number): FakeReply => ({
  status: 200,
  data: { incidents: incidentListJson(NOW).incidents.slice(0, count) },
});

function renderIncidents(lookup: ReturnType<typeof engine>['lookup'], state: IncidentsUrlState) {
  return renderHook(
    (props: { state: IncidentsUrlState }) => useIncidents({ lookup, state: props.state, timeZone: 'utc' }),
    {
      initialProps: { state },
    }
  );
}

describe('useIncidents', () => {
  afterEach(() => jest.useRealTimers());

  it('shows loading, then the incidents read for the URL state', async () => {
    const { lookup } = engine(listOf(5));
    const { result } = renderIncidents(lookup, { ...FIXED, severity: ['critical'] });
    expect(result.current.view).toEqual({ phase: 'loading' });

    await waitFor(() => expect(result.current.view.phase).toBe('data'));
    const view = result.current.view;
    expect(view.phase === 'data' && view.incidents.map((i) => i.id)).toEqual([
      'inc-7f3a9c',
      'inc-2b81d0',
      'inc-5c02ee',
      'inc-91aa47',
      'inc-d40f13',
    ]);
    expect(view.phase === 'data' && view.datasource.engineUrl).toBe('http://engine:8686');
    expect(lookup.requests.map((r) => r.params)).toEqual([{ from: NOW - 3_600_000, to: NOW, severity: 'critical' }]);
  });

  it('keeps the list on screen during a refresh and when a refresh fails', async () => {
    const { lookup, answer } = engine(listOf(2));
    const { result } = renderIncidents(lookup, FIXED);
    await waitFor(() => expect(result.current.view.phase).toBe('data'));

    answer(listOf(3));
    act(() => result.current.refresh());
    expect(result.current.refreshing).toBe(true);
    expect(result.current.view.phase).toBe('data');
    await waitFor(() => expect(result.current.refreshing).toBe(false));
    expect(result.current.view.phase === 'data' && result.current.view.incidents).toHaveLength(3);

    answer({ status: 502, data: '' });
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.refreshing).toBe(false));
    const view = result.current.view;
    expect(view.phase === 'data' && view.incidents).toHaveLength(3);
    expect(view.phase === 'data' && view.refreshError).toBe(
      'Grafana could not reach the engine at http://engine:8686: check the URL and that the engine runs.'
    );
  });

  it('shows loading again for new filters and reads with them', async () => {
    const { lookup, answer } = engine(listOf(5));
    const { result, rerender } = renderIncidents(lookup, FIXED);
    await waitFor(() => expect(result.current.view.phase).toBe('data'));

    answer(listOf(1));
    rerender({ state: { ...FIXED, service: ['checkout'] } });
    expect(result.current.view).toEqual({ phase: 'loading' });
    await waitFor(() => expect(result.current.view.phase === 'data' && result.current.view.incidents).toHaveLength(1));
    expect(lookup.requests[1].params).toEqual({ from: NOW - 3_600_000, to: NOW, service: 'checkout' });
  });

  it('does not read again when only the refresh interval changes', async () => {
    const { lookup } = engine(listOf(1));
    const { result, rerender } = renderIncidents(lookup, FIXED);
    await waitFor(() => expect(result.current.view.phase).toBe('data'));
    rerender({ state: { ...FIXED, refresh: '1m' } });
    expect(result.current.view.phase).toBe('data');
    expect(lookup.requests).toHaveLength(1);
  });

  it('shows the error in words when the first read fails', async () => {
    const { lookup } = engine({ status: 401, data: { message: 'invalid token' } });
    const { result } = renderIncidents(lookup, FIXED);
    await waitFor(() => expect(result.current.view.phase).toBe('error'));
    expect(result.current.view).toEqual({
      phase: 'error',
      message: 'The engine rejected the token: set the engine token in the datasource settings.',
      datasource: { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' },
    });
  });

  it('reads again on the refresh interval, and not at all when refresh is off', async () => {
    jest.useFakeTimers();
    const { lookup } = engine(listOf(1));
    const { result, rerender } = renderIncidents(lookup, { ...FIXED, refresh: '30s' });
    await waitFor(() => expect(result.current.view.phase).toBe('data'));
    expect(lookup.requests).toHaveLength(1);

    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    await waitFor(() => expect(lookup.requests).toHaveLength(2));

    rerender({ state: { ...FIXED, refresh: '' } });
    await act(async () => {
      jest.advanceTimersByTime(120_000);
    });
    expect(lookup.requests).toHaveLength(2);
  });
});

describe('incident list view rules', () => {
  const datasource = { uid: 'ds', name: 'IntelOps', engineUrl: 'http://engine:8686' };

  it('replaces an error or loading with the list, and a list with the error only on a new request', () => {
    const ok = { state: 'ok' as const, value: { incidents: [], truncated: true }, datasource };
    expect(nextView(undefined, ok, 5)).toEqual({
      phase: 'data',
      incidents: [],
      truncated: true,
      datasource,
      loadedAt: 5,
    });
    const failed = { state: 'failed' as const, message: 'down', datasource };
    expect(nextView(undefined, failed, 6)).toEqual({ phase: 'error', message: 'down', datasource });
    const shown = nextView(undefined, ok, 5);
    expect(nextView(shown, failed, 6)).toEqual({ ...shown, refreshError: 'down' });
    expect(nextView(shown, { state: 'no-datasource' }, 6)).toEqual({ phase: 'no-datasource' });
  });

  it('tells requests apart by what they read, not by the refresh interval', () => {
    expect(requestKey({ ...FIXED, refresh: '1m' })).toBe(requestKey({ ...FIXED, refresh: '' }));
    expect(requestKey({ ...FIXED, status: ['open'] })).not.toBe(requestKey(FIXED));
    expect(refreshIntervalMs('30s')).toBe(30_000);
    expect(refreshIntervalMs('')).toBe(0);
  });
});
