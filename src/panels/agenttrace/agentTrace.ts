import type { DataFrame, Field } from '@grafana/data';
import { exploreUrl } from '../../services/exploreUrl';
import { findField, findFrame, numberAt, stringAt } from '../shared/frameFields';

export const SPAN_KINDS = ['perception', 'retrieval', 'llm', 'tool', 'action'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number] | 'other';

export interface WaterfallSpan {
  spanId: string;
  parentSpanId?: string;
  depth: number;
  operation: string;
  service?: string;
  kind: SpanKind;
  /** Milliseconds since the trace started. */
  offsetMs: number;
  durationMs: number;
  tokens?: number;
  /** Time to first token, in milliseconds from the span's start (LLM spans). */
  ttftMs?: number;
  /** Bar position and size in percent of the trace's duration. */
  leftPercent: number;
  widthPercent: number;
  ttftPercent?: number;
  /** 'error' when the span failed (OpenTelemetry status code 2). */
  status?: 'ok' | 'error';
  statusMessage?: string;
  /** Span attributes as Grafana's trace frames carry them (`tags`), already redacted by the engine. */
  attributes: SpanField[];
  /** Span events (`logs`): LLM prompts and completions, tool input and output. */
  events: SpanEvent[];
}

/** One attribute of a span or field of an event, its value as text. */
export interface SpanField {
  key: string;
  value: string;
}

export interface SpanEvent {
  name: string;
  /** Milliseconds since the span started. */
  offsetMs?: number;
  fields: SpanField[];
}

export interface Waterfall {
  traceId?: string;
  /** From the frame's custom meta (the IntelOps "Agent run" query): the run and its incident. */
  runId?: string;
  incidentId?: string;
  /** The Tempo datasource the IntelOps datasource's settings name. */
  tempoDatasourceUid?: string;
  startMs: number;
  totalMs: number;
  spans: WaterfallSpan[];
  /** Span kinds present, in the loop's order, for the legend. */
  kinds: SpanKind[];
}

const FIELDS = {
  traceId: ['traceID', 'traceId', 'trace_id'],
  spanId: ['spanID', 'spanId', 'span_id'],
  parentSpanId: ['parentSpanID', 'parentSpanId', 'parent_span_id'],
  operation: ['operationName', 'operation', 'name'],
  service: ['serviceName', 'service'],
  startTime: ['startTime', 'start', 'startTimeMs'],
  duration: ['duration', 'durationMs'],
  // The IntelOps kind first: in Grafana's trace frames `kind` is the OpenTelemetry span kind (server, client).
  kind: ['intelopsKind', 'kind', 'spanKind'],
  tokens: ['tokens', 'totalTokens', 'gen_ai.usage.total_tokens'],
  ttft: ['ttft', 'ttftMs', 'timeToFirstToken'],
  tags: ['tags', 'attributes'],
  logs: ['logs', 'events'],
  statusCode: ['statusCode'],
  statusMessage: ['statusMessage'],
};

// Tags the row already shows as its kind.
const HIDDEN_TAGS = new Set(['intelops.span.kind']);

// Names other tools give the same kinds (OpenTelemetry GenAI operations, agent frameworks).
const KIND_ALIASES: Record<string, SpanKind> = {
  perception: 'perception',
  perceive: 'perception',
  retrieval: 'retrieval',
  retrieve: 'retrieval',
  rag: 'retrieval',
  search: 'retrieval',
  llm: 'llm',
  chat: 'llm',
  completion: 'llm',
  genai: 'llm',
  tool: 'tool',
  executetool: 'tool',
  action: 'action',
  workflow: 'action',
};

export function parseSpanKind(value: string | undefined): SpanKind {
  if (!value) {
    return 'other';
  }
  return KIND_ALIASES[value.toLowerCase().replace(/[^a-z]/g, '')] ?? 'other';
}

/** "420 ms", "1.24 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms <= 0) {
    return '0 ms';
  }
  if (ms < 1) {
    return `${Math.round(ms * 1000)} µs`;
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

interface RawSpan {
  spanId: string;
  parentSpanId?: string;
  operation: string;
  service?: string;
  kind: SpanKind;
  startMs: number;
  durationMs: number;
  tokens?: number;
  ttftMs?: number;
  status?: 'ok' | 'error';
  statusMessage?: string;
  attributes: SpanField[];
  events: Array<{ name: string; timestamp?: number; fields: SpanField[] }>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** `[{key, value}]` as Grafana's trace frames carry tags and log fields; a JSON string of it works too. */
function keyValues(value: unknown): SpanField[] {
  const list: unknown = typeof value === 'string' && value.startsWith('[') ? safeJson(value) : value;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) {
      return [];
    }
    const key: unknown = Reflect.get(item, 'key');
    return typeof key === 'string' ? [{ key, value: text(Reflect.get(item, 'value')) }] : [];
  });
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function readEvents(field: Field | undefined, index: number): RawSpan['events'] {
  const value: unknown = field?.values[index];
  const list: unknown = typeof value === 'string' ? safeJson(value) : value;
  if (!Array.isArray(list)) {
    return [];
  }
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) {
      return [];
    }
    const name: unknown = Reflect.get(item, 'name');
    const timestamp: unknown = Reflect.get(item, 'timestamp');
    return [
      {
        name: typeof name === 'string' && name !== '' ? name : 'event',
        timestamp: typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : undefined,
        fields: keyValues(Reflect.get(item, 'fields')),
      },
    ];
  });
}

function readStatus(code: number | undefined): RawSpan['status'] {
  return code === 2 ? 'error' : code === 1 ? 'ok' : undefined;
}

function readSpans(frame: DataFrame): RawSpan[] {
  const f = (names: string[]) => findField(frame, names);
  const [spanId, parent, operation, service, start, duration, kind, tokens, ttft] = [
    f(FIELDS.spanId),
    f(FIELDS.parentSpanId),
    f(FIELDS.operation),
    f(FIELDS.service),
    f(FIELDS.startTime),
    f(FIELDS.duration),
    f(FIELDS.kind),
    f(FIELDS.tokens),
    f(FIELDS.ttft),
  ];
  const [tags, logs, statusCode, statusMessage] = [
    f(FIELDS.tags),
    f(FIELDS.logs),
    f(FIELDS.statusCode),
    f(FIELDS.statusMessage),
  ];
  const spans: RawSpan[] = [];
  for (let i = 0; i < frame.length; i++) {
    const id = stringAt(spanId, i);
    const startMs = numberAt(start, i);
    if (!id || startMs === undefined) {
      continue;
    }
    spans.push({
      spanId: id,
      parentSpanId: stringAt(parent, i),
      operation: stringAt(operation, i) ?? id,
      service: stringAt(service, i),
      kind: parseSpanKind(stringAt(kind, i)),
      startMs,
      durationMs: Math.max(0, numberAt(duration, i) ?? 0),
      tokens: numberAt(tokens, i),
      ttftMs: numberAt(ttft, i),
      status: readStatus(numberAt(statusCode, i)),
      statusMessage: stringAt(statusMessage, i),
      attributes: keyValues(tags?.values[i]).filter((tag) => !HIDDEN_TAGS.has(tag.key)),
      events: readEvents(logs, i),
    });
  }
  return spans;
}

/** Depth-first order: each span followed by its children, siblings by start time. */
function treeOrder(spans: RawSpan[]): Array<{ span: RawSpan; depth: number }> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, RawSpan[]>();
  const roots: RawSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && span.parentSpanId !== span.spanId && ids.has(span.parentSpanId)) {
      children.set(span.parentSpanId, [...(children.get(span.parentSpanId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a: RawSpan, b: RawSpan) => a.startMs - b.startMs;
  const ordered: Array<{ span: RawSpan; depth: number }> = [];
  const visited = new Set<string>();
  const visit = (span: RawSpan, depth: number) => {
    if (visited.has(span.spanId)) {
      return;
    }
    visited.add(span.spanId);
    ordered.push({ span, depth });
    (children.get(span.spanId) ?? []).sort(byStart).forEach((child) => visit(child, depth + 1));
  };
  roots.sort(byStart).forEach((root) => visit(root, 0));
  // Spans caught in a parent cycle are shown at the top level rather than dropped.
  spans.filter((s) => !visited.has(s.spanId)).forEach((span) => visit(span, 0));
  return ordered;
}

// Bars stay visible however short the span.
const MIN_BAR_PERCENT = 0.5;

/** The waterfall of the first trace-like frame (spanID and startTime fields), or undefined when there is none. */
export function waterfallFromFrames(frames: DataFrame[]): Waterfall | undefined {
  const frame = findFrame(frames, [FIELDS.spanId, FIELDS.startTime]);
  const spans = frame ? readSpans(frame) : [];
  if (!frame || spans.length === 0) {
    return undefined;
  }
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const totalMs = endMs - startMs;
  const percent = (ms: number) => (totalMs > 0 ? (ms / totalMs) * 100 : 0);

  const ordered = treeOrder(spans).map(({ span, depth }): WaterfallSpan => {
    const offsetMs = span.startMs - startMs;
    const leftPercent = percent(offsetMs);
    const widthPercent = totalMs > 0 ? Math.max(MIN_BAR_PERCENT, percent(span.durationMs)) : 100;
    return {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      depth,
      operation: span.operation,
      service: span.service,
      kind: span.kind,
      offsetMs,
      durationMs: span.durationMs,
      tokens: span.tokens,
      ttftMs: span.ttftMs,
      leftPercent: Math.min(leftPercent, 100 - widthPercent),
      widthPercent,
      ttftPercent:
        span.ttftMs !== undefined && span.durationMs > 0
          ? Math.min(100, (span.ttftMs / span.durationMs) * 100)
          : undefined,
      status: span.status,
      statusMessage: span.statusMessage,
      attributes: span.attributes,
      events: span.events.map((event) => ({
        name: event.name,
        offsetMs: event.timestamp === undefined ? undefined : event.timestamp - span.startMs,
        fields: event.fields,
      })),
    };
  });
  const present = new Set(ordered.map((s) => s.kind));
  const custom: unknown = frame.meta?.custom;
  const meta = (key: string) => {
    const value: unknown = typeof custom === 'object' && custom !== null ? Reflect.get(custom, key) : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    runId: meta('runId'),
    incidentId: meta('incidentId'),
    tempoDatasourceUid: meta('tempoDatasourceUid'),
    traceId: stringAt(findField(frame, FIELDS.traceId), 0),
    startMs,
    totalMs,
    spans: ordered,
    kinds: [...SPAN_KINDS, 'other' as const].filter((kind) => present.has(kind)),
  };
}

/** What a screen reader says for a row, and the tooltip. */
export function describeSpan(span: WaterfallSpan): string {
  const parts = [
    `${span.kind === 'other' ? 'span' : span.kind}: ${span.operation}`,
    span.service ? `service ${span.service}` : undefined,
    `starts at ${formatDuration(span.offsetMs)}`,
    `takes ${formatDuration(span.durationMs)}`,
    span.tokens !== undefined ? `${span.tokens} tokens` : undefined,
    span.ttftMs !== undefined ? `first token after ${formatDuration(span.ttftMs)}` : undefined,
    span.status === 'error' ? `failed${span.statusMessage ? `: ${span.statusMessage}` : ''}` : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}

// A minute either side: Tempo finds the trace even when the engine's clock and Tempo's differ a little.
const TEMPO_MARGIN_MS = 60_000;

/** Explore on the Tempo datasource with the run's trace id as the query; undefined without a trace id or Tempo. */
export function tempoTraceUrl(waterfall: Waterfall, tempoUid: string | undefined): string | undefined {
  if (!waterfall.traceId || !tempoUid) {
    return undefined;
  }
  return exploreUrl({
    datasourceUid: tempoUid,
    datasourceType: 'tempo',
    query: waterfall.traceId,
    from: waterfall.startMs - TEMPO_MARGIN_MS,
    to: waterfall.startMs + waterfall.totalMs + TEMPO_MARGIN_MS,
  });
}
