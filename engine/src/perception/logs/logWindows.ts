import { evidenceId } from '../evidence.ts';
import type { LogTemplateEvidence, TemplateChange } from '../evidence.ts';
import { escapeRegex, logqlString, SERVICE_LABELS } from '../../sources/loki.ts';
import type { LogEntry, LogsSource, TimeRange } from '../../sources/types.ts';
import { templateText } from './miner.ts';
import type { Template } from './miner.ts';
import type { TemplateLibrary } from './templateLibrary.ts';
import { WILDCARD } from './tokens.ts';

/**
 * Log evidence: the same stream read over an incident window and a baseline window before it, mined into
 * templates, and each template's count compared: new, spiking, vanishing or steady.
 */

export type Change = TemplateChange | 'steady';

export interface TemplateActivity {
  template: Template;
  service: string | undefined;
  count: number;
  /** Baseline count scaled to the incident window's length. */
  baselineCount: number;
  change: Change;
  score: number;
  /** First and last time seen in the incident window (ms), or in the baseline for vanishing templates. */
  firstSeen: number;
  lastSeen: number;
  sample: string;
  /** Lines per bucket across the incident window: [bucket start ms, count]. */
  series: Array<[number, number]>;
}

export interface WindowsRead {
  activity: TemplateActivity[];
  linesRead: number;
  truncated: boolean;
  warnings: string[];
}

export interface ReadWindowsOptions {
  logs: LogsSource;
  library: TemplateLibrary;
  /** A LogQL log query: a stream selector, optionally with line filters. */
  query: string;
  incident: TimeRange;
  baseline: TimeRange;
  /** Lines read per window at most. */
  limit: number;
  buckets?: number;
  signal?: AbortSignal;
}

const DEFAULT_BUCKETS = 30;
/** A template needs this many lines in the window before a rise can count as a spike. */
const MIN_SPIKE_COUNT = 5;
/** Expected lines in the window before an absence can count as vanishing. */
const MIN_VANISHED_EXPECTED = 5;

export async function readWindows(options: ReadWindowsOptions): Promise<WindowsRead> {
  const { logs, library, query, incident, baseline, limit, signal } = options;
  const [before, during] = await Promise.all([
    logs.queryRange(query, baseline, { limit, direction: 'backward', signal }),
    logs.queryRange(query, incident, { limit, direction: 'backward', signal }),
  ]);
  const activity = compareWindows(library, before.entries, during.entries, {
    incident: covered(incident, during.entries, during.truncated),
    baseline: covered(baseline, before.entries, before.truncated),
    buckets: options.buckets ?? DEFAULT_BUCKETS,
  });
  await library.flush();
  return {
    activity,
    linesRead: before.entries.length + during.entries.length,
    truncated: before.truncated || during.truncated,
    warnings: [...(before.warnings ?? []), ...(during.warnings ?? [])],
  };
}

/** A truncated backward read covers only the newest part of its range: counts scale by what was read. */
function covered(range: TimeRange, entries: LogEntry[], truncated: boolean): TimeRange {
  if (!truncated || entries.length === 0) {
    return range;
  }
  const oldest = entries.reduce((min, entry) => Math.min(min, entry.t), Infinity);
  return { from: Math.max(range.from, oldest), to: range.to };
}

interface Tally {
  template: Template;
  service: string | undefined;
  count: number;
  baseline: number;
  firstSeen: number;
  lastSeen: number;
  sample: string | undefined;
  baselineSample: string | undefined;
  buckets: number[];
}

export function compareWindows(
  library: TemplateLibrary,
  baselineEntries: readonly LogEntry[],
  incidentEntries: readonly LogEntry[],
  windows: { incident: TimeRange; baseline: TimeRange; buckets: number }
): TemplateActivity[] {
  const tallies = new Map<string, Tally>();
  const tally = (entry: LogEntry): Tally => {
    const { template, labels } = library.mine(entry);
    const service = serviceOf(labels);
    const key = `${template.id}\u0000${service ?? ''}`;
    let found = tallies.get(key);
    if (found === undefined) {
      found = { template, service, count: 0, baseline: 0, firstSeen: Infinity, lastSeen: -Infinity, sample: undefined, baselineSample: undefined, buckets: new Array<number>(windows.buckets).fill(0) };
      tallies.set(key, found);
    }
    return found;
  };
  // Oldest first, so templates learn from the baseline before the incident's variants arrive.
  for (const entry of [...baselineEntries].sort((a, b) => a.t - b.t)) {
    const found = tally(entry);
    found.baseline++;
    found.baselineSample ??= entry.line;
  }
  const { incident } = windows;
  const bucketMs = Math.max(1, (incident.to - incident.from) / windows.buckets);
  for (const entry of [...incidentEntries].sort((a, b) => a.t - b.t)) {
    const found = tally(entry);
    found.count++;
    found.sample ??= entry.line;
    found.firstSeen = Math.min(found.firstSeen, entry.t);
    found.lastSeen = Math.max(found.lastSeen, entry.t);
    const bucket = Math.min(windows.buckets - 1, Math.max(0, Math.floor((entry.t - incident.from) / bucketMs)));
    found.buckets[bucket] = (found.buckets[bucket] ?? 0) + 1;
  }
  const scale = (incident.to - incident.from) / Math.max(1, windows.baseline.to - windows.baseline.from);
  return [...tallies.values()]
    .map((t) => {
      const expected = t.baseline * scale;
      const { change, score } = classify(t.count, t.baseline, expected);
      return {
        template: t.template,
        service: t.service,
        count: t.count,
        baselineCount: round(expected),
        change,
        score,
        firstSeen: Number.isFinite(t.firstSeen) ? t.firstSeen : t.template.firstSeen,
        lastSeen: Number.isFinite(t.lastSeen) ? t.lastSeen : t.template.lastSeen,
        sample: t.sample ?? t.baselineSample ?? t.template.sample,
        series: t.buckets.map((n, i): [number, number] => [Math.round(incident.from + i * bucketMs), n]),
      };
    })
    .sort((a, b) => b.score - a.score || b.count - a.count);
}

/**
 * New: absent from the baseline. Spiking: far above what the baseline predicts, by a Poisson-style z-score.
 * Vanishing: expected several times and (nearly) gone. Scores in [0, 1] grow with the evidence's weight.
 */
export function classify(count: number, baselineLines: number, expected: number): { change: Change; score: number } {
  if (baselineLines === 0 && count > 0) {
    return { change: 'new', score: round(0.6 + 0.4 * (1 - Math.exp(-count / 10))) };
  }
  const z = (count - expected) / Math.sqrt(expected + 1);
  if (count >= MIN_SPIKE_COUNT && count >= 2 * expected && z >= 3) {
    return { change: 'spiking', score: round(Math.min(1, 0.4 + 0.6 * (1 - Math.exp(-(z - 3) / 5)))) };
  }
  if (expected >= MIN_VANISHED_EXPECTED && count <= expected / 5) {
    return { change: 'vanishing', score: round(Math.min(0.8, 0.3 + 0.5 * (1 - Math.exp(-expected / 20)))) };
  }
  return { change: 'steady', score: 0 };
}

function serviceOf(labels: Record<string, string>): string | undefined {
  for (const name of SERVICE_LABELS) {
    const value = labels[name];
    if (value !== undefined && value !== '') {
      return value;
    }
  }
  return undefined;
}

/** LogQL that shows a template's lines: the query plus a regex filter on its two longest runs of fixed words. */
export function templateLogql(query: string, template: Pick<Template, 'tokens'>): string {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const token of template.tokens) {
    if (token.includes(WILDCARD)) {
      if (run.length > 0) {
        runs.push(run);
      }
      run = [];
    } else {
      run.push(token);
    }
  }
  if (run.length > 0) {
    runs.push(run);
  }
  const longest = runs
    .map((words, index) => ({ words, index, length: words.join(' ').length }))
    .sort((a, b) => b.length - a.length)
    .slice(0, 2)
    .sort((a, b) => a.index - b.index);
  if (longest.length === 0) {
    return query;
  }
  const pattern = longest.map(({ words }) => words.map(escapeRegex).join('\\s+')).join('.*');
  return `${query} |~ ${logqlString(pattern)}`;
}

export function logEvidence(activity: TemplateActivity, query: string, scope: string, window: TimeRange): LogTemplateEvidence | undefined {
  if (activity.change === 'steady') {
    return undefined;
  }
  const text = templateText(activity.template);
  const where = activity.service === undefined ? '' : ` in ${activity.service}`;
  const summary =
    activity.change === 'new'
      ? `New log template${where}: "${text}" (${activity.count} lines, none in the baseline)`
      : activity.change === 'spiking'
        ? `Log template${where} spiked to ${activity.count} lines from about ${activity.baselineCount}: "${text}"`
        : `Log template${where} went quiet: ${activity.count} lines where about ${activity.baselineCount} were expected: "${text}"`;
  return {
    id: evidenceId('log_template', scope, `${activity.template.id}\u0000${activity.service ?? ''}\u0000${activity.change}`),
    kind: 'log_template',
    service: activity.service,
    score: activity.score,
    summary,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    link: { datasource: 'loki', query: templateLogql(query, activity.template) },
    details: {
      templateId: activity.template.id,
      template: text,
      change: activity.change,
      count: activity.count,
      baselineCount: activity.baselineCount,
      firstSeen: new Date(activity.firstSeen).toISOString(),
      lastSeen: new Date(activity.lastSeen).toISOString(),
      sample: activity.sample,
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
