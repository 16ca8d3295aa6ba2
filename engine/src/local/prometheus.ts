import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findBinary, freePort, startChild } from './processes.ts';

export const PROMETHEUS_BINARY = findBinary('prometheus');
export const PROMTOOL_BINARY = findBinary('promtool');
/** Why a real Prometheus cannot run here, or undefined when it can. */
export const PROMETHEUS_MISSING =
  PROMETHEUS_BINARY === undefined || PROMTOOL_BINARY === undefined
    ? 'prometheus not installed (Debian package prometheus: /usr/bin/prometheus and promtool)'
    : undefined;

/** One recorded series: `name` ending in _total makes it a counter; samples are [ms, value]. */
export interface RecordedSeries {
  name: string;
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

export interface LocalPrometheus {
  url: string;
  /** Stops the server; the folder it was given is the caller's to remove. */
  stop(): Promise<void>;
}

const READY_DEADLINE_MS = 30_000;

/**
 * A real Prometheus holding `series`, its data in `dir`: written as OpenMetrics, backfilled with `promtool tsdb
 * create-blocks-from openmetrics`, then served on 127.0.0.1. Backfilled samples need not be old (tried with
 * Prometheus 2.42: blocks from 30 minutes ago load and answer), as nothing is scraped into the head to overlap them;
 * they must fall within retention (15 d).
 */
export async function startLocalPrometheus(series: RecordedSeries[], dir: string): Promise<LocalPrometheus> {
  if (PROMETHEUS_BINARY === undefined || PROMTOOL_BINARY === undefined) {
    throw new Error(PROMETHEUS_MISSING);
  }
  const dataDir = path.join(dir, 'data');
  const input = path.join(dir, 'series.om');
  await writeFile(input, toOpenMetrics(series));
  await writeFile(path.join(dir, 'prometheus.yml'), 'global: { scrape_interval: 1m }\n');
  await promisify(execFile)(PROMTOOL_BINARY, ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir]);
  const port = await freePort();
  const child = startChild(PROMETHEUS_BINARY, [
    `--storage.tsdb.path=${dataDir}`,
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (!(await isReady(url))) {
    if (child.process.exitCode !== null || Date.now() > deadline) {
      await child.stop();
      throw new Error(`Prometheus did not become ready within ${READY_DEADLINE_MS / 1000} s:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop: () => child.stop() };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ready`);
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The OpenMetrics text promtool backfills: one family per metric name, samples in time order, `# EOF` last. */
export function toOpenMetrics(series: RecordedSeries[]): string {
  const families = new Map<string, RecordedSeries[]>();
  for (const item of series) {
    families.set(item.name, [...(families.get(item.name) ?? []), item]);
  }
  const lines: string[] = [];
  for (const [name, members] of families) {
    const counter = name.endsWith('_total');
    lines.push(`# TYPE ${counter ? name.slice(0, -'_total'.length) : name} ${counter ? 'counter' : 'gauge'}`);
    for (const member of members) {
      const labels = Object.entries(member.labels)
        .map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
        .join(',');
      for (const [t, v] of [...member.samples].sort((a, b) => a[0] - b[0])) {
        lines.push(`${name}{${labels}} ${formatValue(v)} ${t / 1000}`);
      }
    }
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  return String(value);
}
