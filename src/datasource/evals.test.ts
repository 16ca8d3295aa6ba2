import { parseEvalsReport } from './evals';
import { emptyEvalsJson, evalsJson } from './testing/agentRunFixtures';

const NOW = Date.parse('2026-11-23T22:00:00Z');

describe('parseEvalsReport', () => {
  it('reads scores, thresholds, verdict, trend (oldest first) and worst runs', () => {
    const body = evalsJson(NOW);
    const report = parseEvalsReport({ ...body, trend: [...body.trend].reverse() });
    expect(report.scores.p95LatencyMs).toBe(3420);
    expect(report.thresholds).toEqual(body.thresholds);
    expect(report.verdict.findings.map((finding) => finding.advice)).toEqual([
      'optimise the retrieval path',
      'add indexes or improve tagging',
    ]);
    expect(report.trend.map((point) => point.time)).toEqual(body.trend.map((point) => Date.parse(point.time)));
    expect(report.worst).toHaveLength(3);
  });

  it('reads a range without analyses as no data', () => {
    const report = parseEvalsReport(emptyEvalsJson(NOW));
    expect(report.runs).toBe(0);
    expect(Object.values(report.scores).every((value) => value === null)).toBe(true);
    expect(report.verdict.status).toBe('no_data');
  });

  it('names what is missing in a body that is not the engine’s', () => {
    expect(() => parseEvalsReport({ verdict: {} })).toThrow('the body has no scores');
    expect(() => parseEvalsReport({ scores: {} })).toThrow('the body has no verdict');
  });
});
