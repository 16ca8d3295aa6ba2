import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { findBinary, freePort } from '../../engine/src/testing/processes.ts';

export interface ScrapingPrometheus {
  url: string;
  stop(): Promise<void>;
}

export interface ScrapeOptions {
  /** Job name → host:port serving /metrics. */
  targets: Record<string, string>;
  /** Alert rule files, evaluated as the compose stack's Prometheus evaluates them. */
  ruleFiles: string[];
  scrapeIntervalSeconds?: number;
}

const READY_DEADLINE_MS = 30_000;

/** A real Prometheus (the Debian `prometheus` binary) scraping `targets` and evaluating `ruleFiles`, in a temp folder. */
export async function startScrapingPrometheus(options: ScrapeOptions): Promise<ScrapingPrometheus> {
  const binary = findBinary('prometheus');
  if (binary === undefined) {
    throw new Error('prometheus is not installed (Debian package prometheus: /usr/bin/prometheus)');
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'intelops-record-'));
  const interval = `${options.scrapeIntervalSeconds ?? 15}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: options.ruleFiles,
    scrape_configs: Object.entries(options.targets).map(([job, target]) => ({
      job_name: job,
      static_configs: [{ targets: [target] }],
    })),
  };
  await writeFile(path.join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child = spawn(
    binary,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  });
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killNow);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_DEADLINE_MS;
  for (;;) {
    try {
      const response = await fetch(`${url}/-/ready`);
      await response.body?.cancel();
      if (response.ok) {
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, stop };
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** GET /api/v1/query_range; times in epoch seconds. */
export async function queryRange(
  url: string,
  query: string,
  start: number,
  end: number,
  step: number
): Promise<RangeSeries[]> {
  const params = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
  const response = await fetch(`${url}/api/v1/query_range?${params}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { result?: RangeSeries[] } };
  if (body.status !== 'success') {
    throw new Error(`Prometheus refused ${query}: ${body.error ?? response.status}`);
  }
  return body.data?.result ?? [];
}

/** An alert as GET /api/v1/alerts lists it. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt: string;
}

export async function activeAlerts(url: string): Promise<PrometheusAlert[]> {
  const response = await fetch(`${url}/api/v1/alerts`);
  const body = (await response.json()) as { data?: { alerts?: PrometheusAlert[] } };
  return body.data?.alerts ?? [];
}
