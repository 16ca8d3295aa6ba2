import type { LogEntry } from '../../engine/src/sources/types.ts';
import { BadParameter, startApiServer } from './apiServer.ts';
import type { ApiReply, ApiRequest, ApiServer } from './apiServer.ts';

/**
 * Loki's query API over recorded log lines: /loki/api/v1/query_range for log queries (a stream selector and line
 * filters |= != |~ !~), labels and label values, in Loki's JSON. Metric queries and parsers are refused (400) with a
 * message saying so; the engine writes only log queries.
 */
export function startLogsApi(entries: readonly LogEntry[], now: () => number = Date.now): Promise<ApiServer> {
  const lines = entries.map((entry) => ({ ...entry, ns: BigInt(Math.round(entry.t * 1e6)) })).sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  return startApiServer('logs', (request) => {
    try {
      return answer(lines, request, BigInt(now()) * 1_000_000n);
    } catch (error) {
      if (error instanceof BadParameter) {
        return { status: 400, body: error.message };
      }
      throw error;
    }
  });
}

type Line = LogEntry & { ns: bigint };
type Filter = (line: string) => boolean;

function answer(lines: readonly Line[], { path, params }: ApiRequest, now: bigint): ApiReply {
  const hour = 3_600_000_000_000n;
  const start = nanos(params.get('start'), now - hour);
  const end = nanos(params.get('end'), now);
  const inRange = lines.filter((line) => line.ns >= start && line.ns < end);
  switch (path) {
    case '/ready':
      return { body: 'ready\n' };
    case '/loki/api/v1/query_range': {
      const { selector, filters } = parseLogQuery(params.get('query') ?? '');
      const limit = Number(params.get('limit') ?? '100');
      const forward = params.get('direction') === 'forward';
      const chosen = inRange.filter((line) => selector(line.labels) && filters.every((filter) => filter(line.line)));
      const picked = (forward ? chosen : [...chosen].reverse()).slice(0, Number.isFinite(limit) && limit > 0 ? limit : 100);
      const streams = new Map<string, { stream: Record<string, string>; values: Array<[string, string]> }>();
      for (const line of picked) {
        const key = JSON.stringify(line.labels);
        const stream = streams.get(key) ?? { stream: line.labels, values: [] };
        stream.values.push([String(line.ns), line.line]);
        streams.set(key, stream);
      }
      return { body: { status: 'success', data: { resultType: 'streams', result: [...streams.values()], stats: {} } } };
    }
    case '/loki/api/v1/labels':
      return { body: { status: 'success', data: [...new Set(inRange.flatMap((line) => Object.keys(line.labels)))].sort() } };
    default: {
      const label = /^\/loki\/api\/v1\/label\/([^/]+)\/values$/.exec(path)?.[1];
      if (label !== undefined) {
        const name = decodeURIComponent(label);
        const values = new Set(inRange.flatMap((line) => (line.labels[name] === undefined ? [] : [line.labels[name]])));
        return { body: { status: 'success', data: [...values].sort() } };
      }
      return { status: 404, body: `${path}: not served from a recording` };
    }
  }
}

function nanos(text: string | null, fallback: bigint): bigint {
  if (text === null || text === '') {
    return fallback;
  }
  if (/^\d+$/.test(text)) {
    // Loki reads short numbers as seconds and long ones as nanoseconds.
    return text.length > 12 ? BigInt(text) : BigInt(text) * 1_000_000_000n;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new BadParameter(`invalid time ${JSON.stringify(text)}`);
  }
  return BigInt(ms) * 1_000_000n;
}

const STRING = String.raw`"((?:[^"\\]|\\.)*)"|` + '`([^`]*)`';
const MATCHER = new RegExp(String.raw`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:${STRING})\s*,?`);
const FILTER = new RegExp(String.raw`^\s*(\|=|!=|\|~|!~)\s*(?:${STRING})`);

/** A log query: the stream selector's matchers and the line filters after it. */
export function parseLogQuery(query: string): { selector: (labels: Record<string, string>) => boolean; filters: Filter[] } {
  let rest = query.trim();
  if (!rest.startsWith('{')) {
    throw new BadParameter(`parse error: ${JSON.stringify(query)} is not a log query (a stream selector such as {service_name="cart"} first); metric queries are not served from a recording`);
  }
  rest = rest.slice(1);
  const matchers: Array<(labels: Record<string, string>) => boolean> = [];
  while (!rest.trimStart().startsWith('}')) {
    const match = MATCHER.exec(rest);
    if (match === null) {
      throw new BadParameter(`parse error: cannot read the stream selector of ${JSON.stringify(query)}`);
    }
    const [whole, label = '', op = '=', quoted, raw] = match;
    const value = raw ?? unescape(quoted ?? '');
    const pattern = op === '=~' || op === '!~' ? regex(value) : undefined;
    matchers.push((labels) => {
      const actual = labels[label] ?? '';
      return op === '=' ? actual === value : op === '!=' ? actual !== value : pattern?.test(actual) === (op === '=~');
    });
    rest = rest.slice(whole.length);
  }
  rest = rest.trimStart().slice(1);
  const filters: Filter[] = [];
  while (rest.trim() !== '') {
    const match = FILTER.exec(rest);
    if (match === null) {
      throw new BadParameter(`parse error: only line filters (|= != |~ !~) are served from a recording, not ${JSON.stringify(rest.trim().slice(0, 40))}`);
    }
    const [whole, op = '|=', quoted, raw] = match;
    const value = raw ?? unescape(quoted ?? '');
    const pattern = op === '|~' || op === '!~' ? regex(value, false) : undefined;
    filters.push((line) => (pattern === undefined ? line.includes(value) === (op === '|=') : pattern.test(line) === (op === '|~')));
    rest = rest.slice(whole.length);
  }
  return { selector: (labels) => matchers.every((matcher) => matcher(labels)), filters };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** A Go double-quoted string's escapes. */
function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length === 5) {
      return String.fromCharCode(parseInt(escaped.slice(1), 16));
    }
    return ESCAPES[escaped] ?? escaped;
  });
}

function regex(pattern: string, anchored = true): RegExp {
  try {
    // RE2's (?i) flag at the start is the only inline flag JavaScript needs translated.
    const insensitive = pattern.startsWith('(?i)');
    const body = insensitive ? pattern.slice(4) : pattern;
    return new RegExp(anchored ? `^(?:${body})$` : body, insensitive ? 'i' : '');
  } catch (error) {
    throw new BadParameter(`parse error: invalid regular expression ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
