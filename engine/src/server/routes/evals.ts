import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { evalsReport } from '../../evals/evalsReport.ts';
import type { EvalsReport } from '../../evals/evalsReport.ts';
import type { JudgeRunResult } from '../../evals/onlineEvals.ts';
import { invalidInput, quote } from '../../invalidInput.ts';
import { EVAL_THRESHOLD_DEFAULTS, evalThresholds } from '../../settings/evalsSettings.ts';
import { loadSettings } from '../../store/settings.ts';
import type { Queryable } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';
import { AgentRunSummarySchema, JudgeSchema, runSummary } from './agentRuns.ts';
import { parseTimeParam } from './incidents.ts';

export interface EvalsRoutesOptions {
  store: Queryable;
  clock: () => Date;
  /** Judges one analysis run now (the online evals' judge). */
  judge: (runId: string) => Promise<JudgeRunResult>;
}

const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;
const METRICS = [
  'p95LatencyMs',
  'errorRate',
  'ttftMs',
  'retrievalHitRate',
  'hallucinationRate',
  'accuracy',
  'faithfulness',
] as const;

const Time = Type.String({ format: 'date-time' });
const Score = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
const Count = (description: string) => Type.Integer({ minimum: 0, description });

const ScoresSchema = Type.Object(
  {
    p95LatencyMs: Score('95th percentile of the analyses’ durations'),
    errorRate: Score('Failed runs / runs, every kind'),
    ttftMs: Score('Median time to the first LLM token'),
    retrievalHitRate: Score('Retrievals with a hit over the relevance floor / retrievals'),
    hallucinationRate: Score('Citations dropped by the guard / citations checked'),
    accuracy: Score('Human verdicts confirming a cause the run listed / human verdicts'),
    faithfulness: Score('Mean LLM-as-judge faithfulness'),
  },
  { additionalProperties: false, description: 'Null when the window holds nothing to compute a score from' }
);

const Threshold = (metric: (typeof METRICS)[number]) =>
  Type.Number({ description: `Default ${EVAL_THRESHOLD_DEFAULTS[metric]}` });
const ThresholdsSchema = Type.Object(
  {
    p95LatencyMs: Threshold('p95LatencyMs'),
    errorRate: Threshold('errorRate'),
    ttftMs: Threshold('ttftMs'),
    retrievalHitRate: Threshold('retrievalHitRate'),
    hallucinationRate: Threshold('hallucinationRate'),
    accuracy: Threshold('accuracy'),
    faithfulness: Threshold('faithfulness'),
  },
  { additionalProperties: false, description: 'From the settings (evals.thresholds) over the defaults' }
);

export const EvalsSchema = Type.Object(
  {
    from: Time,
    to: Time,
    runs: Count('Analyses in the window'),
    scores: ScoresSchema,
    counts: Type.Object(
      {
        runs: Count('Runs of every kind that ended'),
        errors: Count('Of those, the failed ones'),
        judged: Count('Runs the LLM judge read'),
        verdicts: Count('Runs a person gave a verdict on'),
        citations: Count('Citations the hallucination guard checked'),
        citationsDropped: Count('Of those, the ones it dropped'),
        retrievals: Count('Runs that retrieved from the knowledge base'),
      },
      { additionalProperties: false }
    ),
    thresholds: ThresholdsSchema,
    verdict: Type.Object(
      {
        status: Type.String({ enum: ['stable', 'attention', 'no_data'] }),
        findings: Type.Array(
          Type.Object(
            {
              metric: Type.String({ enum: [...METRICS] }),
              value: Type.Number(),
              threshold: Type.Number(),
              advice: Type.String(),
            },
            { additionalProperties: false }
          ),
          { description: 'Each score on the wrong side of its threshold, with what to do' }
        ),
        summary: Type.String({ description: 'The verdict in one sentence' }),
      },
      { additionalProperties: false }
    ),
    stepMs: Type.Optional(Type.Integer({ minimum: 1, description: 'The width of each trend bucket' })),
    trend: Type.Array(
      Type.Object(
        {
          time: Type.String({ format: 'date-time', description: 'The bucket’s start' }),
          runs: Count('Analyses in the bucket'),
          p95LatencyMs: Score('As in scores, over the bucket'),
          errorRate: Score('As in scores, over the bucket'),
          retrievalHitRate: Score('As in scores, over the bucket'),
          hallucinationRate: Score('As in scores, over the bucket'),
          accuracy: Score('As in scores, over the bucket'),
        },
        { additionalProperties: false }
      ),
      { description: 'Buckets of a round width (24 to 48 for most windows), oldest first' }
    ),
    worst: Type.Array(AgentRunSummarySchema, {
      maxItems: 10,
      description:
        'Failed runs (newest first), then analyses judged less faithful than the threshold, then the slowest analyses',
    }),
  },
  { additionalProperties: false, title: 'Evals' }
);
export type EvalsView = Static<typeof EvalsSchema>;

export function evalsView(report: EvalsReport): EvalsView {
  return {
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    runs: report.runs,
    scores: report.scores,
    counts: report.counts,
    thresholds: report.thresholds,
    verdict: report.verdict,
    stepMs: report.stepMs,
    trend: report.trend.map((point) => ({ ...point, time: point.time.toISOString() })),
    worst: report.worst.map(runSummary),
  };
}

const JUDGE_STATUS = { not_found: 404, not_llm_analysis: 400, no_llm: 409, no_answer: 409, failed: 502 } as const;

/** GET /evals: the online evals scorecard and verdict; POST /runs/{id}/judge: the LLM judge on one analysis, now. */
export const evalsRoutes: FastifyPluginAsyncTypebox<EvalsRoutesOptions> = async (app, { store, clock, judge }) => {
  app.get(
    '/evals',
    {
      schema: {
        summary: 'Online evals of the agent runs in a window: scores, thresholds, verdict, trend and the worst runs',
        description:
          'The window is [from, to); by default the last 24 hours. The verdict compares each score with its threshold ' +
          '(settings evals.thresholds over the defaults) and gives advice for each one crossed.',
        tags: ['observability'],
        querystring: Type.Object(
          {
            from: Type.Optional(
              Type.String({
                maxLength: 64,
                description: 'Start: RFC 3339 time or epoch milliseconds (default: 24 hours before to)',
              })
            ),
            to: Type.Optional(
              Type.String({ maxLength: 64, description: 'End: RFC 3339 time or epoch milliseconds (default: now)' })
            ),
          },
          { additionalProperties: false }
        ),
        response: { 200: EvalsSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema },
      },
    },
    async (request) => {
      const to = parseTimeParam(request.query.to, 'to') ?? clock();
      const from = parseTimeParam(request.query.from, 'from') ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
      if (from.getTime() >= to.getTime()) {
        throw invalidInput('querystring/from must be before querystring/to');
      }
      const thresholds = evalThresholds((await loadSettings(store)).evals);
      return evalsView(await evalsReport(store, { from, to, thresholds }));
    }
  );

  app.post(
    '/runs/:id/judge',
    {
      schema: {
        summary: 'Have the LLM judge how faithful one analysis is to the evidence it cites, now',
        description:
          'Stores the judgement on the run (replacing an earlier one). 400 when the run is not an analysis the LLM answered; ' +
          '409 when no LLM is configured or a newer analysis replaced the run’s answer; 502 when the judge failed.',
        tags: ['observability'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: JudgeSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
          502: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await judge(request.params.id);
      if (result.status === 'judged') {
        return result.judge;
      }
      const status = JUDGE_STATUS[result.status];
      const message =
        result.status === 'not_found'
          ? `No agent run with id ${quote(request.params.id)}`
          : result.status === 'failed'
            ? `The LLM judge did not answer: ${result.reason}`
            : result.reason;
      return reply.code(status).send(errorBody(status, message));
    }
  );
};
