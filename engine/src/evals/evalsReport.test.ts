import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import { evalThresholds } from '../settings/evalsSettings.ts';
import { alertCompression } from '../store/evals.ts';
import { agentRunRecord, insertRuns } from '../testing/agentRuns.ts';
import { sharedPgliteStore } from '../testing/stores.ts';
import { evalsReport } from './evalsReport.ts';

const store = sharedPgliteStore();
const FROM = new Date('2026-11-20T00:00:00Z');
const TO = new Date('2026-11-21T00:00:00Z');

function at(hours: number): Date {
  return new Date(FROM.getTime() + hours * 3_600_000);
}

const run = (overrides: Partial<AgentRunRecord>): AgentRunRecord => agentRunRecord({ startedAt: at(1), ...overrides });
const insert = (...runs: AgentRunRecord[]) => insertRuns(store(), ...runs);

const judged = (faithfulness: number) => ({
  faithfulness,
  verdict: faithfulness > 0.8 ? ('faithful' as const) : ('unfaithful' as const),
  unsupported: [],
  model: 'judge',
  at: '2026-11-20T12:00:00Z',
});
const human = (verdict: 'confirm' | 'reject', rank: number | null) => ({
  verdict,
  service: 'checkout',
  rank,
  by: 'ana',
  at: '2026-11-20T12:00:00Z',
});

describe('evalsReport', () => {
  beforeEach(async () => {
    await store().query('delete from agent_runs');
  });

  it('says no_data, with null scores and an empty trend, when no run is in the window', async () => {
    await insert(run({ startedAt: new Date('2026-11-19T23:59:59Z') }), run({ startedAt: TO }));
    const report = await evalsReport(store(), { from: FROM, to: TO, thresholds: evalThresholds(undefined) });
    assert.equal(report.runs, 0);
    assert.equal(report.verdict.status, 'no_data');
    assert.deepEqual(report.scores, {
      p95LatencyMs: null,
      errorRate: null,
      ttftMs: null,
      retrievalHitRate: null,
      hallucinationRate: null,
      accuracy: null,
      faithfulness: null,
    });
    assert.equal(report.trend.length, 48);
    assert.ok(report.trend.every((point) => point.runs === 0 && point.p95LatencyMs === null));
    assert.deepEqual(report.worst, []);
  });

  it('computes each score over what it is a rate of, and the counts behind them', async () => {
    // 20 analyses of 100…2000 ms, two asks (one failed), one workflow still running (not counted).
    const analyses = Array.from({ length: 20 }, (_, index) =>
      run({
        startedAt: at(1 + index * 0.5),
        durationMs: (index + 1) * 100,
        ttftMs: index < 3 ? [200, 400, 900][index] : null,
        retrievalHit: index < 10 ? index < 6 : null,
        citations: index < 4 ? 5 : 0,
        citationsDropped: index === 0 ? 2 : 0,
        judge: index < 2 ? judged(index === 0 ? 0.5 : 0.9) : null,
        human:
          index === 5
            ? human('confirm', 1)
            : index === 6
              ? human('confirm', null)
              : index === 7
                ? human('reject', 2)
                : null,
      })
    );
    await insert(
      ...analyses,
      run({ kind: 'ask', status: 'error', error: 'LLM timed out', startedAt: at(3), durationMs: 30_000, method: null }),
      run({ kind: 'ask', startedAt: at(4), durationMs: 50, method: null }),
      run({ kind: 'workflow', status: 'running', startedAt: at(5), durationMs: null, method: null })
    );
    const report = await evalsReport(store(), { from: FROM, to: TO, thresholds: evalThresholds(undefined) });
    assert.equal(report.runs, 20);
    assert.deepEqual(report.counts, {
      runs: 22,
      errors: 1,
      judged: 2,
      verdicts: 3,
      citations: 20,
      citationsDropped: 2,
      retrievals: 10,
    });
    // percentile_cont over 100…2000: 1900 + 0.05 × 100.
    assert.equal(report.scores.p95LatencyMs, 1905);
    assert.equal(report.scores.errorRate, 1 / 22);
    assert.equal(report.scores.ttftMs, 400);
    assert.equal(report.scores.retrievalHitRate, 0.6);
    assert.equal(report.scores.hallucinationRate, 0.1);
    assert.equal(report.scores.accuracy, 1 / 3, 'only a confirmation of a cause the run listed counts');
    assert.equal(report.scores.faithfulness, 0.7);
    assert.equal(report.verdict.status, 'attention');
    assert.deepEqual(
      report.verdict.findings.map((finding) => finding.metric),
      ['retrievalHitRate', 'accuracy', 'faithfulness']
    );
  });

  it('buckets the trend by round steps and puts each run in its bucket', async () => {
    await insert(
      run({ startedAt: new Date('2026-11-20T10:05:00Z'), durationMs: 4000, retrievalHit: false }),
      run({ startedAt: new Date('2026-11-20T10:25:00Z'), durationMs: 2000, retrievalHit: true }),
      run({
        startedAt: new Date('2026-11-20T10:35:00Z'),
        durationMs: 1000,
        status: 'error',
        error: 'boom',
        method: null,
      })
    );
    const report = await evalsReport(store(), { from: FROM, to: TO, thresholds: evalThresholds(undefined) });
    assert.equal(report.stepMs, 30 * 60_000);
    assert.equal(report.trend.length, 48);
    const tenAm = report.trend.find((point) => point.time.toISOString() === '2026-11-20T10:00:00.000Z');
    const halfPast = report.trend.find((point) => point.time.toISOString() === '2026-11-20T10:30:00.000Z');
    assert.deepEqual(tenAm && { ...tenAm, time: undefined }, {
      time: undefined,
      runs: 2,
      p95LatencyMs: 3900,
      errorRate: 0,
      retrievalHitRate: 0.5,
      hallucinationRate: null,
      accuracy: null,
    });
    assert.equal(halfPast?.runs, 1);
    assert.equal(halfPast?.errorRate, 1);
    assert.equal(
      report.trend.reduce((sum, point) => sum + point.runs, 0),
      3
    );
  });

  it('lists the worst runs: failures newest first, then unfaithful analyses, then the slowest', async () => {
    const failedEarly = run({ kind: 'ask', status: 'error', error: 'a', startedAt: at(1), method: null });
    const failedLate = run({ status: 'error', error: 'b', startedAt: at(2), method: null });
    const unfaithful = run({ judge: judged(0.3), durationMs: 500 });
    const shaky = run({ judge: judged(0.6), durationMs: 400 });
    const slow = run({ durationMs: 9000, judge: judged(0.95) });
    const quick = run({ durationMs: 100 });
    const fineAsk = run({ kind: 'ask', durationMs: 60_000, method: null });
    await insert(quick, slow, shaky, unfaithful, failedLate, failedEarly, fineAsk);
    const report = await evalsReport(store(), { from: FROM, to: TO, thresholds: evalThresholds(undefined) });
    assert.deepEqual(
      report.worst.map((one) => one.id),
      [failedLate.id, failedEarly.id, unfaithful.id, shaky.id, slow.id, quick.id],
      'asks that went well are not among the worst'
    );
    assert.deepEqual(report.worst[2]?.judge, unfaithful.judge);
  });

  it('keeps the worst list to ten', async () => {
    await insert(...Array.from({ length: 14 }, (_, index) => run({ durationMs: index * 100 })));
    const report = await evalsReport(store(), { from: FROM, to: TO, thresholds: evalThresholds(undefined) });
    assert.equal(report.worst.length, 10);
    assert.equal(report.worst[0]?.durationMs, 1300);
  });
});

describe('alertCompression', () => {
  it('counts the alerts received (redeliveries included) and the incidents opened since a time', async () => {
    const since = new Date('2026-11-20T00:00:00Z');
    await store().query(
      `insert into incidents (id, title, severity, status, services, starts_at, quiet_since, alert_count, updated_at)
       values ('inc-a', 'a', 'critical', 'open', '{}', '2026-11-20T01:00:00Z', now(), 3, now()),
              ('inc-old', 'old', 'critical', 'resolved', '{}', '2026-11-18T01:00:00Z', now(), 1, now())`
    );
    await store().query(
      `insert into alerts (fingerprint, starts_at, status, source, labels, annotations, title, severity, incident_id, first_received, last_received, deliveries)
       values ('f1', '2026-11-20T01:00:00Z', 'firing', 'generic', '{}', '{}', 't', 'critical', 'inc-a', now(), now(), 5),
              ('f2', '2026-11-20T01:01:00Z', 'firing', 'generic', '{}', '{}', 't', 'critical', 'inc-a', now(), now(), 3),
              ('f3', '2026-11-18T01:00:00Z', 'firing', 'generic', '{}', '{}', 't', 'critical', 'inc-old', now(), now(), 1)`
    );
    assert.deepEqual(await alertCompression(store(), since), { alerts: 8, incidents: 1 });
  });
});
