import { invalidInput } from '../../invalidInput.ts';
import { streamSelector } from '../../sources/loki.ts';
import type { LogsSource, TimeRange } from '../../sources/types.ts';
import { templateText } from './miner.ts';
import type { Change } from './logWindows.ts';
import { readWindows, templateLogql } from './logWindows.ts';
import type { TemplateLibrary } from './templateLibrary.ts';

/** What POST /api/v1/query/log-templates asks, with times already parsed (ms). */
export interface LogTemplatesRequest {
  selector?: string;
  services?: string[];
  from: number;
  to: number;
  baselineFrom?: number;
  /** Templates returned at most. */
  limit?: number;
  /** Lines read per window at most. */
  lines?: number;
}

export interface LogTemplateRow {
  id: string;
  template: string;
  count: number;
  baselineCount: number;
  change: Change;
  firstSeen: string;
  lastSeen: string;
  sample: string;
  logql: string;
  series: Array<[number, number]>;
}

export interface LogTemplatesResponse {
  selector: string;
  linesRead: number;
  truncated: boolean;
  warnings: string[];
  templates: LogTemplateRow[];
}

export const DEFAULT_TEMPLATE_LIMIT = 100;
export const DEFAULT_LINES_PER_WINDOW = 5000;
/** The longest range read: beyond it a query should narrow its selector or range first. */
const MAX_RANGE_MS = 7 * 86_400_000;

/** The templates of a stream over [from, to], each compared with a baseline window before it. */
export async function queryLogTemplates(
  logs: LogsSource,
  library: TemplateLibrary,
  request: LogTemplatesRequest,
  signal?: AbortSignal
): Promise<LogTemplatesResponse> {
  const { incident, baseline } = windowsOf(request);
  const selector = selectorOf(request);
  const read = await readWindows({
    logs,
    library,
    query: selector,
    incident,
    baseline,
    limit: request.lines ?? DEFAULT_LINES_PER_WINDOW,
    signal,
  });
  const templates = read.activity
    // Templates seen only in the baseline and not vanishing say nothing about this range.
    .filter((activity) => activity.count > 0 || activity.change === 'vanishing')
    .slice(0, request.limit ?? DEFAULT_TEMPLATE_LIMIT)
    .map((activity) => ({
      id: activity.template.id,
      template: templateText(activity.template),
      count: activity.count,
      baselineCount: activity.baselineCount,
      change: activity.change,
      firstSeen: new Date(activity.firstSeen).toISOString(),
      lastSeen: new Date(activity.lastSeen).toISOString(),
      sample: activity.sample,
      logql: templateLogql(selector, activity.template),
      series: activity.series,
    }));
  return { selector, linesRead: read.linesRead, truncated: read.truncated, warnings: read.warnings, templates };
}

function windowsOf(request: LogTemplatesRequest): { incident: TimeRange; baseline: TimeRange } {
  const { from, to } = request;
  if (from >= to) {
    throw invalidInput('body/from must be before body/to');
  }
  if (to - from > MAX_RANGE_MS) {
    throw invalidInput('body/from and body/to span more than 7 days; narrow the range');
  }
  const baselineFrom = request.baselineFrom ?? from - (to - from);
  if (baselineFrom >= from) {
    throw invalidInput('body/baselineFrom must be before body/from');
  }
  if (from - baselineFrom > MAX_RANGE_MS) {
    throw invalidInput('body/baselineFrom is more than 7 days before body/from');
  }
  return { incident: { from, to }, baseline: { from: baselineFrom, to: from } };
}

function selectorOf(request: LogTemplatesRequest): string {
  const selector = request.selector?.trim();
  if (selector !== undefined && selector !== '') {
    if (!selector.startsWith('{')) {
      throw invalidInput('body/selector must be a LogQL log query starting with a stream selector, like {service_name="checkout"}');
    }
    return selector;
  }
  const services = request.services?.filter((service) => service.trim() !== '') ?? [];
  if (services.length === 0) {
    throw invalidInput('body needs a selector (a LogQL stream selector) or services (names to select streams by)');
  }
  return streamSelector(services);
}
