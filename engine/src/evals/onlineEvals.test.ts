import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { openTracing } from '../observability/tracing/openTracing.ts';
import type { EngineMetrics } from '../observability/metrics.ts';
import { logEvidence, metricEvidence } from '../reasoning/llm/testFixtures.ts';
import { createLlmClient } from '../reasoning/llm/client.ts';
import type { LlmChoice } from '../reasoning/llm/llmFromSettings.ts';
import type { RcaResult, SemanticPayload } from '../reasoning/rootCause.ts';
import type { Settings } from '../settings/settings.ts';
import { listAgentRuns, loadAgentRun } from '../store/agentRuns.ts';
import { saveChanges } from '../store/changes.ts';
import { saveEvidence } from '../store/evidence.ts';
import { saveRca } from '../store/rca.ts';
import { saveSettings } from '../store/settings.ts';
import { agentRunRecord, insertRuns } from '../testing/agentRuns.ts';
import { captureLogs } from '../testing/logs.ts';
import { startOpenAiServer, testLlmConfig } from '../testing/openaiServer.ts';
import type { OpenAiServer } from '../testing/openaiServer.ts';
import { sharedPgliteStore } from '../testing/stores.ts';
import { OnlineEvals } from './onlineEvals.ts';
import { inSample } from './sampling.ts';

const store = sharedPgliteStore();
const NOW = new Date('2026-11-20T12:00:00Z');
const INCIDENT = 'inc_judge';
const latency = metricEvidence('checkout', 0.9);
const template = logEvidence(
  'checkout',
  0.8,
  'connection pool exhausted after <*> ms',
  'connection pool exhausted after 3000 ms'
);

const analysis = (overrides: Partial<AgentRunRecord> = {}): AgentRunRecord =>
  agentRunRecord({
    sessionId: INCIDENT,
    incidentId: INCIDENT,
    startedAt: new Date(NOW.getTime() - 60_000),
    durationMs: 2400,
    inputTokens: 2000,
    outputTokens: 300,
    ...overrides,
  });

const rca: RcaResult = {
  incidentId: INCIDENT,
  causes: [
    {
      service: 'checkout',
      indicator: 'change',
      confidence: 0.8,
      evidence: ['deploy-7', latency.id],
      explanation: 'The checkout v2.4.1 deploy raised p95 latency from 120 ms to 950 ms.',
      actions: ['Roll back checkout v2.4.1'],
    },
    {
      service: 'checkout',
      indicator: 'log_template',
      confidence: 0.5,
      evidence: [template.id],
      explanation: 'The connection pool is exhausted.',
      actions: [],
    },
  ],
  method: 'llm',
  hallucinationsDropped: 0,
  analyzedAt: NOW.toISOString(),
  durationMs: 2400,
  documents: [],
  graph: { nodes: [], edges: [] },
};

const payload: SemanticPayload = {
  incidentId: INCIDENT,
  title: 'Checkout slow after deploy',
  severity: 'critical',
  service: 'checkout',
  services: ['checkout'],
  owner: undefined,
  team: undefined,
  tier: undefined,
  startsAt: NOW.toISOString(),
  changeWindow: undefined,
  bizTags: [],
  tags: {},
  evidence: [latency.id, template.id],
};

const faithful = { content: JSON.stringify({ faithfulness: 0.9, verdict: 'faithful', unsupported: [] }) };

async function sample(
  metrics: EngineMetrics,
  name: string,
  labels: Record<string, string> = {}
): Promise<number | undefined> {
  const text = await metrics.registry.getSingleMetricAsString(name.replace(/_(count|sum)$/, ''));
  const series =
    Object.keys(labels).length === 0
      ? name
      : `${name}{${Object.entries(labels)
          .map(([key, value]) => `${key}="${value}"`)
          .join(',')}}`;
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('OnlineEvals', () => {
  let llm: OpenAiServer;
  let metrics: EngineMetrics;
  let evals: OnlineEvals;
  let choice: LlmChoice;

  before(async () => {
    llm = await startOpenAiServer();
    await store().query(
      `insert into incidents (id, title, severity, status, services, starts_at, quiet_since, alert_count, updated_at)
       values ($1, 'Checkout slow after deploy', 'critical', 'open', '{checkout}', $2, $2, 1, $2)`,
      [INCIDENT, NOW]
    );
    await saveEvidence(store(), INCIDENT, {
      collectedAt: NOW,
      sources: { prometheus: { state: 'ok' }, loki: { state: 'ok' }, tempo: { state: 'unconfigured' } },
      evidence: [latency, template],
    });
    await saveChanges(
      store(),
      [
        {
          id: 'deploy-7',
          kind: 'deploy',
          service: 'checkout',
          title: 'checkout v2.4.1',
          description: undefined,
          startsAt: new Date(NOW.getTime() - 600_000),
          endsAt: undefined,
          author: undefined,
          version: 'v2.4.1',
          url: undefined,
          labels: {},
        },
      ],
      NOW
    );
    await saveRca(store(), rca, payload);
  });
  after(async () => {
    await llm.close();
  });
  beforeEach(async () => {
    llm.requests.length = 0;
    llm.always(undefined);
    await store().query('delete from agent_runs');
    await saveSettings(store(), { evals: { judgeSampleRate: 1 } });
    metrics = createMetrics();
    choice = { client: createLlmClient(testLlmConfig(llm.baseUrl)) };
    evals = new OnlineEvals({
      store: store(),
      metrics: metrics.ai,
      logger: createLogger('silent', captureLogs()),
      llm: (_settings: Settings['llm']) => choice,
      configuredModels: ['gpt-test'],
      clock: () => NOW,
    });
    await evals.start();
  });
  afterEach(async () => {
    await evals.close();
  });

  it('turns each recorded run into metrics, and judges a sampled LLM analysis in the background', async () => {
    const run = analysis();
    await insertRuns(store(), run);
    llm.enqueue(faithful);
    await evals.onRunRecorded(run, []);
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'analyze', status: 'ok' }), 1);
    await evals.idle();
    const stored = (await loadAgentRun(store(), run.id))?.run.judge;
    assert.deepEqual(stored, {
      faithfulness: 0.9,
      verdict: 'faithful',
      unsupported: [],
      model: 'gpt-test',
      at: NOW.toISOString(),
    });
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'ok' }), 1);
    assert.equal(await sample(metrics, 'intelops_eval_judge_faithfulness_sum'), 0.9);
    const prompt = JSON.stringify(llm.chatRequests()[0]?.body['messages']);
    assert.match(
      prompt,
      /cited \[deploy-7\]: deploy service=checkout \\"checkout v2\.4\.1\\"/,
      'a cited change is shown'
    );
    assert.match(prompt, /connection pool exhausted after/, 'cited evidence is shown');
  });

  it('judges only the sample: none at rate 0, and never graph analyses, failed ones or other kinds', async () => {
    await saveSettings(store(), { evals: { judgeSampleRate: 0 } });
    const runs = [
      analysis(),
      analysis({ method: 'graph', model: null }),
      analysis({ status: 'error', error: 'boom' }),
      analysis({ kind: 'ask', method: null }),
    ];
    for (const run of runs) {
      await insertRuns(store(), run);
      await evals.onRunRecorded(run, []);
    }
    await saveSettings(store(), { evals: { judgeSampleRate: 1 } });
    for (const run of runs.slice(1)) {
      await evals.onRunRecorded(run, []);
    }
    await evals.idle();
    assert.equal(llm.chatRequests().length, 0);
    assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'analyze', status: 'ok' }), 3);
  });

  it('samples by run id: the same run is always in or out, and about the rate of runs are in', () => {
    const ids = Array.from({ length: 2000 }, (_, index) => `run-${index}`);
    const inside = ids.filter((id) => inSample(id, 0.2));
    assert.ok(inside.length > 320 && inside.length < 480, `${inside.length} of 2000`);
    assert.deepEqual(
      ids.filter((id) => inSample(id, 0.2)),
      inside
    );
    assert.ok(ids.every((id) => inSample(id, 1) && !inSample(id, 0)));
  });

  it('judges on demand, and says why it cannot', async () => {
    const older = analysis({ startedAt: new Date(NOW.getTime() - 3_600_000) });
    const latest = analysis();
    const ask = analysis({ kind: 'ask', method: null });
    const graph = analysis({ method: 'graph', startedAt: new Date(NOW.getTime() - 7_200_000) });
    await insertRuns(store(), older, latest, ask, graph);
    assert.equal((await evals.judge('f'.repeat(32))).status, 'not_found');
    assert.match(JSON.stringify(await evals.judge(ask.id)), /"not_llm_analysis".*a \\"ask\\" run/);
    assert.match(JSON.stringify(await evals.judge(graph.id)), /"not_llm_analysis".*the graph ranking answered/);
    assert.match(
      JSON.stringify(await evals.judge(older.id)),
      /"no_answer".*A newer analysis of incident inc_judge replaced/
    );

    choice = { unavailable: 'No LLM is configured' };
    assert.deepEqual(await evals.judge(latest.id), { status: 'no_llm', reason: 'No LLM is configured' });
    choice = { client: createLlmClient(testLlmConfig(llm.baseUrl)) };

    llm.enqueue({ status: 503 });
    const failed = await evals.judge(latest.id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.status === 'failed' ? failed.reason : '', /HTTP 503/);
    assert.equal((await loadAgentRun(store(), latest.id))?.run.judge, null, 'a failed judgement stores nothing');

    llm.enqueue({
      content: JSON.stringify({
        faithfulness: 0.4,
        verdict: 'unfaithful',
        unsupported: ['the pool is exhausted: not in the deploy'],
      }),
    });
    const judged = await evals.judge(latest.id);
    assert.equal(judged.status, 'judged');
    assert.equal((await loadAgentRun(store(), latest.id))?.run.judge?.verdict, 'unfaithful');
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'llm_failed' }), 1);
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'no_llm' }), 1);
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'no_answer' }), 1);
  });

  it('never lets a judge failure reach the analysis, and skips runs when the judges are busy', async () => {
    llm.always({ ...faithful, delayMs: 200 });
    const runs = [analysis(), analysis(), analysis()];
    await insertRuns(store(), ...runs);
    for (const run of runs) {
      await evals.onRunRecorded(run, []);
    }
    await evals.idle();
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'skipped' }), 1, 'two judge at once');
    llm.always({ status: 500 });
    const last = analysis({ startedAt: NOW });
    await insertRuns(store(), last);
    await evals.onRunRecorded(last, []);
    await evals.idle();
    assert.equal(await sample(metrics, 'intelops_eval_judge_total', { outcome: 'llm_failed' }), 1);
  });

  it('labels and prices models from the settings and configuration, and costs calls for the recorder', async () => {
    await saveSettings(store(), {
      llm: { model: 'saved-model' },
      evals: { judgeSampleRate: 0, prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } } },
    });
    await evals.settingsChanged();
    assert.deepEqual([...evals.models()].sort(), ['gpt-4o-mini', 'gpt-test', 'saved-model']);
    assert.equal(evals.costOf('gpt-4o-mini', 1_000_000, 1_000_000), 0.75);
    assert.equal(evals.costOf('gpt-test', 10, 10), null);
    await evals.onRunRecorded(
      analysis({ model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0, ttftMs: 300 }),
      []
    );
    assert.equal(await sample(metrics, 'intelops_llm_cost_usd_total', { model: 'gpt-4o-mini' }), 0.15);
    assert.equal(await sample(metrics, 'intelops_llm_time_to_first_token_seconds_count', { model: 'gpt-4o-mini' }), 1);
  });

  it('is the recorder’s hook: a judgement is itself a traced judge run, priced and counted like any other', async () => {
    await saveSettings(store(), { evals: { judgeSampleRate: 1, prices: { 'gpt-test': { input: 1, output: 2 } } } });
    await evals.settingsChanged();
    const tracing = openTracing({
      store: store(),
      logger: createLogger('silent', captureLogs()),
      version: 'test',
      onRunRecorded: evals.onRunRecorded,
      costOf: evals.costOf,
      env: {},
    });
    const traced = new OnlineEvals({
      store: store(),
      metrics: metrics.ai,
      logger: createLogger('silent', captureLogs()),
      llm: () => choice,
      configuredModels: ['gpt-test'],
      tracing,
      clock: () => NOW,
    });
    try {
      await traced.settingsChanged();
      const run = analysis();
      await insertRuns(store(), run);
      llm.enqueue({ ...faithful, usage: { promptTokens: 1000, completionTokens: 50 } });
      await traced.onRunRecorded(run, []);
      await traced.idle();
      await tracing.flush();
      const [judgeRun] = await listAgentRuns(store(), { kinds: ['judge'], limit: 5 });
      assert.equal(judgeRun?.incidentId, INCIDENT);
      assert.equal(judgeRun?.status, 'ok');
      assert.equal(judgeRun?.llmCalls, 1);
      assert.equal(judgeRun?.costUsd, (1000 * 1 + 50 * 2) / 1e6);
      assert.equal(await sample(metrics, 'intelops_agent_runs_total', { kind: 'judge', status: 'ok' }), 1);
      assert.equal(
        await sample(metrics, 'gen_ai_client_token_usage_sum', {
          gen_ai_token_type: 'input',
          gen_ai_request_model: 'gpt-test',
        }),
        1000,
        'the judge call is one GenAI operation'
      );
      // The analysis (stored without a cost: priced from the settings) and the judge call.
      const cost = (await sample(metrics, 'intelops_llm_cost_usd_total', { model: 'gpt-test' })) ?? 0;
      assert.ok(Math.abs(cost - ((2000 + 300 * 2) / 1e6 + 0.0011)) < 1e-12, `${cost}`);

      llm.enqueue({ status: 500 });
      await traced.judge(run.id);
      await tracing.flush();
      const failed = (await listAgentRuns(store(), { kinds: ['judge'], statuses: ['error'], limit: 5 }))[0];
      assert.match(failed?.error ?? '', /HTTP 500/, 'a failed judgement is a failed judge run');
    } finally {
      await traced.close();
      await tracing.close();
    }
  });

  it('counts the alert compression ratio of the last 24 hours when scraped', async () => {
    await store().query(
      `insert into alerts (fingerprint, starts_at, status, source, labels, annotations, title, severity, incident_id, first_received, last_received, deliveries)
       values ('f1', $1, 'firing', 'generic', '{}', '{}', 't', 'critical', $2, $1, $1, 19)`,
      [new Date(NOW.getTime() - 3_600_000), INCIDENT]
    );
    await store().query('update incidents set starts_at = $1 where id = $2', [
      new Date(NOW.getTime() - 3_600_000),
      INCIDENT,
    ]);
    assert.equal(await sample(metrics, 'intelops_alert_compression_ratio'), 1 - 1 / 19);
    await evals.close();
    assert.equal(metrics.ai.compressionRatio, undefined, 'closed: no longer read from the store');
  });
});
