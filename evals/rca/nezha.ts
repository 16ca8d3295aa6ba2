import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CallEdge } from '../../engine/src/perception/evidence.ts';
import type { EdgeLatencySeries, RankingSeries } from '../../engine/src/reasoning/ranking/rankRootCauses.ts';
import { cellNumber, readTable } from './cases.ts';
import type { RcaCase } from './cases.ts';

/** One injected fault from `<date>-fault_list.json`. */
export interface NezhaFault {
  /** As written in the list (`2022-08-22 03:53:54`); the case id. */
  injectTime: string;
  /** inject_time read as UTC, in ms. */
  at: number;
  pod: string;
  type: string;
}

/** One pod's per-minute metrics. */
interface PodMetrics {
  service: string;
  times: number[];
  columns: Array<{ name: string; values: number[] }>;
}

/** One per-minute table of per-edge latency (`<client>_<server>` columns), as one side of the calls measured it. */
interface EdgeTable {
  side: 'client' | 'server';
  times: number[];
  columns: Array<{ client: string; server: string; values: number[] }>;
}

// Per-edge median latency measured by the caller (source) and by the callee (destination), when the day has them.
const EDGE_FILES: ReadonlyArray<['client' | 'server', string]> = [
  ['client', 'source_50.csv'],
  ['server', 'destination_50.csv'],
];

export interface NezhaWindows {
  /** Minutes of baseline: the latest rows before the fault that no other fault's window touches. */
  baselineMinutes: number;
  /** Minutes of each fault's window from its start (never reaching past the next fault's start). */
  anomalousMinutes: number;
}

// Faults are 7–9 minutes apart: 5-minute windows leave quiet rows between them for the baselines, and the few rows
// of a longer-lasting fault that leak into the next baseline stay under a quarter of it (the IQR's breakdown point).
export const NEZHA_WINDOWS: NezhaWindows = { baselineMinutes: 10, anomalousMinutes: 5 };

const MINUTE = 60_000;
// One step of slack before inject_time, see faultWindows.
const LEAD = MINUTE;
// Columns that identify a row rather than measure anything.
const ID_COLUMNS = new Set(['time', 'timestamp', 'podname']);

/** `frontend-579b9bff58-t2dbm` → `frontend`: a Deployment's pods carry the ReplicaSet hash and a pod suffix. */
export function serviceOfPod(pod: string): string {
  const parts = pod.split('-');
  return parts.length > 2 ? parts.slice(0, -2).join('-') : pod;
}

/** `2022-08-22 03:51:19.799087274 +0000 UTC m=+0.305041286` or `2022-08-22 03:53:54` → ms, as UTC unless an offset is given. */
export function parseUtc(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(?:\s*([+-]\d{2}):?(\d{2}))?/.exec(text.trim());
  if (match === null) {
    return Number.NaN;
  }
  const [, date, time, fraction, offsetHours, offsetMinutes] = match;
  const millis = fraction === undefined ? '' : fraction.slice(0, 4);
  const offset = offsetHours === undefined ? 'Z' : `${offsetHours}:${offsetMinutes ?? '00'}`;
  return Date.parse(`${date}T${time}${millis}${offset}`);
}

/**
 * Cases in Nezha's layout: every `*-fault_list.json` in the folder (hour → faults), and `metric/<pod>_metric.csv`
 * per pod with a `Time` column (the metrics' own clock; `TimeStamp` and `inject_timestamp` are not used), plus
 * `metric/dependency.csv` (Source → Target) as the call graph when present. One case per fault, id = inject_time.
 */
export function loadNezhaCases(
  dataDir: string,
  { baselineMinutes, anomalousMinutes }: NezhaWindows = NEZHA_WINDOWS,
  { edgeLatency: useEdgeLatency = true }: { edgeLatency?: boolean } = {}
): RcaCase[] {
  if (!existsSync(dataDir)) {
    throw new Error(`${dataDir}: no such folder (give a Nezha-layout folder with --data)`);
  }
  const faults = readFaults(dataDir);
  const metricDir = path.join(dataDir, 'metric');
  const pods = readPods(metricDir);
  const edges = readEdges(path.join(metricDir, 'dependency.csv'));
  const services = new Set(pods.map((pod) => pod.service));
  const edgeTables = useEdgeLatency ? readEdgeTables(metricDir, services) : [];
  const windows = faultWindows(faults, anomalousMinutes);
  return faults.map((fault, i) => {
    const window = windows[i] ?? { from: fault.at, to: fault.at };
    const series: RankingSeries[] = [];
    for (const pod of pods) {
      const anomalousRows = rowsIn(pod.times, window.from, window.to);
      const baselineRows = quietRowsBefore(
        pod.times,
        window.from,
        windows,
        Math.round((baselineMinutes * MINUTE) / stepOf(pod.times))
      );
      for (const column of pod.columns) {
        series.push({
          service: pod.service,
          name: column.name,
          baseline: baselineRows.map((row) => column.values[row] ?? Number.NaN),
          anomalous: anomalousRows.map((row) => column.values[row] ?? Number.NaN),
        });
      }
    }
    const edgeLatency: EdgeLatencySeries[] = [];
    for (const table of edgeTables) {
      const anomalousRows = rowsIn(table.times, window.from, window.to);
      const baselineRows = quietRowsBefore(
        table.times,
        window.from,
        windows,
        Math.round((baselineMinutes * MINUTE) / stepOf(table.times))
      );
      for (const { client, server, values } of table.columns) {
        edgeLatency.push({
          client,
          server,
          side: table.side,
          name: 'p50',
          baseline: baselineRows.map((row) => values[row] ?? Number.NaN),
          anomalous: anomalousRows.map((row) => values[row] ?? Number.NaN),
        });
      }
    }
    return {
      id: fault.injectTime,
      faultType: fault.type,
      truth: serviceOfPod(fault.pod),
      input: {
        series,
        ...(edges === undefined ? {} : { edges }),
        ...(edgeLatency.length > 0 ? { edgeLatency } : {}),
      },
    };
  });
}

/**
 * Each fault's window: from one step before inject_time (a sample stamped just before it may already hold the
 * fault: samples are stamped at the end of the minute they summarise, and the injector's clock is not the
 * collector's) for anomalousMinutes, cut at the next fault's window.
 */
function faultWindows(faults: readonly NezhaFault[], anomalousMinutes: number): Array<{ from: number; to: number }> {
  return faults.map((fault, i) => {
    const next = faults[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    return { from: fault.at - LEAD, to: Math.min(fault.at + anomalousMinutes * MINUTE, next - LEAD) };
  });
}

/** The latest `count` rows before `before` outside every fault window: a baseline no known fault disturbs. */
function quietRowsBefore(
  times: readonly number[],
  before: number,
  windows: ReadonlyArray<{ from: number; to: number }>,
  count: number
): number[] {
  const rows: number[] = [];
  for (const [row, time] of times.entries()) {
    if (time < before && !windows.some((window) => time >= window.from && time < window.to)) {
      rows.push(row);
    }
  }
  rows.sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0));
  return rows.slice(Math.max(0, rows.length - count));
}

/** The sampling step: the median gap between consecutive rows (a minute for Nezha). */
function stepOf(times: readonly number[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap > 0) {
      gaps.push(gap);
    }
  }
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? MINUTE;
}

export function readFaults(dataDir: string): NezhaFault[] {
  const lists = readdirSync(dataDir).filter((name) => name.endsWith('-fault_list.json'));
  if (lists.length === 0) {
    throw new Error(`${dataDir}: no <date>-fault_list.json found`);
  }
  const faults: NezhaFault[] = [];
  for (const list of lists) {
    const file = path.join(dataDir, list);
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(parsed)) {
      throw new Error(`${file}: expected an object of hour → faults`);
    }
    for (const [hour, entries] of Object.entries(parsed)) {
      if (!Array.isArray(entries)) {
        throw new Error(`${file}: "${hour}" is not a list of faults`);
      }
      for (const entry of entries) {
        faults.push(toFault(entry, `${file} "${hour}"`));
      }
    }
  }
  return faults.sort((a, b) => a.at - b.at);
}

function toFault(entry: unknown, where: string): NezhaFault {
  if (!isRecord(entry)) {
    throw new Error(`${where}: a fault is not an object`);
  }
  const { inject_time: injectTime, inject_pod: pod, inject_type: type } = entry;
  if (typeof injectTime !== 'string' || typeof pod !== 'string' || typeof type !== 'string') {
    throw new Error(`${where}: a fault needs inject_time, inject_pod and inject_type strings`);
  }
  const at = parseUtc(injectTime);
  if (Number.isNaN(at)) {
    throw new Error(`${where}: inject_time "${injectTime}" is not a date and time`);
  }
  return { injectTime, at, pod, type };
}

function readPods(metricDir: string): PodMetrics[] {
  if (!existsSync(metricDir)) {
    throw new Error(`${metricDir}: no metric folder`);
  }
  const files = readdirSync(metricDir)
    .filter((name) => name.endsWith('_metric.csv'))
    .sort();
  if (files.length === 0) {
    throw new Error(`${metricDir}: no <pod>_metric.csv files`);
  }
  return files.map((name) => {
    const file = path.join(metricDir, name);
    const { header, rows } = readTable(file);
    const timeColumn = header.indexOf('Time');
    if (timeColumn < 0) {
      throw new Error(`${file}: no Time column`);
    }
    const columns = header
      .map((column, index) => ({ column, index }))
      .filter(({ column }) => !ID_COLUMNS.has(column.toLowerCase()))
      .map(({ column, index }) => ({ name: column, values: rows.map((row) => cellNumber(row[index])) }));
    return {
      service: serviceOfPod(name.slice(0, -'_metric.csv'.length)),
      times: rows.map((row) => parseUtc(row[timeColumn] ?? '')),
      columns,
    };
  });
}

/** `source_50.csv` and `destination_50.csv` when present: a `time` column and one `<client>_<server>` column per edge. */
function readEdgeTables(metricDir: string, services: ReadonlySet<string>): EdgeTable[] {
  const tables: EdgeTable[] = [];
  for (const [side, name] of EDGE_FILES) {
    const file = path.join(metricDir, name);
    if (!existsSync(file)) {
      continue;
    }
    const { header, rows } = readTable(file);
    const timeColumn = header.findIndex((column) => column.toLowerCase() === 'time');
    if (timeColumn < 0) {
      throw new Error(`${file}: no time column`);
    }
    const columns = header.flatMap((column, index) => {
      const edge = splitEdge(column, services);
      return edge === undefined ? [] : [{ ...edge, values: rows.map((row) => cellNumber(row[index])) }];
    });
    tables.push({ side, times: rows.map((row) => parseUtc(row[timeColumn] ?? '')), columns });
  }
  return tables;
}

/** `checkoutservice_cartservice` → its two services, split where both halves are known services (names may hold `_`). */
export function splitEdge(
  column: string,
  services: ReadonlySet<string>
): { client: string; server: string } | undefined {
  for (let cut = column.indexOf('_'); cut > 0; cut = column.indexOf('_', cut + 1)) {
    const client = column.slice(0, cut);
    const server = column.slice(cut + 1);
    if (services.has(client) && services.has(server)) {
      return { client, server };
    }
  }
  return undefined;
}

function readEdges(file: string): CallEdge[] | undefined {
  if (!existsSync(file)) {
    return undefined;
  }
  const { header, rows } = readTable(file);
  const source = header.indexOf('Source');
  const target = header.indexOf('Target');
  if (source < 0 || target < 0) {
    throw new Error(`${file}: expected Source and Target columns`);
  }
  return rows.flatMap((row) => {
    const client = row[source];
    const server = row[target];
    return client !== undefined && server !== undefined && client !== '' && server !== '' ? [{ client, server }] : [];
  });
}

/** Indices of the rows timed in [from, to). */
function rowsIn(times: readonly number[], from: number, to: number): number[] {
  const rows: number[] = [];
  for (const [row, time] of times.entries()) {
    if (time >= from && time < to) {
      rows.push(row);
    }
  }
  return rows;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
