import { Type } from 'typebox';
import type { Static } from 'typebox';
import { invalidInput, quote } from '../../../invalidInput.ts';
import { fingerprintOf, severityFromWord } from '../normalize.ts';
import type { RawAlert } from '../normalize.ts';
import { alertStatusSchema, Annotations, Labels, Time, assertStorable, endTime, parseTime, startTime } from './common.ts';
import { LIMITS, LIMITS_DESCRIPTION } from './limits.ts';

export const GenericAlertSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: LIMITS.titleLength, description: 'What is wrong, in a line' }),
    status: Type.Optional(alertStatusSchema('firing or resolved; left out: resolved when endsAt is in the past, else firing')),
    severity: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        description: 'critical, high, warning or info (or a synonym: crit, fatal, p1, error, major, warn, minor, low, p4…); left out: from labels.severity, else warning',
      })
    ),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'The service affected; left out: from the labels (service, app, job… matched against the CMDB)' })),
    labels: Type.Optional(Labels),
    annotations: Type.Optional(Annotations),
    startsAt: Time,
    endsAt: Type.Optional(Time),
    fingerprint: Type.Optional(
      Type.String({ minLength: 1, maxLength: LIMITS.fingerprintLength, description: 'Identifies the alert across deliveries; left out: a hash of labels, title and service' })
    ),
    generatorURL: Type.Optional(Type.String({ maxLength: LIMITS.urlLength, description: 'Link back to the sender' })),
  },
  { additionalProperties: false, title: 'GenericAlert' }
);
export type GenericAlert = Static<typeof GenericAlertSchema>;

export const GenericAlertsSchema = Type.Object(
  { alerts: Type.Array(GenericAlertSchema, { maxItems: LIMITS.alertsPerRequest }) },
  {
    additionalProperties: false,
    title: 'GenericAlerts',
    description:
      'IntelOps\' own alert format, for senders other than Alertmanager and Grafana. Unknown keys are rejected (they are usually typos). ' +
      'A redelivery (same fingerprint and startsAt) updates status and endsAt only. ' +
      LIMITS_DESCRIPTION,
  }
);
export type GenericAlerts = Static<typeof GenericAlertsSchema>;

/** Names the request field an error is about: `body/alerts/3/startsAt`, or the mapped source path. */
export type FieldLocator = (index: number, field: keyof GenericAlert) => string;

export const bodyLocator: FieldLocator = (index, field) => `body/alerts/${index}/${field}`;

/** Without a fingerprint, an alert is identified by its labels, title and service (keys a label cannot have). */
function genericFingerprint(alert: GenericAlert): string {
  return fingerprintOf({ ...alert.labels, '\u0000title': alert.title, '\u0000service': alert.service ?? '' });
}

export function genericAlerts(alerts: readonly GenericAlert[], receivedAt: Date, where: FieldLocator = bodyLocator): RawAlert[] {
  return alerts.map((alert, index) => {
    const { startsAt, annotations } = startTime(alert.startsAt, where(index, 'startsAt'), receivedAt, alert.annotations ?? {});
    const plannedEnd = alert.endsAt === undefined ? undefined : parseTime(alert.endsAt, where(index, 'endsAt'));
    const status = alert.status ?? (plannedEnd !== undefined && plannedEnd.getTime() <= receivedAt.getTime() ? 'resolved' : 'firing');
    let severity;
    if (alert.severity !== undefined) {
      severity = severityFromWord(alert.severity);
      if (severity === undefined) {
        throw invalidInput(`${where(index, 'severity')} ${quote(alert.severity)} is not a severity: use critical, high, warning or info`);
      }
    }
    const raw: RawAlert = {
      status,
      labels: alert.labels ?? {},
      annotations,
      startsAt,
      endsAt: endTime(alert.endsAt, where(index, 'endsAt'), status, receivedAt),
      fingerprint: alert.fingerprint ?? genericFingerprint(alert),
      generatorURL: alert.generatorURL || undefined,
      title: alert.title,
      severity,
      service: alert.service,
    };
    assertStorable(raw, (field, key) => `${where(index, field)}${key === undefined ? '' : ` key ${quote(key)}`}`);
    return raw;
  });
}
