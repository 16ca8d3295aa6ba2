import { FieldType } from '@grafana/data';
import { parseAnomalies } from './anomalies';
import { anomalyFrame, anomalyFrames, anomalyNotice, bandNames, onsetText } from './anomaliesFrame';
import { anomaliesJson } from './testing/perceptionFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const HOUR = 3_600_000;
const series = parseAnomalies(anomaliesJson(NOW)).series;

function first() {
  const one = series[0];
  if (!one) {
    throw new Error('no series in the fixture');
  }
  return one;
}

describe('anomalyFrame', () => {
  it('holds the series and its expected band over the same timestamps, named after the series', () => {
    const frame = anomalyFrame(first(), 'A', 'utc', HOUR);
    expect(frame.name).toBe('checkout p99 latency');
    expect(frame.refId).toBe('A');
    expect(frame.length).toBe(60);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['time', FieldType.time],
      ['value', FieldType.number],
      ['lower', FieldType.number],
      ['upper', FieldType.number],
    ]);
    const [, value, lower, upper] = frame.fields;
    expect(value?.config.displayNameFromDS).toBe('checkout p99 latency');
    expect(value?.labels).toEqual({ service: 'checkout' });
    expect(value?.values[30]).toBeNull();
    expect(lower?.values[0]).toBe(0.31);
    expect(upper?.values[0]).toBe(0.6);
  });

  it('fills between the band edges and keeps them out of the legend', () => {
    const [, , lower, upper] = anomalyFrame(first(), 'A', 'utc', HOUR).fields;
    const names = bandNames(first());
    expect(lower?.config.displayNameFromDS).toBe(names.lower);
    expect(upper?.config.displayNameFromDS).toBe(names.upper);
    expect(upper?.config.custom).toMatchObject({ fillBelowTo: names.lower, lineWidth: 0, fillOpacity: 15 });
    expect(lower?.config.custom).toMatchObject({
      lineWidth: 0,
      hideFrom: { legend: true, tooltip: false, viz: false },
    });
    expect(upper?.config.custom?.hideFrom).toEqual({ legend: true, tooltip: false, viz: false });
  });

  it('carries the score, direction and onset, and says in a notice since when the series is anomalous', () => {
    const frame = anomalyFrame(first(), 'A', 'utc', HOUR);
    expect(frame.meta?.custom).toEqual({
      score: 0.86,
      direction: 'up',
      onset: '2026-11-23T21:18:00.000Z',
      anomalous: true,
    });
    expect(frame.meta?.notices).toEqual([
      { severity: 'warning', text: 'checkout p99 latency: anomalous since 21:18 (score 0.86, up)' },
    ]);
    expect(anomalyFrame(series[1] ?? first(), 'A', 'utc', HOUR).meta?.notices).toEqual([]);
  });

  it('puts anomalous series first, then by score', () => {
    const reversed = [...series].reverse();
    expect(anomalyFrames(reversed, 'A', 'utc', HOUR).map((f) => f.name)).toEqual([
      'checkout p99 latency',
      'cart request rate',
    ]);
  });
});

describe('onset text', () => {
  it('shows the clock time in the dashboard time zone, with the date for ranges over a day', () => {
    expect(onsetText('2026-11-23T21:18:00Z', 'utc', HOUR)).toBe('21:18');
    expect(onsetText('2026-11-23T21:18:00Z', 'Europe/Berlin', HOUR)).toBe('22:18');
    expect(onsetText('2026-11-23T21:18:00Z', 'utc', 2 * 86_400_000)).toBe('Nov 23 21:18');
  });

  it('leaves out what it does not know', () => {
    expect(anomalyNotice({ ...first(), onset: null, direction: 'none' }, 'utc', HOUR)).toBe(
      'checkout p99 latency: anomalous (score 0.86)'
    );
  });
});
