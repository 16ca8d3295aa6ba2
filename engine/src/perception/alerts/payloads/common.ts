import { Type } from 'typebox';
import type { TSchema, TUnsafe } from 'typebox';
import { invalidInput } from '../../../invalidInput.ts';
import type { RawAlert } from '../normalize.ts';
import type { AlertStatus } from '../types.ts';
import { LIMITS } from './limits.ts';

/** A map of string keys to string values within the per-alert limits (labels, annotations). */
export function stringMap(description: string, valueLength: number): TUnsafe<Record<string, string>> {
  return Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: valueLength },
    propertyNames: { minLength: 1, maxLength: LIMITS.keyLength },
    maxProperties: LIMITS.entriesPerMap,
    description,
  });
}

export const Labels = stringMap('Labels: what identifies the alert (alertname, service, instance, severity…)', LIMITS.labelValueLength);
export const Annotations = stringMap('Annotations: descriptive text (summary, description, runbook_url…)', LIMITS.annotationValueLength);

/** A map of strings the engine does not use (groupLabels, commonLabels…): only its type is checked. */
export const LooseStringMap = Type.Unsafe<Record<string, string>>({ type: 'object', additionalProperties: { type: 'string' } });

/** Go encodes an empty map as null, so senders written in Go send `null` for "none". */
export function nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export function alertStatusSchema(description = 'firing or resolved') {
  return Type.Unsafe<AlertStatus>({ type: 'string', enum: ['firing', 'resolved'], description });
}

export const Time = Type.String({
  format: 'date-time',
  maxLength: 64,
  description: 'RFC 3339 time; "0001-01-01T00:00:00Z" (Go\'s zero time) means not set',
  examples: ['2026-11-02T08:00:00Z'],
});

// Go's zero time.Time (0001-01-01T00:00:00Z), in whatever zone offset a sender wrote it.
const ZERO_TIME_BEFORE = Date.parse('0001-01-03T00:00:00Z');

/**
 * An RFC 3339 string (already checked by the schema) as a Date; undefined for Go's zero time. Times the
 * schema accepts but a Date cannot hold (a leap second, 23:59:60) are a 400 naming `where`.
 */
export function parseTime(value: string, where: string): Date | undefined {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw invalidInput(`${where} must be an RFC 3339 time (for example 2026-11-02T08:00:00Z); got ${JSON.stringify(value.slice(0, 64))}`);
  }
  return time < ZERO_TIME_BEFORE ? undefined : new Date(time);
}

/**
 * PostgreSQL cannot store U+0000 in text or jsonb: an alert carrying it would fail its whole batch (and
 * every other sender's request in it), so it is refused up front with a 400 naming the field.
 */
export type StorableField = 'labels' | 'annotations' | 'fingerprint' | 'generatorURL' | 'title' | 'service';

export function assertStorable(alert: RawAlert, locate: (field: StorableField, key?: string) => string): void {
  const check = (value: string | undefined, where: () => string) => {
    if (value !== undefined && value.includes('\u0000')) {
      throw invalidInput(`${where()} must not contain the NUL character (\\u0000)`);
    }
  };
  for (const field of ['labels', 'annotations'] as const) {
    for (const [key, value] of Object.entries(alert[field])) {
      check(`${key}${value}`, () => locate(field, key.replaceAll('\u0000', '\\u0000')));
    }
  }
  for (const field of ['fingerprint', 'generatorURL', 'title', 'service'] as const) {
    check(alert[field], () => locate(field));
  }
}

export const START_TIME_NOTE = 'intelops_start_time';

/**
 * The alert's start time, or, when the sender sent none (Grafana's test notification sends the zero time),
 * the time the engine received it, noted in `annotations` so that nobody takes it for the sender's.
 */
export function startTime(value: string, where: string, receivedAt: Date, annotations: Record<string, string>): { startsAt: Date; annotations: Record<string, string> } {
  const startsAt = parseTime(value, where);
  if (startsAt !== undefined) {
    return { startsAt, annotations };
  }
  return {
    startsAt: receivedAt,
    annotations: { ...annotations, [START_TIME_NOTE]: 'The sender gave no start time; the engine used the time it received the alert' },
  };
}

/** An alert's end: set once it resolved (at its end time, or when received if it sent none); unset while it fires. */
export function endTime(value: string | undefined, where: string, status: AlertStatus, receivedAt: Date): Date | undefined {
  const endsAt = value === undefined ? undefined : parseTime(value, where);
  return status === 'resolved' ? (endsAt ?? receivedAt) : undefined;
}
