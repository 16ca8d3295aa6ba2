import { createHash } from 'node:crypto';
import type { PrometheusAlert, RangeSeries } from './prometheus.ts';
import type { CapturedLog, CapturedSpan, SpanKindName, SpanStatusName } from './sinks.ts';

/** Times in a recording are seconds from the fault (t=0), rounded to milliseconds. */
const offset = (ms: number, t0: number) => Math.round(ms - t0) / 1000;

export interface MetricSeries {
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

// Labels of the recording machine, not of the shop.
const DROPPED_LABELS = new Set(['instance']);

/** Prometheus range results as the recording's metrics.json: samples at offsets, NaN samples left out. */
export function toMetrics(results: readonly RangeSeries[], t0: number): MetricSeries[] {
  return results
    .map((series) => ({
      labels: Object.fromEntries(Object.entries(series.metric).filter(([key]) => !DROPPED_LABELS.has(key))),
      samples: series.values
        .map(([t, value]): [number, number] => [offset(t * 1000, t0), Number(value)])
        .filter(([, value]) => Number.isFinite(value)),
    }))
    .filter((series) => series.samples.length > 0);
}

export interface RecordedSpan {
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: SpanKindName;
  start: number;
  durationMs: number;
  status: SpanStatusName;
  attributes: Record<string, string | number | boolean>;
}

export interface RecordedTrace {
  traceId: string;
  spans: RecordedSpan[];
}

/**
 * The captured spans as traces.json, at most `maxTraces`: every trace with an error or a slow root first (up to
 * half the cap, spread over time), the rest spread evenly over the window, so the normal traffic is there to compare.
 */
export function toTraces(
  spans: readonly CapturedSpan[],
  t0: number,
  maxTraces: number,
  slowMs = 1000
): RecordedTrace[] {
  const byTrace = new Map<string, CapturedSpan[]>();
  for (const span of spans) {
    byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  }
  const traces = [...byTrace].map(([traceId, members]) => {
    const root = members.find((span) => span.parentSpanId === undefined);
    const start = Math.min(...members.map((span) => span.startMs));
    const notable = members.some((span) => span.status === 'error') || (root !== undefined && root.durationMs > slowMs);
    return { traceId, members, start, notable, complete: root !== undefined };
  });
  const complete = traces.filter((trace) => trace.complete).sort((a, b) => a.start - b.start);
  const notable = spread(
    complete.filter((trace) => trace.notable),
    Math.floor(maxTraces / 2)
  );
  const chosenIds = new Set(notable.map((trace) => trace.traceId));
  const rest = spread(
    complete.filter((trace) => !chosenIds.has(trace.traceId)),
    maxTraces - notable.length
  );
  return [...notable, ...rest]
    .sort((a, b) => a.start - b.start)
    .map((trace) => ({
      traceId: trace.traceId,
      spans: [...trace.members]
        .sort((a, b) => a.startMs - b.startMs)
        .map((span) => ({
          spanId: span.spanId,
          ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
          service: span.service,
          name: span.name,
          kind: span.kind,
          start: offset(span.startMs, t0),
          durationMs: Math.round(span.durationMs * 1000) / 1000,
          status: span.status,
          attributes: span.attributes,
        })),
    }));
}

/** At most `count` items of a time-ordered list, evenly spaced. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) {
    return [...items];
  }
  if (count <= 0) {
    return [];
  }
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]).filter(
    (item): item is T => item !== undefined
  );
}

export interface RecordedStream {
  stream: Record<string, string>;
  entries: Array<[number, string]>;
}

/**
 * The pushed log lines as logs.json, at most `maxLines`: warnings and errors first (up to the cap), then info lines
 * spread evenly over the window; each stream's entries in time order.
 */
export function toLogs(logs: readonly CapturedLog[], t0: number, maxLines: number): RecordedStream[] {
  const sorted = [...logs].sort((a, b) => a.t - b.t);
  const loud = sorted.filter((log) => log.stream.level === 'warn' || log.stream.level === 'error');
  const keptLoud = spread(loud, maxLines);
  const quiet = spread(
    sorted.filter((log) => !(log.stream.level === 'warn' || log.stream.level === 'error')),
    maxLines - keptLoud.length
  );
  const streams = new Map<string, RecordedStream>();
  for (const log of [...keptLoud, ...quiet].sort((a, b) => a.t - b.t)) {
    const key = JSON.stringify(Object.entries(log.stream).sort());
    const stream = streams.get(key) ?? { stream: log.stream, entries: [] };
    stream.entries.push([offset(log.t, t0), log.line]);
    streams.set(key, stream);
  }
  return [...streams.values()];
}

/** One alert the recorder saw firing, with when it stopped (if it did). */
export interface AlertSighting {
  alert: PrometheusAlert;
  firstFiringMs: number;
  resolvedMs?: number;
}

/** Watches GET /api/v1/alerts answers over time and notes when each alert starts firing and when it stops. */
export class AlertWatcher {
  private readonly sightings = new Map<string, AlertSighting>();

  see(alerts: readonly PrometheusAlert[], nowMs: number): void {
    const firing = new Set<string>();
    for (const alert of alerts) {
      if (alert.state !== 'firing') {
        continue;
      }
      const key = fingerprint(alert.labels);
      firing.add(key);
      const known = this.sightings.get(key);
      if (known === undefined || known.resolvedMs !== undefined) {
        this.sightings.set(key, { alert, firstFiringMs: nowMs });
      }
    }
    for (const [key, sighting] of this.sightings) {
      if (!firing.has(key) && sighting.resolvedMs === undefined) {
        sighting.resolvedMs = nowMs;
      }
    }
  }

  all(): AlertSighting[] {
    return [...this.sightings.values()];
  }
}

function fingerprint(labels: Record<string, string>): string {
  const text = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export interface AlertDelivery {
  at: number;
  body: Record<string, unknown>;
}

/**
 * Alertmanager v4 webhook bodies (grouped by alertname and service, as deploy/alertmanager/alertmanager.yml
 * groups) for each sighting: one when it fires, one when it resolves; startsAt/endsAt are offsets in seconds.
 */
export function toAlertDeliveries(sightings: readonly AlertSighting[], t0: number): AlertDelivery[] {
  const deliveries: AlertDelivery[] = [];
  for (const { alert, firstFiringMs, resolvedMs } of sightings) {
    const labels = alert.labels;
    const groupLabels = Object.fromEntries(
      Object.entries(labels).filter(([key]) => key === 'alertname' || key === 'service')
    );
    const body = (status: 'firing' | 'resolved', endsAt?: number) => ({
      version: '4',
      groupKey: `{}:{${Object.entries(groupLabels)
        .map(([key, value]) => `${key}="${value}"`)
        .join(', ')}}`,
      truncatedAlerts: 0,
      status,
      receiver: 'intelops',
      groupLabels,
      commonLabels: labels,
      commonAnnotations: alert.annotations,
      externalURL: 'http://alertmanager:9093',
      alerts: [
        {
          status,
          labels,
          annotations: alert.annotations,
          startsAt: offset(firstFiringMs, t0),
          ...(endsAt === undefined ? {} : { endsAt }),
          generatorURL: `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(labels.alertname ?? '')}`,
          fingerprint: fingerprint(labels),
        },
      ],
    });
    deliveries.push({ at: offset(firstFiringMs, t0), body: body('firing') });
    if (resolvedMs !== undefined) {
      deliveries.push({ at: offset(resolvedMs, t0), body: body('resolved', offset(resolvedMs, t0)) });
    }
  }
  return deliveries.sort((a, b) => a.at - b.at);
}
