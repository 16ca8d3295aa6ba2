import { context, createContextKey, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import type { AttributeValue, Attributes, Span, Tracer } from '@opentelemetry/api';
import type { AgentRunKind, AgentSpanKind } from '../agentRuns/agentRun.ts';
import { EXCEPTION_EVENT, EXCEPTION_MESSAGE, EXCEPTION_TYPE, INTELOPS } from './conventions.ts';

/**
 * Agent runs as OpenTelemetry traces. A run (an analysis, a question, a draft, a workflow run) starts a root span
 * with `traceRun`; everything it calls adds child spans with `traceStep`, finding the run through the active
 * context (AsyncLocalStorage), so the tracer is passed to the few places that start runs and nowhere else. Outside
 * a run `traceStep` only calls its function: nothing is recorded and nothing costs.
 *
 * Every text put on a span goes through the engine's redaction (API keys, tokens, secrets) and a size cap.
 */

/** What starts runs: an engine's own tracer (never a global one) and the redaction every span text gets. */
export interface AgentTracing {
  tracer: Tracer;
  redact(text: string): string;
}

/** Longest text attribute kept on a span, in characters; longer ones are cut and marked. */
export const ATTRIBUTE_TEXT_CAP = 4096;
/** Longest text attribute of an event (prompts, completions, tool input and output). */
export const EVENT_TEXT_CAP = 16_384;
const STATUS_MESSAGE_CAP = 1024;

export type SpanAttributes = Record<string, AttributeValue | undefined>;

/** One span as instrumented code sees it; a do-nothing one outside a run. */
export interface TraceSpan {
  /** False outside a run: skip building what would only be recorded. */
  readonly recording: boolean;
  /** The run's trace id (= the agent run id); undefined outside a run. */
  readonly traceId: string | undefined;
  /** Sets attributes: texts redacted and capped at ATTRIBUTE_TEXT_CAP, undefined values skipped. */
  set(attributes: SpanAttributes): void;
  /** Adds an event: texts redacted and capped at EVENT_TEXT_CAP (those cut named in intelops.truncated). */
  event(name: string, attributes: SpanAttributes): void;
  /** Marks the span failed, with the error's message (redacted) as status and an exception event; once. */
  fail(error: unknown): void;
}

/** The run a context belongs to: its tracing and its root span. */
class ActiveRun {
  readonly tracing: AgentTracing;
  readonly root: Span;

  constructor(tracing: AgentTracing, root: Span) {
    this.tracing = tracing;
    this.root = root;
  }
}

const ACTIVE_RUN = createContextKey('intelops.agent_run');

function activeRun(): ActiveRun | undefined {
  const value = context.active().getValue(ACTIVE_RUN);
  return value instanceof ActiveRun ? value : undefined;
}

const NOT_TRACED: TraceSpan = {
  recording: false,
  traceId: undefined,
  set: () => undefined,
  event: () => undefined,
  fail: () => undefined,
};

/** A text cut to `cap` characters with a marker saying how much was left out. */
export function capText(text: string, cap: number): { text: string; truncated: boolean } {
  if (text.length <= cap) {
    return { text, truncated: false };
  }
  const marker = `…[truncated ${text.length - cap} characters]`;
  return { text: text.slice(0, Math.max(0, cap - marker.length)) + marker, truncated: true };
}

/** Attributes as recorded: texts redacted and capped, undefined skipped; `truncated` names those cut. */
function clean(
  attributes: SpanAttributes,
  redact: (text: string) => string,
  cap: number
): { attributes: Attributes; truncated: string[] } {
  const out: Attributes = {};
  const truncated: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) {
      continue;
    }
    if (typeof value === 'string') {
      const capped = capText(redact(value), cap);
      out[key] = capped.text;
      if (capped.truncated) {
        truncated.push(key);
      }
    } else {
      const texts = stringItems(value);
      out[key] = texts === undefined ? value : texts.map((item) => capText(redact(item), cap).text);
    }
  }
  return { attributes: out, truncated };
}

/** The items of an array of texts; undefined for anything else. */
function stringItems(value: AttributeValue): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  const texts: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') {
      return undefined;
    }
    texts.push(item);
  }
  return texts;
}

function messageOf(error: unknown): { type: string; message: string } {
  if (error instanceof Error) {
    return { type: error.name, message: error.message };
  }
  return { type: 'Error', message: String(error) };
}

class RecordingSpan implements TraceSpan {
  readonly recording = true;
  readonly traceId: string;
  private readonly span: Span;
  private readonly redact: (text: string) => string;
  private failed = false;

  constructor(span: Span, redact: (text: string) => string) {
    this.span = span;
    this.redact = redact;
    this.traceId = span.spanContext().traceId;
  }

  set(attributes: SpanAttributes): void {
    const { attributes: recorded, truncated } = clean(attributes, this.redact, ATTRIBUTE_TEXT_CAP);
    this.span.setAttributes(truncated.length === 0 ? recorded : { ...recorded, [INTELOPS.truncated]: truncated });
  }

  event(name: string, attributes: SpanAttributes): void {
    const { attributes: recorded, truncated } = clean(attributes, this.redact, EVENT_TEXT_CAP);
    this.span.addEvent(name, truncated.length === 0 ? recorded : { ...recorded, [INTELOPS.truncated]: truncated });
  }

  fail(error: unknown): void {
    // The first failure is the one to keep: the step that knows the reason best reports it first.
    if (this.failed) {
      return;
    }
    this.failed = true;
    const { type, message } = messageOf(error);
    const safe = capText(this.redact(message), STATUS_MESSAGE_CAP).text;
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: safe });
    this.span.addEvent(EXCEPTION_EVENT, { [EXCEPTION_TYPE]: type, [EXCEPTION_MESSAGE]: safe });
  }
}

export interface RunStart {
  kind: AgentRunKind;
  /** The root span's name, e.g. `invoke_agent intelops.analyze`. */
  name: string;
  attributes?: SpanAttributes;
}

/**
 * Runs `fn` as an agent run: a new trace whose root span ends when `fn` settles (failed when it throws). Without
 * tracing, `fn` runs as it is.
 */
export async function traceRun<T>(
  tracing: AgentTracing | undefined,
  start: RunStart,
  fn: (run: TraceSpan) => Promise<T>
): Promise<T> {
  if (tracing === undefined) {
    return fn(NOT_TRACED);
  }
  const root = tracing.tracer.startSpan(start.name, { root: true }, ROOT_CONTEXT);
  const handle = new RecordingSpan(root, tracing.redact);
  handle.set({ ...start.attributes, [INTELOPS.runKind]: start.kind, [INTELOPS.spanKind]: 'other' });
  const active = trace.setSpan(ROOT_CONTEXT.setValue(ACTIVE_RUN, new ActiveRun(tracing, root)), root);
  try {
    return await context.with(active, () => fn(handle));
  } catch (error) {
    handle.fail(error);
    throw error;
  } finally {
    root.end();
  }
}

/** Runs `fn` as a child span of the current one, of the given kind; outside a run, just runs `fn`. */
export async function traceStep<T>(
  name: string,
  kind: AgentSpanKind,
  attributes: SpanAttributes,
  fn: (span: TraceSpan) => Promise<T>
): Promise<T> {
  const run = activeRun();
  if (run === undefined) {
    return fn(NOT_TRACED);
  }
  const parent = context.active();
  const span = run.tracing.tracer.startSpan(name, {}, parent);
  const handle = new RecordingSpan(span, run.tracing.redact);
  handle.set({ ...attributes, [INTELOPS.spanKind]: kind });
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(handle));
  } catch (error) {
    handle.fail(error);
    throw error;
  } finally {
    span.end();
  }
}

/** The current run's root span (to record what only a deep step knows, like the guard's counts); do-nothing outside a run. */
export function currentRun(): TraceSpan {
  const run = activeRun();
  return run === undefined ? NOT_TRACED : new RecordingSpan(run.root, run.tracing.redact);
}

/** Redaction that scrubs each of the given secret values (and their URL- and JSON-escaped forms) from text. */
export function secretRedactor(secrets: ReadonlyArray<string | undefined>): (text: string) => string {
  const forms = [
    ...new Set(
      secrets
        .filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH)
        .flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
    ),
  ].sort((a, b) => b.length - a.length);
  if (forms.length === 0) {
    return (text) => text;
  }
  return (text) => {
    let result = text;
    for (const form of forms) {
      if (result.includes(form)) {
        result = result.split(form).join('[redacted]');
      }
    }
    return result;
  };
}

// Shorter values would blank out ordinary words; such secrets are guessable anyway.
const MIN_SECRET_LENGTH = 4;
