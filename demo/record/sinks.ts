import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanMetrics } from './spanMetrics.ts';

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusName = 'ok' | 'error' | 'unset';

/** A span as received over OTLP/HTTP, times in epoch milliseconds. */
export interface CapturedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: SpanKindName;
  startMs: number;
  durationMs: number;
  status: SpanStatusName;
  attributes: Record<string, string | number | boolean>;
}

/** A log line as pushed to Loki, its time in epoch milliseconds. */
export interface CapturedLog {
  stream: Record<string, string>;
  t: number;
  line: string;
}

export interface TelemetrySink {
  /** Point OTEL_EXPORTER_OTLP_ENDPOINT and LOKI_URL here. */
  url: string;
  spans: CapturedSpan[];
  logs: CapturedLog[];
  /** Span metrics and service graph metrics over the spans, as Tempo's metrics generator names them (GET /metrics). */
  metrics: SpanMetrics;
  close(): Promise<void>;
}

// OTLP's SpanKind numbers (SPAN_KIND_UNSPECIFIED = 0 reads as internal).
const KINDS: SpanKindName[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUSES: SpanStatusName[] = ['unset', 'ok', 'error'];
const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}
interface OtlpTraces {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}
interface LokiPush {
  streams?: Array<{ stream?: Record<string, string>; values?: Array<[string, string]> }>;
}

function attributeValue(value: OtlpValue | undefined): string | number | boolean | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.stringValue !== undefined) {
    return value.stringValue;
  }
  if (value.intValue !== undefined) {
    return Number(value.intValue);
  }
  return value.doubleValue ?? value.boolValue;
}

function attributes(list: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const read = attributeValue(value);
    if (read !== undefined) {
      out[key] = read;
    }
  }
  return out;
}

// Nanosecond strings exceed a double's precision; split them so milliseconds keep their microseconds.
function nanosToMs(value: string | number | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const text = String(value);
  return text.length > 6 ? Number(text.slice(0, -6)) + Number(text.slice(-6)) / 1e6 : Number(text) / 1e6;
}

/** The spans of one OTLP/HTTP JSON export request. */
export function spansFromOtlp(body: OtlpTraces): CapturedSpan[] {
  const spans: CapturedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const service = String(attributes(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        if (span.traceId === undefined || span.spanId === undefined) {
          continue;
        }
        const startMs = nanosToMs(span.startTimeUnixNano);
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          service,
          name: span.name ?? '',
          kind: KINDS[span.kind ?? 0] ?? 'internal',
          startMs,
          durationMs: Math.max(0, nanosToMs(span.endTimeUnixNano) - startMs),
          status: STATUSES[span.status?.code ?? 0] ?? 'unset',
          attributes: attributes(span.attributes),
        });
      }
    }
  }
  return spans;
}

/** The lines of one Loki push request (JSON form). */
export function logsFromLokiPush(body: LokiPush): CapturedLog[] {
  return (body.streams ?? []).flatMap(({ stream = {}, values = [] }) =>
    values.map(([ns, line]) => ({ stream, t: nanosToMs(ns), line }))
  );
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
      }
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: string, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type });
  response.end(body);
}

/**
 * An OTLP/HTTP traces receiver and a Loki push receiver in one local server, keeping what they are sent (JSON
 * encodings only: the shop's exporter and logger send JSON). Serves the span metrics Tempo would make on /metrics.
 */
export async function startTelemetrySink(): Promise<TelemetrySink> {
  const spans: CapturedSpan[] = [];
  const logs: CapturedLog[] = [];
  const metrics = new SpanMetrics();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    if (request.method === 'GET' && path === '/metrics') {
      metrics.text().then(
        (text) => reply(response, 200, text, metrics.contentType),
        (error: unknown) => reply(response, 500, String(error), 'text/plain')
      );
      return;
    }
    const json = (request.headers['content-type'] ?? '').startsWith('application/json');
    if (request.method !== 'POST' || (path !== '/v1/traces' && path !== '/loki/api/v1/push')) {
      reply(
        response,
        404,
        JSON.stringify({ error: `no ${request.method} ${path}: POST /v1/traces or /loki/api/v1/push` })
      );
      return;
    }
    if (!json) {
      request.resume();
      reply(response, 415, JSON.stringify({ error: 'only JSON bodies are understood here' }));
      return;
    }
    readJson(request).then(
      (body) => {
        if (path === '/v1/traces') {
          const received = spansFromOtlp(body as OtlpTraces);
          spans.push(...received);
          metrics.observe(received);
          reply(response, 200, '{}');
        } else {
          logs.push(...logsFromLokiPush(body as LokiPush));
          reply(response, 204, '');
        }
      },
      () => reply(response, 400, JSON.stringify({ error: 'body is not JSON' }))
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    logs,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
