import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '../observability/metrics.ts';
import { openTracing } from '../observability/tracing/openTracing.ts';
import type { EngineTracing } from '../observability/tracing/openTracing.ts';
import { CHANGE_ID, NOW, analysisFixture } from '../observability/tracing/testing/analysisFixture.ts';
import type { AnalysisFixture } from '../observability/tracing/testing/analysisFixture.ts';
import { llmResolver } from '../reasoning/llm/llmFromSettings.ts';
import { evalThresholds } from '../settings/evalsSettings.ts';
import { latestRunOf } from '../store/agentRuns.ts';
import { saveSettings } from '../store/settings.ts';
import { testLlmConfig } from '../testing/openaiServer.ts';
import { evalsReport } from './evalsReport.ts';
import { OnlineEvals } from './onlineEvals.ts';

/** The whole loop on the real RcaService and tracing: analysis → recorded run → metrics → judge → verdict → evals. */
describe('online evals of a traced analysis', () => {
  let fixture: AnalysisFixture;
  let tracing: EngineTracing;
  let evals: OnlineEvals;
  const metrics = createMetrics();

  before(async () => {
    fixture = await analysisFixture();
    await saveSettings(fixture.store, { evals: { judgeSampleRate: 1 } });
    // The tracing calls the evals back and the evals trace their judge: the hooks close over the evals made after.
    tracing = openTracing({
      store: fixture.store,
      logger: fixture.logger,
      version: 'test',
      onRunRecorded: (run, spans) => evals.onRunRecorded(run, spans),
      costOf: (model, input, output) => evals.costOf(model, input, output),
      env: {},
    });
    evals = new OnlineEvals({
      store: fixture.store,
      metrics: metrics.ai,
      logger: fixture.logger,
      llm: llmResolver({ llm: testLlmConfig(fixture.llm.baseUrl), llmApiKey: undefined }, fixture.logger),
      configuredModels: ['gpt-test'],
      tracing,
      clock: () => NOW,
    });
    await evals.start();
  });
  after(async () => {
    // Judgements in flight end (and their runs are traced) before the tracing flushes and closes.
    await evals.close();
    await tracing.close();
    await fixture.close();
  });

  it('judges the analysis against the deploy it cites, counts it, and scores the person’s verdict', async () => {
    fixture.scriptAnalysis();
    fixture.llm.enqueue({
      content: JSON.stringify({
        faithfulness: 0.75,
        verdict: 'partially_faithful',
        unsupported: ['checkout: the errors are not shown'],
      }),
    });
    const service = fixture.service(tracing);
    const result = await service.analyze(fixture.incident);
    assert.equal(result.method, 'llm');
    await tracing.flush();
    await evals.idle();
    await tracing.flush();

    const run = await latestRunOf(fixture.store, fixture.incident.id, 'analyze');
    assert.equal(run?.id, result.traceId);
    assert.deepEqual(run?.judge && { ...run.judge, at: undefined }, {
      faithfulness: 0.75,
      verdict: 'partially_faithful',
      unsupported: ['checkout: the errors are not shown'],
      model: 'gpt-test',
      at: undefined,
    });
    const judgePrompt = JSON.stringify(fixture.llm.chatRequests().at(-1)?.body['messages']);
    assert.match(judgePrompt, new RegExp(`cited \\[${CHANGE_ID}\\]: deploy service=checkout`));
    assert.match(judgePrompt, /The deploy preceded the error rise/);

    const text = await metrics.registry.metrics();
    assert.match(text, /^intelops_agent_runs_total\{kind="analyze",status="ok"\} 1$/m);
    assert.match(text, /^intelops_agent_runs_total\{kind="judge",status="ok"\} 1$/m);
    assert.match(
      text,
      /^gen_ai_client_operation_duration_seconds_count\{gen_ai_operation_name="chat",gen_ai_request_model="gpt-test"\} 3$/m
    );
    assert.match(text, /^intelops_retrieval_queries_total\{hit="(true|false)"\} 1$/m);
    assert.match(text, /^intelops_eval_judge_total\{outcome="ok"\} 1$/m);

    await service.feedback(fixture.incident, {
      service: 'checkout',
      verdict: 'confirm',
      by: 'ana',
      comment: undefined,
      remediation: 'rolled back',
    });
    const judged = await latestRunOf(fixture.store, fixture.incident.id, 'analyze');
    assert.deepEqual(judged?.human && { ...judged.human, at: undefined }, {
      verdict: 'confirm',
      service: 'checkout',
      rank: 1,
      by: 'ana',
      at: undefined,
    });

    const report = await evalsReport(fixture.store, {
      from: new Date(NOW.getTime() - 86_400_000),
      to: new Date(Date.now() + 60_000),
      thresholds: evalThresholds(undefined),
    });
    assert.equal(report.runs, 1);
    assert.equal(report.scores.accuracy, 1);
    assert.equal(report.scores.faithfulness, 0.75);
    assert.equal(report.counts.judged, 1);
    assert.ok(report.counts.citationsDropped >= 1, 'the guard dropped the cause citing unknown evidence');
  });
});
