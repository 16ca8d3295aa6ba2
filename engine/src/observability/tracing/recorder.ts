import { SpanStatusCode } from '@opentelemetry/api';
import type { AttributeValue, Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { insertAgentRun } from '../../store/agentRuns.ts';
import type { Store } from '../../store/store.ts';
import { AGENT_RUN_KINDS, AGENT_SPAN_KINDS } from '../agentRuns/agentRun.ts';
import type {
  AgentRunKind,
  AgentRunRecord,
  AgentSpanKind,
  AgentSpanRecord,
  RetrievalRecord,
} from '../agentRuns/agentRun.ts';
import type { EngineLogger } from '../logger.ts';
import { GEN_AI, INTELOPS, RETRIEVAL_HITS_EVENT, SESSION_ID } from './conventions.ts';

/** Spans kept per run; the rest are counted on the stored root span (intelops.spans_dropped). */
export const DEFAULT_MAX_SPANS_PER_RUN = 500;
// Traces being buffered at once; a trace whose root never ends is dropped first when more arrive.
const MAX_OPEN_TRACES = 1000;
// Finished runs wait this long for others to be written with them in one transaction (a commit costs more than a
// run's rows, and PGlite works on the engine's own thread), unless this many are waiting.
const WRITE_DELAY_MS = 200;
const MAX_BATCH_RUNS = 50;
// Hits kept in a run's retrieval record, best first.
const MAX_RETRIEVAL_HITS = 10;
const MAX_QUERY_CHARS = 2000;

export interface RecorderOptions {
  store: Store;
  logger: EngineLogger;
  /** Called once the run and its spans are stored (M turns it into metrics); its errors are logged. */
  onRunRecorded?: ((run: AgentRunRecord, spans: readonly AgentSpanRecord[]) => void | Promise<void>) | undefined;
  /** The cost of an LLM call by model, when a price table knows the model; null otherwise. */
  costOf?: ((model: string, inputTokens: number, outputTokens: number) => number | null) | undefined;
  maxSpansPerRun?: number | undefined;
  /** How long a finished run waits to be written with others (default 200 ms; 0 writes each at once). */
  writeDelayMs?: number | undefined;
}

interface OpenTrace {
  spans: ReadableSpan[];
  dropped: number;
}

interface FinishedRun {
  root: ReadableSpan;
  open: OpenTrace;
}

/**
 * A span processor that keeps agent runs: it buffers each trace's spans and, when the run's root span ends, sums
 * them into one agent_runs row (model, LLM calls, tokens, time to first token, retrieval, citations) and writes it
 * with its spans in the background, with the other runs that finished within WRITE_DELAY_MS, in one transaction:
 * a failed write is logged, never thrown at the run.
 */
export class AgentRunRecorder implements SpanProcessor {
  private readonly options: RecorderOptions;
  private readonly maxSpans: number;
  private readonly writeDelayMs: number;
  private readonly traces = new Map<string, OpenTrace>();
  private readonly writing = new Set<Promise<void>>();
  private waiting: FinishedRun[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: RecorderOptions) {
    this.options = options;
    this.maxSpans = Math.max(1, options.maxSpansPerRun ?? DEFAULT_MAX_SPANS_PER_RUN);
    this.writeDelayMs = Math.max(0, options.writeDelayMs ?? WRITE_DELAY_MS);
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) {
      return;
    }
    const traceId = span.spanContext().traceId;
    const root = span.parentSpanContext === undefined && runKindOf(span) !== undefined;
    let open = this.traces.get(traceId);
    if (open === undefined) {
      if (!root && this.traces.size >= MAX_OPEN_TRACES) {
        const oldest = this.traces.keys().next();
        if (oldest.done !== true) {
          this.traces.delete(oldest.value);
        }
      }
      open = { spans: [], dropped: 0 };
      this.traces.set(traceId, open);
    }
    // The root is always kept: the run is summed from it.
    if (root || open.spans.length < this.maxSpans - 1) {
      open.spans.push(span);
    } else {
      open.dropped += 1;
    }
    if (!root) {
      return;
    }
    this.traces.delete(traceId);
    // Summed up when written, off the path of the request that ended the run.
    this.waiting.push({ root: span, open });
    if (this.waiting.length >= MAX_BATCH_RUNS || this.writeDelayMs === 0) {
      this.writeWaiting();
    } else {
      this.timer ??= setTimeout(() => this.writeWaiting(), this.writeDelayMs);
    }
  }

  /** Writes the runs waiting now and waits for every write under way. */
  async forceFlush(): Promise<void> {
    this.writeWaiting();
    await Promise.allSettled([...this.writing]);
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.traces.clear();
    await this.forceFlush();
  }

  private writeWaiting(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) {
      return;
    }
    const batch = this.waiting;
    this.waiting = [];
    const write = this.write(batch).finally(() => this.writing.delete(write));
    this.writing.add(write);
  }

  private async write(finished: readonly FinishedRun[]): Promise<void> {
    const { logger, onRunRecorded } = this.options;
    const batch: Array<{ run: AgentRunRecord; spans: AgentSpanRecord[] }> = [];
    for (const { root, open } of finished) {
      try {
        batch.push(summarize(root, open, this.options.costOf));
      } catch (error) {
        logger.warn(
          { err: error, trace: root.spanContext().traceId },
          'an agent run could not be summed up; not stored'
        );
      }
    }
    if (batch.length === 0) {
      return;
    }
    try {
      await this.options.store.transaction(async (tx) => {
        for (const { run, spans } of batch) {
          await insertAgentRun(tx, run, spans);
        }
      });
    } catch (error) {
      logger.warn(
        { err: error, runs: batch.map(({ run }) => run.id) },
        'storing an agent run failed; its trace is not kept'
      );
      return;
    }
    for (const { run, spans } of batch) {
      try {
        await onRunRecorded?.(run, spans);
      } catch (error) {
        logger.warn({ err: error, run: run.id }, 'an agent run was stored but handling it after failed');
      }
    }
  }
}

function runKindOf(span: ReadableSpan): AgentRunKind | undefined {
  const value = span.attributes[INTELOPS.runKind];
  return AGENT_RUN_KINDS.find((kind) => kind === value);
}

function spanKindOf(span: ReadableSpan): AgentSpanKind {
  const value = span.attributes[INTELOPS.spanKind];
  return AGENT_SPAN_KINDS.find((kind) => kind === value) ?? 'other';
}

function text(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(value: AttributeValue | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function ms(span: ReadableSpan): { start: number; duration: number } {
  return { start: hrTimeToMilliseconds(span.startTime), duration: hrTimeToMilliseconds(span.duration) };
}

const STATUS = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' } as const;

function toSpanRecord(runId: string, span: ReadableSpan, extra: Record<string, number> = {}): AgentSpanRecord {
  const { start, duration } = ms(span);
  const attributes: AgentSpanRecord['attributes'] = { ...extra };
  for (const [key, value] of Object.entries(span.attributes)) {
    const stored = storedValue(value);
    if (stored !== undefined) {
      attributes[key] = stored;
    }
  }
  return {
    runId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: spanKindOf(span),
    startTime: new Date(start),
    durationMs: duration,
    status: STATUS[span.status.code],
    attributes,
    events: span.events.map((event) => ({
      name: event.name,
      time: new Date(hrTimeToMilliseconds(event.time)).toISOString(),
      attributes: { ...event.attributes },
    })),
  };
}

/** Attribute values as the store keeps them: arrays without their empty slots. */
function storedValue(value: AttributeValue | undefined): AgentSpanRecord['attributes'][string] | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (!Array.isArray(value)) {
    return undefined;
  }
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans: boolean[] = [];
  for (const item of value) {
    if (typeof item === 'string') {
      strings.push(item);
    } else if (typeof item === 'number') {
      numbers.push(item);
    } else if (typeof item === 'boolean') {
      booleans.push(item);
    }
  }
  return strings.length > 0 ? strings : numbers.length > 0 ? numbers : booleans;
}

interface RetrievedHit {
  id: string;
  title: string;
  score: number;
}

function isHit(value: unknown): value is RetrievedHit {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'string' &&
    'score' in value &&
    typeof value.score === 'number' &&
    (!('title' in value) || typeof value.title === 'string')
  );
}

/** The hits a retrieval span's event lists. */
function hitsOf(span: ReadableSpan): RetrievedHit[] {
  const event = span.events.find((candidate) => candidate.name === RETRIEVAL_HITS_EVENT);
  const documents = event?.attributes?.[GEN_AI.retrievalDocuments];
  if (typeof documents !== 'string') {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(documents);
    return Array.isArray(parsed)
      ? parsed
          .filter(isHit)
          .map((hit) => ({ id: hit.id, title: typeof hit.title === 'string' ? hit.title : hit.id, score: hit.score }))
      : [];
  } catch {
    return [];
  }
}

/** The run's retrieval: its queries, its hits merged (best score per document), and whether any cleared the floor. */
function retrievalOf(spans: readonly ReadableSpan[]): { record: RetrievalRecord | null; hit: boolean | null } {
  const retrievals = spans.filter((span) => spanKindOf(span) === 'retrieval');
  if (retrievals.length === 0) {
    return { record: null, hit: null };
  }
  const queries = [
    ...new Set(
      retrievals.map((span) => text(span.attributes[GEN_AI.retrievalQueryText])).filter((query) => query !== null)
    ),
  ];
  const hits = new Map<string, RetrievedHit>();
  for (const span of retrievals) {
    for (const hit of hitsOf(span)) {
      const known = hits.get(hit.id);
      if (known === undefined || hit.score > known.score) {
        hits.set(hit.id, hit);
      }
    }
  }
  const best = [...hits.values()]
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, MAX_RETRIEVAL_HITS);
  return {
    record: { query: queries.join(' | ').slice(0, MAX_QUERY_CHARS), hits: best },
    hit: retrievals.some((span) => count(span.attributes[INTELOPS.retrievalRelevantHits]) > 0),
  };
}

/** One run from its root span and the spans buffered with it. */
export function summarize(
  root: ReadableSpan,
  open: OpenTrace,
  costOf?: RecorderOptions['costOf']
): { run: AgentRunRecord; spans: AgentSpanRecord[] } {
  const kind = runKindOf(root);
  if (kind === undefined) {
    throw new Error(`span ${root.name} is not the root of an agent run`);
  }
  const id = root.spanContext().traceId;
  const byStart = [...open.spans].sort((a, b) => ms(a).start - ms(b).start);
  const llm = byStart.filter((span) => spanKindOf(span) === 'llm');
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | null = llm.length === 0 || costOf === undefined ? null : 0;
  for (const span of llm) {
    const input = count(span.attributes[GEN_AI.inputTokens]);
    const output = count(span.attributes[GEN_AI.outputTokens]);
    inputTokens += input;
    outputTokens += output;
    const model = text(span.attributes[GEN_AI.responseModel]) ?? text(span.attributes[GEN_AI.requestModel]);
    const priced = model === null || costOf === undefined ? null : costOf(model, input, output);
    cost = cost === null || priced === null ? null : cost + priced;
  }
  const first = llm[0];
  const model =
    first === undefined
      ? null
      : (text(first.attributes[GEN_AI.requestModel]) ?? text(first.attributes[GEN_AI.responseModel]));
  const streamed = llm.find((span) => typeof span.attributes[INTELOPS.ttftMs] === 'number');
  const ttft = streamed?.attributes[INTELOPS.ttftMs];
  const retrieval = retrievalOf(byStart);
  const method = root.attributes[INTELOPS.method];
  const failed = root.status.code === SpanStatusCode.ERROR;
  const run: AgentRunRecord = {
    id,
    kind,
    sessionId: text(root.attributes[SESSION_ID]),
    incidentId: text(root.attributes[INTELOPS.incidentId]),
    workflowRunId: text(root.attributes[INTELOPS.workflowRunId]),
    startedAt: new Date(ms(root).start),
    durationMs: ms(root).duration,
    status: failed ? 'error' : 'ok',
    error: failed ? (root.status.message ?? 'failed') : null,
    model,
    llmCalls: llm.length,
    inputTokens,
    outputTokens,
    costUsd: cost,
    ttftMs: typeof ttft === 'number' ? ttft : null,
    retrieval: retrieval.record,
    retrievalHit: retrieval.hit,
    citations: count(root.attributes[INTELOPS.citations]),
    citationsDropped: count(root.attributes[INTELOPS.citationsDropped]),
    method: method === 'graph' || method === 'llm' ? method : null,
    judge: null,
    human: null,
  };
  const spans = byStart.map((span) =>
    toSpanRecord(id, span, span === root && open.dropped > 0 ? { [INTELOPS.spansDropped]: open.dropped } : {})
  );
  return { run, spans };
}
