import { dateTime, type TimeRange } from '@grafana/data';
import {
  DEFAULT_URL_STATE,
  hasFilters,
  incidentsRequest,
  parseUrlState,
  shiftedTimes,
  timeRangeOf,
  urlTimes,
  writeUrlState,
  zoomedOutTimes,
} from './incidentsUrlState';

const params = (query: string) => new URLSearchParams(query);

function absolute(from: number, to: number): TimeRange {
  return { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
}

describe('Incidents page URL state', () => {
  it('defaults to the last 6 hours, a 30 s refresh and no filters', () => {
    expect(parseUrlState(params(''))).toEqual(DEFAULT_URL_STATE);
    expect(DEFAULT_URL_STATE).toMatchObject({ from: 'now-6h', to: 'now', refresh: '30s' });
    expect(writeUrlState(params(''), DEFAULT_URL_STATE).toString()).toBe('');
  });

  it('reads filters given repeated or comma-separated, dropping unknown statuses and severities', () => {
    const state = parseUrlState(
      params('status=open&status=bogus&severity=critical,high,,loud&service=checkout&service=payments,checkout')
    );
    expect(state.status).toEqual(['open']);
    expect(state.severity).toEqual(['critical', 'high']);
    expect(state.service).toEqual(['checkout', 'payments']);
    expect(hasFilters(state)).toBe(true);
    expect(hasFilters(DEFAULT_URL_STATE)).toBe(false);
  });

  it('writes filters, time and refresh, keeps other parameters and reads back the same state', () => {
    const state = {
      ...DEFAULT_URL_STATE,
      from: '1763931600000',
      to: '1763935200000',
      timezone: 'utc',
      refresh: '',
      severity: ['critical', 'high'],
      service: ['checkout'],
    };
    const written = writeUrlState(params('orgId=1&severity=info'), state);
    expect(written.toString()).toBe(
      'orgId=1&from=1763931600000&to=1763935200000&timezone=utc&refresh=off&severity=critical&severity=high&service=checkout'
    );
    expect(parseUrlState(written)).toEqual(state);
  });

  it('falls back to defaults for an invalid time range or refresh interval', () => {
    expect(parseUrlState(params('from=yesterday&to=now&refresh=often'))).toMatchObject({
      from: 'now-6h',
      to: 'now',
      refresh: '30s',
    });
    expect(parseUrlState(params('from=now-24h&to=now-1h&refresh=1m'))).toMatchObject({
      from: 'now-24h',
      to: 'now-1h',
      refresh: '1m',
    });
  });

  it('resolves the time range into the engine request in epoch milliseconds', () => {
    const fixed = parseUrlState(params('from=1763931600000&to=1763935200000&status=resolved&service=cart'));
    expect(incidentsRequest(fixed, 'utc')).toEqual({
      from: 1763931600000,
      to: 1763935200000,
      status: ['resolved'],
      severity: [],
      service: ['cart'],
    });

    const before = Date.now();
    const relative = incidentsRequest(DEFAULT_URL_STATE, 'utc');
    expect(relative.to).toBeGreaterThanOrEqual(before);
    // from and to are resolved one after the other: a millisecond may pass between them.
    expect(Math.abs((relative.to ?? 0) - (relative.from ?? 0) - 6 * 3_600_000)).toBeLessThan(50);
  });

  it('keeps a picked relative range relative and an absolute one as epoch milliseconds', () => {
    const relative = timeRangeOf({ ...DEFAULT_URL_STATE, from: 'now-1h' }, 'utc');
    expect(urlTimes(relative)).toEqual({ from: 'now-1h', to: 'now' });
    expect(urlTimes(absolute(1000, 5000))).toEqual({ from: '1000', to: '5000' });
  });

  it('moves by half the span and zooms out to twice the span, as Grafana does', () => {
    const range = absolute(10_000, 20_000);
    expect(shiftedTimes(range, -1)).toEqual({ from: '5000', to: '15000' });
    expect(shiftedTimes(range, 1)).toEqual({ from: '15000', to: '25000' });
    expect(zoomedOutTimes(range)).toEqual({ from: '5000', to: '25000' });
  });
});
