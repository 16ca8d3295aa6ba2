import { parseIncident } from '../datasource/incidents';
import { checkoutIncidentJson } from '../datasource/testing/incidentFixtures';
import { checkoutEvidenceJson } from '../datasource/testing/perceptionFixtures';
import { changesJson } from '../datasource/testing/reasoningFixtures';
import { parseChanges } from './changes';
import { parseIncidentEvidence } from './evidence';
import { changesWindow, timelineEntries, timelineRange } from './incidentTimeline';

const NOW = Date.parse('2026-11-23T22:00:00Z');
const MINUTE = 60_000;
const incident = parseIncident(checkoutIncidentJson(NOW));

describe('timelineEntries', () => {
  it('puts the changes, anomaly onsets and alerts in time order', () => {
    const entries = timelineEntries(
      incident,
      parseChanges(changesJson(NOW)),
      parseIncidentEvidence(checkoutEvidenceJson(NOW), '/x').evidence
    );
    expect(entries.map((e) => [e.lane, (NOW - e.at) / MINUTE])).toEqual([
      ['change', 70],
      ['change', 44],
      ['alert', 42],
      ['anomaly', 42],
      ['alert', 41],
      ['anomaly', 41],
      ['alert', 40],
      ['alert', 39],
      ['alert', 37],
      ['alert', 35],
    ]);
    expect(entries[1]).toMatchObject({
      title: 'deploy: checkout v2.4.1',
      service: 'checkout',
      url: 'https://ci.example.com/checkout/pipelines/4f2c',
    });
    expect(entries[3]).toMatchObject({ title: 'checkout p99 latency rose from 0.45 s to 2.3 s', service: 'checkout' });
  });

  it('has a range around the entries, and none without entries', () => {
    const range = timelineRange(timelineEntries(incident, [], []));
    expect(range).toEqual({ from: NOW - 42 * MINUTE - 60_000, to: NOW - 35 * MINUTE + 60_000 });
    expect(timelineRange([])).toBeUndefined();
  });

  it('reads changes from 2 h before the incident to now while it is open', () => {
    expect(changesWindow(incident, NOW)).toEqual({ from: NOW - 42 * MINUTE - 2 * 60 * MINUTE, to: NOW });
  });
});
