import type { RecordedSeries } from '../../engine/src/local/prometheus.ts';
import type { LogEntry, Span } from '../../engine/src/sources/types.ts';
import type { Recording } from './recording.ts';

/** The recording placed on the clock: every offset turned into epoch milliseconds. */
export interface Timeline {
  /** When the fault starts (t=0), epoch ms. */
  faultAt: number;
  /** The last recorded instant, epoch ms (about now). */
  endsAt: number;
  series: RecordedSeries[];
  logs: LogEntry[];
  spans: Span[];
  changes: Array<{ id: string; kind: string; service: string; title: string; startsAt: string; endsAt?: string }>;
  /** Webhook bodies in the order they are posted, times replaced by real ones. */
  alerts: Array<{ at: number; body: Record<string, unknown> }>;
}

/** The scrape step of recordings; the fault is placed on a multiple of it so samples keep their grid. */
const STEP_MS = 15_000;

/**
 * Shifts the recording so that its last instant is `now` (rounded down to the step): nothing lies in the future, so
 * every source answers for all of it, and the fault starts as many minutes ago as the recording ran after it.
 */
export function placeOnClock(recording: Recording, now: number): Timeline {
  const end = lastOffset(recording);
  const faultAt = Math.floor((now - end * 1000) / STEP_MS) * STEP_MS;
  const at = (offset: number) => faultAt + Math.round(offset * 1000);
  const iso = (offset: number) => new Date(at(offset)).toISOString();
  return {
    faultAt,
    endsAt: at(end),
    series: recording.metrics.map(({ labels, samples }) => {
      const { __name__: name = '', ...rest } = labels;
      return { name, labels: rest, samples: samples.map(([t, v]): [number, number] => [at(t), v]) };
    }),
    logs: recording.logs.flatMap(({ stream, entries }) =>
      // Fractions of a millisecond are kept: Loki orders lines by nanosecond.
      entries.map(([t, line]) => ({ t: faultAt + t * 1000, line, labels: stream }))
    ),
    spans: recording.traces.flatMap(({ traceId, spans }) =>
      spans.map((span) => ({
        traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId,
        service: span.service,
        name: span.name,
        kind: span.kind,
        start: faultAt + span.start * 1000,
        durationMs: span.durationMs,
        status: span.status,
        attributes: span.attributes,
      }))
    ),
    changes: recording.scenario.changes.map((change) => ({
      id: change.id,
      kind: change.kind,
      service: change.service,
      title: change.title,
      startsAt: iso(change.at),
      ...(change.endsAt === undefined ? {} : { endsAt: iso(change.endsAt) }),
    })),
    alerts: [...recording.scenario.alerts]
      .sort((a, b) => a.at - b.at)
      .map(({ at: offset, body }) => ({ at: at(offset), body: withRealTimes(body, iso) })),
  };
}

/** The latest offset anything in the recording has, at least the alerts' (seconds). */
export function lastOffset(recording: Recording): number {
  let end = Number.NEGATIVE_INFINITY;
  const see = (offset: number) => {
    end = Math.max(end, offset);
  };
  recording.metrics.forEach(({ samples }) => samples.forEach(([t]) => see(t)));
  recording.logs.forEach(({ entries }) => entries.forEach(([t]) => see(t)));
  recording.traces.forEach(({ spans }) => spans.forEach((span) => see(span.start + span.durationMs / 1000)));
  recording.scenario.alerts.forEach(({ at }) => see(at));
  recording.scenario.changes.forEach(({ at }) => see(at));
  return Number.isFinite(end) ? Math.max(end, 0) : 0;
}

/** The webhook body with each alert's startsAt/endsAt offsets as RFC 3339 times. */
function withRealTimes(body: Record<string, unknown>, iso: (offset: number) => string): Record<string, unknown> {
  const alerts = Array.isArray(body.alerts) ? body.alerts : [];
  return {
    ...body,
    alerts: alerts.map((alert: unknown) => {
      if (typeof alert !== 'object' || alert === null) {
        return alert;
      }
      return Object.fromEntries(
        Object.entries(alert).map(([key, value]) => [key, (key === 'startsAt' || key === 'endsAt') && typeof value === 'number' ? iso(value) : value])
      );
    }),
  };
}
