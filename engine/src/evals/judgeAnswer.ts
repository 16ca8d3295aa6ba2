import { Ajv } from 'ajv';
import { readJsonReply } from '../reasoning/llm/answer.ts';

export const JUDGE_VERDICTS = ['faithful', 'partially_faithful', 'unfaithful'] as const;
export type JudgeVerdict = (typeof JUDGE_VERDICTS)[number];

export interface JudgeAnswer {
  faithfulness: number;
  verdict: JudgeVerdict;
  unsupported: string[];
}

export const JUDGE_SCHEMA_NAME = 'faithfulness_judgement';

/**
 * The judge's answer, sent as strict structured output: every property required, none other. As for the analysis
 * answer, ranges are said in descriptions (older deployments reject minimum/maximum) and enforced after the reply.
 */
export const JUDGE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['faithfulness', 'verdict', 'unsupported'],
  properties: {
    faithfulness: {
      type: 'number',
      description: 'From 0 to 1: the share of the claims in the explanations that the cited evidence supports',
    },
    verdict: {
      type: 'string',
      enum: [...JUDGE_VERDICTS],
      description:
        'faithful: every claim is supported; partially_faithful: some are not; unfaithful: most or the key ones are not',
    },
    unsupported: {
      type: 'array',
      items: { type: 'string' },
      description: 'Each claim the cited evidence does not support, in a short sentence; empty when all are supported',
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const validate = ajv.compile<JudgeAnswer>(JUDGE_SCHEMA);

// The judge's list of unsupported claims is shown in panels: a few short sentences, not an essay.
const MAX_UNSUPPORTED = 10;
const MAX_CLAIM_CHARS = 300;

export type ParsedJudgeAnswer = { ok: true; answer: JudgeAnswer } | { ok: false; reason: string };

/** Parses and checks the judge's reply; faithfulness is clamped to [0, 1] and the claims are trimmed and capped. */
export function parseJudgeAnswer(content: string): ParsedJudgeAnswer {
  const read = readJsonReply(content);
  if (!read.ok) {
    return { ok: false, reason: read.reason.replace(/^LLM/, 'The judge') };
  }
  const { value } = read;
  if (!validate(value)) {
    const error = validate.errors?.[0];
    const where = error === undefined || error.instancePath === '' ? 'the answer' : error.instancePath;
    return {
      ok: false,
      reason: `The judge's answer does not match its schema: ${where} ${error?.message ?? 'is invalid'}`,
    };
  }
  if (!Number.isFinite(value.faithfulness)) {
    return { ok: false, reason: "The judge's faithfulness is not a number" };
  }
  return {
    ok: true,
    answer: {
      faithfulness: Math.min(1, Math.max(0, value.faithfulness)),
      verdict: value.verdict,
      unsupported: value.unsupported
        .map((claim) => claim.replace(/\s+/g, ' ').trim())
        .filter((claim) => claim !== '')
        .slice(0, MAX_UNSUPPORTED)
        .map((claim) => (claim.length > MAX_CLAIM_CHARS ? `${claim.slice(0, MAX_CLAIM_CHARS - 1)}…` : claim)),
    },
  };
}
