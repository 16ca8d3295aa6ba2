import type { LogEntry } from '../sources/types.ts';
import type { RecordedRequest, Reply, ReplayServer } from './replayServer.ts';

/**
 * Serves `query_range` over a fixed set of log entries the way Loki does: the entries in [start, end) whose
 * stream matches the selector's equality matchers, newest or oldest first, at most `limit`, as a streams result.
 */
export function serveLokiEntries(server: ReplayServer, entries: readonly LogEntry[]): void {
  server.on('/loki/api/v1/query_range', (request) => answer(request, entries));
  server.on('/loki/api/v1/labels', (request) => {
    const start = Number(request.params.get('start') ?? '0') / 1e6;
    const end = Number(request.params.get('end') ?? `${Number.MAX_SAFE_INTEGER}`) / 1e6;
    const names = new Set(entries.filter((e) => e.t >= start && e.t < end).flatMap((e) => Object.keys(e.labels)));
    return { body: { status: 'success', data: [...names].sort() } };
  });
}

function answer(request: RecordedRequest, entries: readonly LogEntry[]): Reply {
  const query = request.params.get('query') ?? '';
  const start = BigInt(request.params.get('start') ?? '0');
  const end = BigInt(request.params.get('end') ?? '0');
  const limit = Number(request.params.get('limit') ?? '100');
  const forward = request.params.get('direction') === 'forward';
  const matchers = [...query.matchAll(/(\w+)\s*=~?\s*"([^"]*)"/g)].map(([, name = '', value = '']) => ({ name, pattern: new RegExp(`^(?:${value.replace(/\\\\/g, '\\')})$`) }));
  const chosen = entries
    .filter((entry) => {
      const ns = BigInt(entry.t) * 1_000_000n;
      return ns >= start && ns < end && matchers.every(({ name, pattern }) => pattern.test(entry.labels[name] ?? ''));
    })
    .sort((a, b) => (forward ? a.t - b.t : b.t - a.t))
    .slice(0, limit);
  const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
  for (const entry of chosen) {
    const key = JSON.stringify(entry.labels);
    const stream = streams.get(key) ?? { stream: entry.labels, values: [] };
    stream.values.push([`${BigInt(entry.t) * 1_000_000n}`, entry.line]);
    streams.set(key, stream);
  }
  return { body: { status: 'success', data: { resultType: 'streams', result: [...streams.values()], stats: {} } } };
}
