import {
  createDataFrame,
  type DataFrame,
  FieldType,
  type QueryResultMetaNotice,
  type TraceKeyValuePair,
  type TraceLog,
} from '@grafana/data';
import type { AgentRun, AgentSpan, SpanAttributeValue } from './agentRuns';

/** The engine's service name in its OpenTelemetry resource, when a span does not say. */
export const ENGINE_SERVICE_NAME = 'intelops-engine';

// GenAI semantic conventions for an LLM call's usage; the older prompt/completion names are read too.
const INPUT_TOKEN_KEYS = ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'];
const OUTPUT_TOKEN_KEYS = ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'];
// The engine's own milliseconds first; GenAI's time to first chunk is in seconds.
const TTFT_MS_KEY = 'intelops.ttft_ms';
const TTFT_SECONDS_KEY = 'gen_ai.response.time_to_first_chunk';
const EXCEPTION_MESSAGE = 'exception.message';
const ERROR_TYPE = 'error.type';

/** What the custom meta of an "Agent run" frame carries for the agent trace panel's links. */
export interface AgentRunFrameMeta {
  runId: string;
  traceId: string;
  incidentId: string | null;
  /** The Tempo datasource the IntelOps datasource's settings name, for "View in Tempo". */
  tempoDatasourceUid?: string;
}

function firstNumber(attributes: Record<string, SpanAttributeValue>, keys: string[]): number | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'number' && Number.isFinite(value)) {
      return value;
    }
  }
  return null;
}

function firstText(attributes: Record<string, SpanAttributeValue>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') {
      return value;
    }
  }
  return undefined;
}

/** Input plus output tokens of an LLM span; null for spans without usage. */
export function spanTokens(span: AgentSpan): number | null {
  const input = firstNumber(span.attributes, INPUT_TOKEN_KEYS);
  const output = firstNumber(span.attributes, OUTPUT_TOKEN_KEYS);
  return input === null && output === null ? null : (input ?? 0) + (output ?? 0);
}

export function spanTtftMs(span: AgentSpan): number | null {
  const ms = firstNumber(span.attributes, [TTFT_MS_KEY]);
  const seconds = firstNumber(span.attributes, [TTFT_SECONDS_KEY]);
  return ms ?? (seconds === null ? null : seconds * 1000);
}

/** Strings stay as they are; anything else (numbers, lists, objects) as JSON, so Grafana's span details show it. */
function pairValue(value: unknown): string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : JSON.stringify(value);
}

function pairs(record: Record<string, unknown>): TraceKeyValuePair[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: pairValue(value) }));
}

function logs(span: AgentSpan): TraceLog[] {
  return span.events.map((event) => {
    const at = Date.parse(event.time);
    return { name: event.name, timestamp: Number.isNaN(at) ? span.startTime : at, fields: pairs(event.attributes) };
  });
}

/** Why a failed span failed: its exception's message (attribute or `exception` event), else its error type. */
function errorMessage(span: AgentSpan): string {
  const exception = [...span.events].reverse().find((event) => event.name === 'exception');
  const fromEvent = exception?.attributes[EXCEPTION_MESSAGE];
  return (
    firstText(span.attributes, [EXCEPTION_MESSAGE]) ??
    (typeof fromEvent === 'string' && fromEvent !== '' ? fromEvent : undefined) ??
    firstText(span.attributes, [ERROR_TYPE]) ??
    'error'
  );
}

// OpenTelemetry's status codes, which Grafana's trace view reads: 0 unset, 1 ok, 2 error.
const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;

/**
 * One agent run as a trace frame in Grafana's trace format (one row per span, times in milliseconds), so Grafana's
 * trace view and the IntelOps agent trace panel both draw it. `intelopsKind` is what the panel colours by; tokens
 * and time to first token come from the LLM spans' GenAI attributes.
 */
export function agentRunFrame(
  run: AgentRun,
  refId: string,
  tempoUid?: string,
  notices: QueryResultMetaNotice[] = []
): DataFrame {
  const spans = [...run.spans].sort((a, b) => a.startTime - b.startTime);
  const column = <T>(pick: (span: AgentSpan) => T): T[] => spans.map(pick);
  const serviceName = (span: AgentSpan) => firstText(span.attributes, ['service.name']) ?? ENGINE_SERVICE_NAME;
  const custom: AgentRunFrameMeta = {
    runId: run.id,
    traceId: run.traceId,
    incidentId: run.incidentId,
    ...(tempoUid ? { tempoDatasourceUid: tempoUid } : {}),
  };
  return createDataFrame({
    refId,
    name: `Agent run ${run.id}`,
    meta: { preferredVisualisationType: 'trace', custom: { ...custom }, notices },
    fields: [
      { name: 'traceID', type: FieldType.string, values: column(() => run.traceId) },
      { name: 'spanID', type: FieldType.string, values: column((s) => s.spanId) },
      { name: 'parentSpanID', type: FieldType.string, values: column((s) => s.parentSpanId ?? undefined) },
      { name: 'operationName', type: FieldType.string, values: column((s) => s.name) },
      { name: 'serviceName', type: FieldType.string, values: column(serviceName) },
      {
        name: 'serviceTags',
        type: FieldType.other,
        values: column((s) => [{ key: 'service.name', value: serviceName(s) }]),
      },
      { name: 'startTime', type: FieldType.number, values: column((s) => s.startTime) },
      { name: 'duration', type: FieldType.number, values: column((s) => s.durationMs) },
      {
        name: 'tags',
        type: FieldType.other,
        values: column((s) => [{ key: 'intelops.span.kind', value: s.kind }, ...pairs(s.attributes)]),
      },
      { name: 'logs', type: FieldType.other, values: column(logs) },
      { name: 'statusCode', type: FieldType.number, values: column((s) => STATUS_CODES[s.status]) },
      {
        name: 'statusMessage',
        type: FieldType.string,
        values: column((s) => (s.status === 'error' ? errorMessage(s) : undefined)),
      },
      { name: 'intelopsKind', type: FieldType.string, values: column((s) => s.kind) },
      { name: 'tokens', type: FieldType.number, values: column(spanTokens) },
      { name: 'ttft', type: FieldType.number, values: column(spanTtftMs) },
    ],
  });
}

/** An "Agent run" frame with no spans, and the reason as a notice. */
export function noAgentRunFrame(refId: string, text: string): DataFrame {
  return createDataFrame({
    refId,
    name: 'Agent run',
    meta: { preferredVisualisationType: 'trace', notices: [{ severity: 'info', text }] },
    fields: [
      { name: 'traceID', type: FieldType.string, values: [] },
      { name: 'spanID', type: FieldType.string, values: [] },
      { name: 'parentSpanID', type: FieldType.string, values: [] },
      { name: 'operationName', type: FieldType.string, values: [] },
      { name: 'serviceName', type: FieldType.string, values: [] },
      { name: 'startTime', type: FieldType.number, values: [] },
      { name: 'duration', type: FieldType.number, values: [] },
    ],
  });
}
