import { dateTime } from '@grafana/data';
import { anomaliesRequest, labelsText, parseAnomalies } from './anomalies';
import { anomaliesJson } from './testing/perceptionFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const range = { from: dateTime(NOW - 3_600_000), to: dateTime(NOW) };

describe('anomaliesRequest', () => {
  it('sends the PromQL, the range, the step in seconds and the baseline start', () => {
    expect(anomaliesRequest({ expr: ' up{job="shop"} ', step: '1m', baseline: '7d' }, range)).toEqual({
      query: 'up{job="shop"}',
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
      step: 60,
      baselineFrom: '2026-11-16T21:00:00.000Z',
    });
  });

  it('leaves the step and baseline to the engine when empty', () => {
    expect(anomaliesRequest({ expr: 'up' }, range)).toEqual({
      query: 'up',
      from: '2026-11-23T21:00:00.000Z',
      to: '2026-11-23T22:00:00.000Z',
    });
  });
});

describe('parseAnomalies', () => {
  it('reads each series with its band, score, direction and onset', () => {
    const { step, series } = parseAnomalies(anomaliesJson(NOW));
    expect(step).toBe(60);
    expect(series.map((s) => [s.name, s.score, s.direction, s.anomalous])).toEqual([
      ['checkout p99 latency', 0.86, 'up', true],
      ['cart request rate', 0.08, 'none', false],
    ]);
    expect(series[0]?.onset).toBe(new Date(NOW - 42 * 60_000).toISOString());
    expect(series[0]?.values[30]).toBeNull();
    expect(series[0]?.timestamps).toHaveLength(60);
  });

  it('lines the columns up with the timestamps and names an unnamed series by its labels', () => {
    const { series } = parseAnomalies({
      step: 30,
      series: [{ labels: { job: 'api' }, timestamps: [1, 2, 3], values: [1, 'x'], lower: [0, 0, 0, 0], upper: null }],
    });
    expect(series[0]).toMatchObject({
      name: '{job="api"}',
      values: [1, null, null],
      lower: [0, 0, 0],
      upper: [null, null, null],
      direction: 'none',
      onset: null,
      anomalous: false,
    });
  });

  it('refuses a body without series or with unreadable timestamps', () => {
    expect(() => parseAnomalies({ data: [] })).toThrow(/no series list/);
    expect(() => parseAnomalies({ series: [{ timestamps: ['now'] }] })).toThrow(/timestamp that is not a number/);
  });

  it('prints labels as Prometheus does', () => {
    expect(labelsText({ a: '1', b: 'x' })).toBe('{a="1", b="x"}');
    expect(labelsText({})).toBe('');
  });
});
