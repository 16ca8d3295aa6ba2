import { Type } from 'typebox';
import type { Static } from 'typebox';

const ratio = (what: string, fallback: number) =>
  Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: `${what} (a ratio from 0 to 1; default ${fallback})` })
  );
const milliseconds = (what: string, fallback: number) =>
  Type.Optional(
    Type.Number({ minimum: 0, maximum: 3_600_000, description: `${what} (milliseconds; default ${fallback})` })
  );

/** The thresholds the evals verdict compares the scorecard with; left out, the defaults apply. */
export const EVAL_THRESHOLD_DEFAULTS = {
  p95LatencyMs: 3000,
  errorRate: 0.05,
  ttftMs: 2000,
  retrievalHitRate: 0.7,
  hallucinationRate: 0.1,
  accuracy: 0.6,
  faithfulness: 0.8,
} as const;
export type EvalThresholds = { [K in keyof typeof EVAL_THRESHOLD_DEFAULTS]: number };

export const EvalThresholdsSchema = Type.Object(
  {
    p95LatencyMs: milliseconds(
      'P95 latency of analyses above which the retrieval path needs work',
      EVAL_THRESHOLD_DEFAULTS.p95LatencyMs
    ),
    errorRate: ratio('Share of failed agent runs above which to look at the errors', EVAL_THRESHOLD_DEFAULTS.errorRate),
    ttftMs: milliseconds(
      'Median time to the first LLM token above which the endpoint is too slow',
      EVAL_THRESHOLD_DEFAULTS.ttftMs
    ),
    retrievalHitRate: ratio(
      'Share of retrievals with a relevant hit below which the knowledge base needs work',
      EVAL_THRESHOLD_DEFAULTS.retrievalHitRate
    ),
    hallucinationRate: ratio(
      'Share of citations dropped by the guard above which the prompts need tightening',
      EVAL_THRESHOLD_DEFAULTS.hallucinationRate
    ),
    accuracy: ratio(
      'Share of human verdicts confirming a listed cause below which the ranking needs review',
      EVAL_THRESHOLD_DEFAULTS.accuracy
    ),
    faithfulness: ratio(
      'Mean LLM-as-judge faithfulness below which explanations outrun their evidence',
      EVAL_THRESHOLD_DEFAULTS.faithfulness
    ),
  },
  { additionalProperties: false, title: 'EvalThresholds', description: 'Thresholds of the evals verdict' }
);

export const DEFAULT_JUDGE_SAMPLE_RATE = 0.2;

const PriceSchema = Type.Object(
  {
    input: Type.Number({ minimum: 0, maximum: 10_000, description: 'US dollars per million input (prompt) tokens' }),
    output: Type.Number({
      minimum: 0,
      maximum: 10_000,
      description: 'US dollars per million output (completion) tokens',
    }),
  },
  { additionalProperties: false }
);
export type ModelPrice = Static<typeof PriceSchema>;

/** Online evals: the verdict's thresholds, how many analyses the LLM judge reads, and model prices for cost. */
export const EvalsSettingsSchema = Type.Object(
  {
    thresholds: Type.Optional(EvalThresholdsSchema),
    judgeSampleRate: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: `Share of LLM analyses the LLM-as-judge checks for faithfulness (0 turns it off; default ${DEFAULT_JUDGE_SAMPLE_RATE})`,
      })
    ),
    prices: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 256 }), PriceSchema, {
        maxProperties: 50,
        description: 'Prices per model name, for the estimated cost of LLM calls; models left out are not costed',
        examples: [{ 'gpt-4o-mini': { input: 0.15, output: 0.6 } }],
      })
    ),
  },
  { additionalProperties: false, title: 'EvalsSettings', description: 'Online evals and LLM cost' }
);
export type EvalsSettings = Static<typeof EvalsSettingsSchema>;

/** The thresholds in force: those saved over the defaults, each on its own. */
export function evalThresholds(settings: EvalsSettings | undefined): EvalThresholds {
  return { ...EVAL_THRESHOLD_DEFAULTS, ...settings?.thresholds };
}

export function judgeSampleRate(settings: EvalsSettings | undefined): number {
  return settings?.judgeSampleRate ?? DEFAULT_JUDGE_SAMPLE_RATE;
}
