import type { TimeRange } from '@grafana/data';
import type { EngineClient } from './engineClient';
import { finiteOr, invalidBody, isRecord, stringOr } from './jsonBody';
import { durationMs } from './queryValidation';

export const LOG_TEMPLATES_PATH = '/api/v1/query/log-templates';

export const TEMPLATE_CHANGES = ['new', 'spiking', 'vanishing', 'steady'] as const;
export type TemplateChange = (typeof TEMPLATE_CHANGES)[number];

/** One mined template as POST /api/v1/query/log-templates returns it. */
export interface LogTemplate {
  id: string;
  template: string;
  count: number;
  /** Count in the baseline window, scaled to the query window's length. */
  baselineCount: number;
  change: TemplateChange;
  firstSeen: string;
  lastSeen: string;
  sample: string;
  /** The LogQL that shows this template's lines in Explore. */
  logql: string;
  /** [epoch ms, count] buckets over the query window. */
  series: Array<[number, number]>;
}

export interface LogTemplatesResult {
  selector: string;
  linesRead: number;
  truncated: boolean;
  templates: LogTemplate[];
}

/** The request body: times as RFC 3339. */
export interface LogTemplatesRequest {
  selector?: string;
  services?: string[];
  from: string;
  to: string;
  baselineFrom?: string;
  limit?: number;
}

/** What the query runner passes in: the query's fields after variable interpolation. */
export interface LogTemplatesQuery {
  selector?: string;
  services: string[];
  /** How long before the range start the baseline begins (1h, 1d); the engine's default when empty. */
  baseline?: string;
}

/** The body for the query over `range`; an unreadable baseline is left to the caller's validation. */
export function logTemplatesRequest(
  query: LogTemplatesQuery,
  range: Pick<TimeRange, 'from' | 'to'>
): LogTemplatesRequest {
  const from = range.from.valueOf();
  const selector = query.selector?.trim();
  const baseline = durationMs(query.baseline);
  return {
    ...(selector ? { selector } : {}),
    ...(query.services.length > 0 ? { services: [...new Set(query.services)] } : {}),
    from: new Date(from).toISOString(),
    to: new Date(range.to.valueOf()).toISOString(),
    ...(typeof baseline === 'number' ? { baselineFrom: new Date(from - baseline).toISOString() } : {}),
  };
}

function isChange(value: unknown): value is TemplateChange {
  return TEMPLATE_CHANGES.some((change) => change === value);
}

function parseSeries(value: unknown): Array<[number, number]> {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((point): Array<[number, number]> => {
    if (!Array.isArray(point)) {
      return [];
    }
    const [at, count]: unknown[] = point;
    return typeof at === 'number' && typeof count === 'number' && Number.isFinite(at) && Number.isFinite(count)
      ? [[at, count]]
      : [];
  });
}

function parseTemplate(value: unknown, index: number): LogTemplate {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.template !== 'string') {
    throw invalidBody(LOG_TEMPLATES_PATH, `template ${index + 1} has no id or template`);
  }
  return {
    id: value.id,
    template: value.template,
    count: finiteOr(value.count, 0),
    baselineCount: finiteOr(value.baselineCount, 0),
    // A newer engine's change kind shows as steady rather than failing the panel.
    change: isChange(value.change) ? value.change : 'steady',
    firstSeen: stringOr(value.firstSeen, ''),
    lastSeen: stringOr(value.lastSeen, ''),
    sample: stringOr(value.sample, ''),
    logql: stringOr(value.logql, ''),
    series: parseSeries(value.series),
  };
}

export function parseLogTemplates(body: unknown): LogTemplatesResult {
  if (!isRecord(body) || !Array.isArray(body.templates)) {
    throw invalidBody(LOG_TEMPLATES_PATH, 'the body has no templates list');
  }
  return {
    selector: stringOr(body.selector, ''),
    linesRead: finiteOr(body.linesRead, 0),
    truncated: body.truncated === true,
    templates: body.templates.map(parseTemplate),
  };
}

export async function fetchLogTemplates(
  client: Pick<EngineClient, 'post'>,
  request: LogTemplatesRequest
): Promise<LogTemplatesResult> {
  return parseLogTemplates(await client.post(LOG_TEMPLATES_PATH, request));
}
