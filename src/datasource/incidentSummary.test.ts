import { parseIncident } from './incidents';
import {
  incidentDurationMs,
  isOngoing,
  joinReasons,
  ruleCounts,
  ruleLabel,
  statusLabel,
  topGroupingReason,
} from './incidentSummary';
import { checkoutIncidentJson, incidentListJson } from './testing/incidentFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

describe('incident summary', () => {
  it('names the grouping rules and statuses in words, keeping unknown ones as sent', () => {
    expect(ruleLabel('topology')).toBe('Topology');
    expect(ruleLabel('same-service')).toBe('Same service');
    expect(ruleLabel('embedding')).toBe('embedding');
    expect(statusLabel('firing')).toBe('Firing');
    expect(statusLabel('open')).toBe('Open');
    expect(statusLabel('resolving')).toBe('Resolving');
    expect(statusLabel('resolved')).toBe('Resolved');
    expect(isOngoing('resolving')).toBe(true);
    expect(isOngoing('resolved')).toBe(false);
  });

  it('measures ongoing incidents to now and ended ones to their end', () => {
    const checkout = parseIncident(checkoutIncidentJson(NOW));
    expect(incidentDurationMs(checkout, NOW)).toBe(42 * 60_000);
    expect(incidentDurationMs({ startsAt: '2026-11-23T20:00:00Z', endsAt: '2026-11-23T20:38:00Z' }, NOW)).toBe(
      38 * 60_000
    );
    expect(incidentDurationMs({ startsAt: '2026-11-23T23:00:00Z', endsAt: null }, NOW)).toBe(0);
  });

  it('counts joins per rule, most used first, ties broken by the best score', () => {
    const checkout = parseIncident(checkoutIncidentJson(NOW));
    expect(ruleCounts(checkout)).toEqual([
      { rule: 'topology', count: 2, bestScore: 0.86 },
      { rule: 'same-service', count: 1, bestScore: 1 },
      { rule: 'same-alert', count: 1, bestScore: 1 },
      { rule: 'text', count: 1, bestScore: 0.74 },
    ]);
    expect(topGroupingReason(checkout)).toBe('Topology (2 alerts)');
  });

  it('falls back to groupingReasons when the alerts were left out, and ignores the first alert', () => {
    const reasons = [
      { rule: 'first', score: 0, peer: null, detail: '' },
      { rule: 'labels', score: 0.7, peer: 'a@t', detail: 'shared cluster' },
    ];
    expect(joinReasons({ alerts: [], groupingReasons: reasons })).toEqual([reasons[1]]);
    expect(topGroupingReason({ alerts: [], groupingReasons: reasons })).toBe('Shared labels (1 alert)');
  });

  it('has no top reason for an incident of one alert', () => {
    const single = parseIncident(incidentListJson(NOW).incidents[2]);
    expect(single.alertCount).toBe(1);
    expect(topGroupingReason(single)).toBe('');
  });
});
