import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { Evidence } from '../../perception/evidence.ts';
import { TemplateMiner, templateText } from '../../perception/logs/miner.ts';
import { median } from '../../perception/metrics/robust.ts';
import { stepForPoints } from '../../perception/metrics/steps.ts';
import { isObject } from '../../sources/json.ts';
import type { LogsSource, MetricSeries, MetricsSource, TimeRange } from '../../sources/types.ts';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.ts';
import { fence, flatten } from './fence.ts';
import type { LlmTool, ServiceContext } from './types.ts';

/** A tool result the model reads is at most this long: enough for a summary, never a dump. */
export const MAX_TOOL_RESULT_CHARS = 4000;
/** Tool calls answered per round; a model asking for more gets an error for the rest. */
export const MAX_CALLS_PER_ROUND = 5;

const METRIC_SERIES = 10;
// About a point a minute over an hour-long window: enough for min/median/max/last.
const METRIC_POINTS = 120;
const LOG_LINES_READ = 500;
const LOG_LINES_SHOWN = 20;
const LOG_TEMPLATES_SHOWN = 10;
const LOG_LINE_CHARS = 300;

export interface CatalogToolsOptions {
  knowledge?: KnowledgeBase;
  metrics?: MetricsSource;
  logs?: LogsSource;
  evidence: readonly Evidence[];
  services: Readonly<Record<string, ServiceContext>>;
  /** The incident's window: metric and log queries cover it and nothing else. */
  window: TimeRange;
}

const stringArgument = (name: string, description: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [name],
  properties: { [name]: { type: 'string', minLength: 1, maxLength: 2000, description } },
});

/** The data catalog as tools: runbooks, evidence, the CMDB and, when configured, metrics and logs. */
export function catalogTools(options: CatalogToolsOptions): LlmTool[] {
  const tools: LlmTool[] = [];
  const { knowledge, metrics, logs } = options;
  if (knowledge !== undefined) {
    tools.push({
      name: 'search_runbooks',
      description: 'Full-text search over runbooks and resolved incidents; returns the best 3 with an excerpt.',
      parameters: stringArgument('query', 'Words to search for: symptoms, services, error messages'),
      run: async (args) => {
        const hits = await knowledge.search({ text: stringArg(args, 'query') }, 3);
        return hits.map((hit) => ({
          id: hit.id,
          title: hit.title,
          score: round(hit.score),
          excerpt: flatten(hit.document.body, 800),
        }));
      },
    });
  }
  tools.push({
    name: 'get_evidence',
    description: 'One evidence item by id (ev_…) with its details and the query that reproduces it.',
    parameters: stringArgument('id', 'The evidence id'),
    run: async (args) => {
      const id = stringArg(args, 'id');
      const item = options.evidence.find((candidate) => candidate.id === id);
      return item === undefined ? { error: `no evidence with id ${id}` } : evidenceDetails(item);
    },
  });
  tools.push({
    name: 'get_service',
    description:
      'What the CMDB says about a service: owner, team, tier, capability, dependencies, and the services that depend on it.',
    parameters: stringArgument('name', 'The service name'),
    run: async (args) => {
      const name = stringArg(args, 'name');
      const service = options.services[name];
      if (service === undefined) {
        return { error: `no service named ${name} in the CMDB` };
      }
      const dependents = Object.entries(options.services)
        .filter(([, other]) => other.dependsOn?.includes(name) === true)
        .map(([other]) => other);
      return { name, ...service, dependents };
    },
  });
  if (metrics !== undefined) {
    tools.push({
      name: 'query_metrics',
      description: `Runs a PromQL range query over the incident window; returns per series min, median, max and last (at most ${METRIC_SERIES} series, highest first).`,
      parameters: stringArgument(
        'promql',
        'A PromQL expression; aggregate (sum by, topk) to stay under the series cap'
      ),
      run: async (args, signal) => {
        const step = stepForPoints(options.window.to - options.window.from, METRIC_POINTS, 15);
        const series = await metrics.queryRange(stringArg(args, 'promql'), options.window, step, { signal });
        return summariseSeries(series);
      },
    });
  }
  if (logs !== undefined) {
    tools.push({
      name: 'query_logs',
      description: `Runs a LogQL log query over the incident window; returns the lines (up to ${LOG_LINES_SHOWN}) or, when there are more, the top templates with counts.`,
      parameters: stringArgument(
        'logql',
        'A LogQL log query with a stream selector, e.g. {service_name="checkout"} |= "error"'
      ),
      run: async (args, signal) => {
        const result = await logs.queryRange(stringArg(args, 'logql'), options.window, {
          limit: LOG_LINES_READ,
          direction: 'backward',
          signal,
        });
        return summariseLogs(
          result.entries.map((entry) => ({ t: entry.t, line: entry.line })),
          result.truncated
        );
      },
    });
  }
  return tools;
}

function stringArg(args: unknown, name: string): string {
  const value = isObject(args) ? args[name] : undefined;
  if (typeof value !== 'string') {
    throw new Error(`argument "${name}" must be a string`);
  }
  return value;
}

function evidenceDetails(item: Evidence): Record<string, unknown> {
  const base = {
    id: item.id,
    kind: item.kind,
    service: item.service,
    score: round(item.score),
    summary: item.summary,
    from: item.from,
    to: item.to,
    query: item.link.query,
  };
  if (item.kind === 'log_template') {
    const { template, sample, ...rest } = item.details;
    return { ...base, details: { ...rest, template: flatten(template, 500), sample: flatten(sample, LOG_LINE_CHARS) } };
  }
  return { ...base, details: item.details };
}

export interface SeriesSummary {
  labels: Record<string, string>;
  min: number;
  median: number;
  max: number;
  last: number;
  points: number;
}

/** Each series as four numbers, the highest peaks first, at most ten. */
export function summariseSeries(series: readonly MetricSeries[]): { series: SeriesSummary[]; total: number } {
  const summaries = series
    .map((one) => {
      const values = one.samples.map((sample) => sample.v).filter((value) => Number.isFinite(value));
      return values.length === 0
        ? undefined
        : {
            labels: one.labels,
            min: round(Math.min(...values)),
            median: round(median(values)),
            max: round(Math.max(...values)),
            last: round(values[values.length - 1] ?? Number.NaN),
            points: values.length,
          };
    })
    .filter((summary) => summary !== undefined)
    .sort((a, b) => b.max - a.max);
  return { series: summaries.slice(0, METRIC_SERIES), total: series.length };
}

/** A few lines as they are, or, when there are more, the templates they make and how often. */
export function summariseLogs(
  entries: ReadonlyArray<{ t: number; line: string }>,
  truncated: boolean
): Record<string, unknown> {
  if (entries.length <= LOG_LINES_SHOWN) {
    return { lines: entries.map((entry) => flatten(entry.line, LOG_LINE_CHARS)), truncated };
  }
  const miner = new TemplateMiner();
  for (const entry of entries) {
    miner.add(entry.line, entry.t);
  }
  const templates = [...miner.templates()]
    .sort((a, b) => b.count - a.count)
    .slice(0, LOG_TEMPLATES_SHOWN)
    .map((template) => ({
      template: flatten(templateText(template), LOG_LINE_CHARS),
      count: template.count,
      sample: flatten(template.sample, 160),
    }));
  return { linesRead: entries.length, truncated, templates };
}

function round(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(4)) : value;
}

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new WeakMap<LlmTool, ValidateFunction>();

/** Runs one call the model asked for; every failure becomes a result the model reads, never an exception. */
export async function runToolCall(
  tools: readonly LlmTool[],
  name: string,
  rawArguments: string,
  signal?: AbortSignal
): Promise<{ content: string; ok: boolean }> {
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) {
    return toolResult(
      { error: `unknown tool ${name}; available: ${tools.map((candidate) => candidate.name).join(', ')}` },
      false
    );
  }
  let args: unknown;
  try {
    args = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
  } catch {
    return toolResult({ error: 'arguments are not valid JSON' }, false);
  }
  let validate = validators.get(tool);
  if (validate === undefined) {
    validate = ajv.compile(tool.parameters);
    validators.set(tool, validate);
  }
  if (!validate(args)) {
    const error = validate.errors?.[0];
    return toolResult(
      {
        error: `invalid arguments: ${error === undefined ? 'unknown error' : `${error.instancePath || 'arguments'} ${error.message ?? ''}`.trim()}`,
      },
      false
    );
  }
  try {
    return toolResult(await tool.run(args, signal), true);
  } catch (error) {
    if (signal?.aborted === true) {
      throw error;
    }
    return toolResult({ error: error instanceof Error ? error.message : String(error) }, false);
  }
}

/** The result as one fenced line of JSON: tool output is data (log lines, labels), never instructions. */
export function toolResult(value: unknown, ok: boolean): { content: string; ok: boolean } {
  const json = JSON.stringify(value ?? null) ?? 'null';
  return { content: fence([flatten(json, MAX_TOOL_RESULT_CHARS)]), ok };
}
