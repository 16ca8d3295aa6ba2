import type { AgentRunRecord, AgentSpanRecord, JudgeRecord } from '../observability/agentRuns/agentRun.ts';
import { observeRun } from '../observability/aiMetrics.ts';
import type { EngineLogger } from '../observability/logger.ts';
import type { AiMetrics } from '../observability/metrics.ts';
import { AGENT_NAMES, GEN_AI, GEN_AI_OPERATION, INTELOPS, SESSION_ID } from '../observability/tracing/conventions.ts';
import { traceRun } from '../observability/tracing/spans.ts';
import type { AgentTracing } from '../observability/tracing/spans.ts';
import type { LlmChoice } from '../reasoning/llm/llmFromSettings.ts';
import { judgeSampleRate } from '../settings/evalsSettings.ts';
import type { Settings } from '../settings/settings.ts';
import { loadAgentRun, setJudge } from '../store/agentRuns.ts';
import { alertCompression } from '../store/evals.ts';
import { loadSettings } from '../store/settings.ts';
import type { Store } from '../store/store.ts';
import { judgeFaithfulness } from './judge.ts';
import { judgeInputOf } from './judgeInput.ts';
import { inSample } from './sampling.ts';

export interface OnlineEvalsOptions {
  store: Store;
  metrics: AiMetrics;
  logger: EngineLogger;
  /** The LLM from the settings over the configuration, as analyses resolve it. */
  llm: (settings: Settings['llm']) => LlmChoice;
  /** Models the engine configuration names (INTELOPS_LLM_MODEL): model label values besides the settings'. */
  configuredModels?: ReadonlyArray<string | undefined>;
  /** Records each judgement as a `judge` agent run; without it the judge is not traced. */
  tracing?: AgentTracing | undefined;
  clock?: () => Date;
  /** Judgements running in the background at once; sampled runs beyond it are skipped (default 2). */
  maxConcurrentJudges?: number;
}

/** What judging one run came to; the route answers each with its own status. */
export type JudgeRunResult =
  | { status: 'judged'; judge: JudgeRecord }
  | { status: 'not_found'; reason: string }
  | { status: 'not_llm_analysis'; reason: string }
  | { status: 'no_llm'; reason: string }
  | { status: 'no_answer'; reason: string }
  | { status: 'failed'; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The online evals: every recorded agent run becomes Prometheus metrics, a sample of the LLM's analyses is read by
 * an LLM judge in the background, and the alert compression ratio is counted at scrape time. Judge failures are
 * logged and counted, never thrown at the analysis.
 */
export class OnlineEvals {
  private readonly options: OnlineEvalsOptions;
  private readonly clock: () => Date;
  private readonly judging = new Set<Promise<void>>();
  private settings: Settings = {};
  private closed = false;

  constructor(options: OnlineEvalsOptions) {
    this.options = options;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Reads the settings and starts counting the alert compression ratio at scrape time. */
  async start(): Promise<void> {
    await this.settingsChanged();
    const { store, metrics } = this.options;
    metrics.compressionRatio = async () => {
      const { alerts, incidents } = await alertCompression(store, new Date(this.clock().getTime() - DAY_MS));
      return alerts === 0 ? undefined : Math.max(0, 1 - incidents / alerts);
    };
  }

  /** Re-reads the prices, models and sample rate (call after PUT /api/v1/settings). */
  async settingsChanged(): Promise<void> {
    this.settings = await loadSettings(this.options.store);
  }

  /** An LLM call's estimated cost from the prices in the settings, or null for a model without one (the recorder's costOf). */
  readonly costOf = (model: string, inputTokens: number, outputTokens: number): number | null => {
    const price = this.settings.evals?.prices?.[model];
    return price === undefined ? null : (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  };

  /** The models the settings and configuration name: the model label values besides "other". */
  models(): Set<string> {
    const named = [
      this.settings.llm?.model,
      ...(this.options.configuredModels ?? []),
      ...Object.keys(this.settings.evals?.prices ?? {}),
    ];
    return new Set(named.filter((model): model is string => model !== undefined));
  }

  /** The recorder's hook: metrics for the run, then, for a sampled LLM analysis, a judgement in the background. */
  readonly onRunRecorded = async (run: AgentRunRecord, spans: readonly AgentSpanRecord[] = []): Promise<void> => {
    try {
      await this.settingsChanged();
    } catch (error) {
      // The last settings read stand in: a metric with a stale price beats no metric.
      this.options.logger.warn({ err: error }, 'reading the settings for the evals failed; using the last ones');
    }
    observeRun(this.options.metrics, run, { spans, models: this.models(), prices: this.settings.evals?.prices });
    if (this.closed || run.kind !== 'analyze' || run.status !== 'ok' || run.method !== 'llm') {
      return;
    }
    if (!inSample(run.id, judgeSampleRate(this.settings.evals))) {
      return;
    }
    if (this.judging.size >= (this.options.maxConcurrentJudges ?? 2)) {
      this.options.metrics.judgeOutcomes.inc({ outcome: 'skipped' });
      this.options.logger.info({ run: run.id }, 'LLM judge busy; this analysis is not judged');
      return;
    }
    const task = this.judge(run.id)
      .then((result) => {
        if (result.status !== 'judged') {
          this.options.logger.warn(
            { run: run.id, status: result.status, reason: result.reason },
            'LLM judge did not judge the analysis'
          );
        }
      })
      .catch((error: unknown) => {
        this.options.metrics.judgeOutcomes.inc({ outcome: 'error' });
        this.options.logger.warn({ err: error, run: run.id }, 'LLM judge failed');
      })
      .finally(() => this.judging.delete(task));
    this.judging.add(task);
  };

  /** Judges one analysis run now: reads its answer and cited evidence, asks the judge, stores and counts the result. */
  async judge(runId: string): Promise<JudgeRunResult> {
    const { store, metrics, logger } = this.options;
    const loaded = await loadAgentRun(store, runId);
    if (loaded === undefined) {
      return { status: 'not_found', reason: `No agent run with id ${runId}` };
    }
    const { run } = loaded;
    if (run.kind !== 'analyze' || run.method !== 'llm' || run.status !== 'ok') {
      const what =
        run.kind !== 'analyze'
          ? `a "${run.kind}" run`
          : run.status !== 'ok'
            ? `an analysis that ended in ${run.status}`
            : `an analysis the ${run.method ?? 'graph'} ranking answered`;
      return {
        status: 'not_llm_analysis',
        reason: `Run ${runId} is ${what}: only analyses the LLM answered are judged`,
      };
    }
    const settings = await loadSettings(store);
    const choice = this.options.llm(settings.llm);
    if (choice.client === undefined) {
      metrics.judgeOutcomes.inc({ outcome: 'no_llm' });
      return { status: 'no_llm', reason: choice.unavailable };
    }
    const client = choice.client;
    const input = await judgeInputOf(store, run);
    if (!input.ok) {
      metrics.judgeOutcomes.inc({ outcome: 'no_answer' });
      return { status: 'no_answer', reason: input.reason };
    }
    const start = {
      kind: 'judge' as const,
      name: `${GEN_AI_OPERATION.invokeAgent} ${AGENT_NAMES.judge}`,
      attributes: {
        [GEN_AI.operationName]: GEN_AI_OPERATION.invokeAgent,
        [GEN_AI.agentName]: AGENT_NAMES.judge,
        [INTELOPS.incidentId]: input.input.incidentId,
        [SESSION_ID]: run.sessionId ?? undefined,
      },
    };
    const outcome = await traceRun(this.options.tracing, start, async (span) => {
      const judged = await judgeFaithfulness(client, input.input, { logger });
      if (!judged.ok) {
        span.fail(judged.reason);
      }
      return judged;
    });
    if (!outcome.ok) {
      metrics.judgeOutcomes.inc({ outcome: outcome.outcome });
      return { status: 'failed', reason: outcome.reason };
    }
    const judge: JudgeRecord = { ...outcome.answer, model: outcome.model, at: this.clock().toISOString() };
    if (!(await setJudge(store, run.id, judge))) {
      return { status: 'not_found', reason: `Agent run ${runId} was pruned while it was judged` };
    }
    metrics.judgeOutcomes.inc({ outcome: 'ok' });
    metrics.judgeFaithfulness.observe(judge.faithfulness);
    logger.info({ run: run.id, faithfulness: judge.faithfulness, verdict: judge.verdict }, 'analysis judged');
    return { status: 'judged', judge };
  }

  /** Waits for the judgements in flight. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.judging]);
  }

  /** Stops judging new runs and counting compression, then waits for the judgements in flight (before the store closes). */
  async close(): Promise<void> {
    this.closed = true;
    this.options.metrics.compressionRatio = undefined;
    await this.idle();
  }
}
