import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { INDICATORS } from '../rootCause.ts';
import type { RootCause } from '../rootCause.ts';

/** One cause as the model writes it, before the guard checks its citations. */
export type LlmCause = RootCause;

export interface LlmAnswer {
  causes: LlmCause[];
}

export const ANSWER_SCHEMA_NAME = 'root_causes';

/**
 * The answer's JSON schema, sent as structured output. OpenAI's strict mode wants every property required and
 * no additional ones, and older deployments reject minimum/maximum/maxItems: ranges are stated in descriptions
 * and enforced after the reply (confidences clamped, at most three causes kept).
 */
export const ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['causes'],
  properties: {
    causes: {
      type: 'array',
      description: 'At most 3 root causes, strongest first',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['service', 'indicator', 'confidence', 'evidence', 'explanation', 'actions'],
        properties: {
          service: {
            type: 'string',
            description: 'A service named in the incident, the candidates, the CMDB or the evidence',
          },
          indicator: { type: 'string', enum: [...INDICATORS] },
          confidence: { type: 'number', description: 'From 0 to 1' },
          evidence: {
            type: 'array',
            items: { type: 'string' },
            description: 'Ids of the evidence items (ev_…) and changes it rests on, as given',
          },
          explanation: { type: 'string', description: 'Why, in two or three sentences, citing the evidence' },
          actions: { type: 'array', items: { type: 'string' }, description: 'What to do, most useful first' },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const validate = ajv.compile<LlmAnswer>(ANSWER_SCHEMA);

export type ParsedAnswer = { ok: true; answer: LlmAnswer } | { ok: false; reason: string };

// How much of a bad reply a reason quotes: enough to recognise it, not enough to flood a log line.
const QUOTED_CHARS = 80;

/** Parses and validates the model's reply; endpoints that ignore json_schema may wrap it in ```json fences. */
export function parseAnswer(content: string): ParsedAnswer {
  const read = readJsonReply(content);
  if (!read.ok) {
    return read;
  }
  const { value } = read;
  if (!validate(value)) {
    return { ok: false, reason: `LLM answer does not match the schema: ${describeErrors(validate.errors)}` };
  }
  return { ok: true, answer: value };
}

/** The reply as JSON, whatever its shape; endpoints that ignore json_schema may wrap it in ```json fences. */
export function readJsonReply(content: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  const text = stripFences(content);
  if (text === '') {
    return { ok: false, reason: 'LLM returned an empty answer' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `LLM returned invalid JSON (${message}): ${quote(text)}` };
  }
}

function stripFences(content: string): string {
  const trimmed = content.trim();
  const fenced = /^```[A-Za-z]*\s*\n?([\s\S]*?)\n?```$/.exec(trimmed);
  return (fenced?.[1] ?? trimmed).trim();
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > QUOTED_CHARS ? `${flat.slice(0, QUOTED_CHARS)}…` : flat);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (error === undefined) {
    return 'unknown error';
  }
  const where = error.instancePath === '' ? 'the answer' : error.instancePath;
  if (error.keyword === 'enum') {
    return `${where} must be one of ${INDICATORS.join(', ')}`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${where} has an unknown field "${String(error.params['additionalProperty'])}"`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}
