import { MemoryTracesSource } from '../../engine/src/perception/traces/memoryTracesSource.ts';
import type { Span } from '../../engine/src/sources/types.ts';
import { startApiServer, timeParam } from './apiServer.ts';
import type { ApiReply, ApiServer } from './apiServer.ts';

const KIND_NAMES: Record<Span['kind'], string> = {
  unspecified: 'SPAN_KIND_UNSPECIFIED',
  internal: 'SPAN_KIND_INTERNAL',
  server: 'SPAN_KIND_SERVER',
  client: 'SPAN_KIND_CLIENT',
  producer: 'SPAN_KIND_PRODUCER',
  consumer: 'SPAN_KIND_CONSUMER',
};
const STATUS_CODES = { ok: 'STATUS_CODE_OK', error: 'STATUS_CODE_ERROR', unset: 'STATUS_CODE_UNSET' } as const;

/**
 * Tempo's API over recorded traces: `GET /api/search` for the TraceQL the engine writes (one spanset of service,
 * status, kind and duration conditions; others are refused with 400) and traces by id (v2 and v1), in Tempo's JSON.
 */
export function startTracesApi(spans: readonly Span[], now: () => number = Date.now): Promise<ApiServer> {
  const source = new MemoryTracesSource(spans);
  const byTrace = groupBy(spans, (span) => span.traceId);
  return startApiServer('traces', ({ path, params }): ApiReply | Promise<ApiReply> => {
    if (path === '/ready') {
      return { body: 'ready\n' };
    }
    if (path === '/api/echo') {
      return { body: 'echo' };
    }
    if (path === '/api/status/buildinfo') {
      return { body: { version: '2.6.0', revision: 'recording', branch: 'demo' } };
    }
    if (path === '/api/search') {
      return search(source, params, now());
    }
    const id = /^\/api(?:\/v2)?\/traces\/([0-9a-fA-F]{1,32})$/.exec(path)?.[1];
    if (id !== undefined) {
      const trace = byTrace.get(id.toLowerCase().padStart(32, '0'));
      if (trace === undefined) {
        return { status: 404, body: 'trace not found' };
      }
      const resourceSpans = otlp(trace);
      return { body: path.startsWith('/api/v2/') ? { trace: { resourceSpans } } : { batches: resourceSpans } };
    }
    return { status: 404, body: `${path}: not served from a recording` };
  });
}

async function search(source: MemoryTracesSource, params: URLSearchParams, now: number): Promise<ApiReply> {
  const to = timeParam(params, 'end', now);
  const from = timeParam(params, 'start', to - 3_600_000);
  const limit = Number(params.get('limit') ?? '20');
  const spss = Number(params.get('spss') ?? '3');
  let matches;
  try {
    // Tempo's end is whole seconds, inclusive.
    matches = await source.search(params.get('q') ?? '{}', { from, to: to + 1000 }, { limit, spansPerSpanSet: spss });
  } catch (error) {
    return { status: 400, body: `invalid TraceQL query (served from a recording): ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    body: {
      traces: matches.map((trace) => ({
        traceID: trace.traceId.replace(/^0+/, ''),
        rootServiceName: trace.rootService ?? '<root span not yet received>',
        rootTraceName: trace.rootName ?? '',
        startTimeUnixNano: String(BigInt(Math.round(trace.start * 1e6))),
        ...(trace.durationMs >= 1 ? { durationMs: Math.round(trace.durationMs) } : {}),
        spanSets: [
          {
            spans: trace.spans.map((span) => ({
              spanID: span.spanId,
              name: span.name ?? '',
              startTimeUnixNano: String(BigInt(Math.round(span.start * 1e6))),
              durationNanos: String(Math.round(span.durationMs * 1e6)),
              attributes: [
                ...(span.service === undefined ? [] : [{ key: 'service.name', value: { stringValue: span.service } }]),
                ...(span.status === undefined ? [] : [{ key: 'status', value: { stringValue: span.status } }]),
              ],
            })),
            matched: trace.spans.length,
          },
        ],
      })),
      metrics: { inspectedTraces: matches.length, completedJobs: 1, totalJobs: 1 },
    },
  };
}

/** A trace's spans as OTLP JSON resource spans, one per service. */
function otlp(spans: readonly Span[]): unknown[] {
  return [...groupBy(spans, (span) => span.service ?? 'unknown')].map(([service, own]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [
      {
        scope: { name: 'demo-shop' },
        spans: own.map((span) => {
          const start = BigInt(Math.round(span.start * 1e6));
          return {
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
            name: span.name ?? '',
            kind: KIND_NAMES[span.kind],
            startTimeUnixNano: String(start),
            endTimeUnixNano: String(start + BigInt(Math.round(span.durationMs * 1e6))),
            attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: attributeValue(value) })),
            status: { code: STATUS_CODES[span.status ?? 'unset'] },
          };
        }),
      },
    ],
  }));
}

function attributeValue(value: string | number | boolean): Record<string, unknown> {
  if (typeof value === 'string') {
    return { stringValue: value };
  }
  if (typeof value === 'boolean') {
    return { boolValue: value };
  }
  return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}
