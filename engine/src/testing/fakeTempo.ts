import type { RecordedRequest, Reply, ReplayServer } from './replayServer.ts';

/** One trace the fake holds: its root span's service, name and status stand for the trace. */
export interface RecordedTrace {
  /** 32 hex digits. */
  traceId: string;
  rootService: string;
  rootName: string;
  /** Milliseconds since the epoch. */
  start: number;
  durationMs: number;
  status: 'error' | 'ok' | 'unset';
}

/** Tempo's answer to `GET /api/search?q=foo` (modules/frontend/search_handlers_test.go). */
export const TEMPO_BAD_TRACEQL =
  'invalid TraceQL query: parse error at line 1, col 1: syntax error: unexpected IDENTIFIER';

/**
 * Serves `GET /api/search` over a fixed set of traces the way Tempo does: the traces starting in [start, end] (whole
 * seconds) whose root span meets every `field = value` condition of a `{ … && … }` query, newest first, at most
 * `limit`, in Tempo's search format. Understands resource.service.name, name and status; anything else is refused.
 */
export function serveTempoTraces(server: ReplayServer, traces: readonly RecordedTrace[]): void {
  server.on('/api/search', (request) => answer(request, traces));
}

const CONDITION = /^\s*([\w.]+)\s*=\s*(?:"([^"]*)"|(\w+))\s*$/;
const FIELDS: Record<string, (trace: RecordedTrace) => string> = {
  'resource.service.name': (trace) => trace.rootService,
  name: (trace) => trace.rootName,
  status: (trace) => trace.status,
};

function answer(request: RecordedRequest, traces: readonly RecordedTrace[]): Reply {
  const query = (request.query.get('q') ?? '').trim();
  if (!query.startsWith('{') || !query.endsWith('}')) {
    return { status: 400, body: TEMPO_BAD_TRACEQL };
  }
  const conditions: Array<{ read: (trace: RecordedTrace) => string; value: string }> = [];
  const body = query.slice(1, -1).trim();
  for (const text of body === '' ? [] : body.split('&&')) {
    const match = CONDITION.exec(text);
    const read = FIELDS[match?.[1] ?? ''];
    if (match === null || read === undefined) {
      return { status: 500, body: `the fake Tempo does not understand ${JSON.stringify(text.trim())}` };
    }
    conditions.push({ read, value: match[2] ?? match[3] ?? '' });
  }
  const start = Number(request.query.get('start') ?? '0') * 1000;
  const end = Number(request.query.get('end') ?? `${Number.MAX_SAFE_INTEGER}`) * 1000;
  const limit = Number(request.query.get('limit') ?? '20');
  const chosen = traces
    .filter((trace) => trace.start >= start && trace.start <= end)
    .filter((trace) => conditions.every(({ read, value }) => read(trace) === value))
    .sort((a, b) => b.start - a.start)
    .slice(0, limit);
  return {
    body: {
      traces: chosen.map((trace) => {
        const startNs = `${BigInt(trace.start) * 1_000_000n}`;
        return {
          // Tempo drops leading zeros of trace ids, and jsonpb leaves out a zero durationMs.
          traceID: trace.traceId.replace(/^0+/, ''),
          rootServiceName: trace.rootService,
          rootTraceName: trace.rootName,
          startTimeUnixNano: startNs,
          ...(trace.durationMs === 0 ? {} : { durationMs: trace.durationMs }),
          spanSets: [
            {
              spans: [
                {
                  spanID: trace.traceId.slice(0, 16),
                  startTimeUnixNano: startNs,
                  durationNanos: `${Math.round(trace.durationMs * 1_000_000)}`,
                  attributes: [
                    { key: 'service.name', value: { stringValue: trace.rootService } },
                    { key: 'status', value: { stringValue: trace.status } },
                  ],
                },
              ],
              matched: 1,
            },
          ],
        };
      }),
      metrics: { inspectedBytes: '1000', completedJobs: 1, totalJobs: 1 },
    },
  };
}
