import { Type } from 'typebox';
import type { Static, TProperties } from 'typebox';
import type { RawAlert } from '../normalize.ts';
import { alertStatusSchema, Annotations, Labels, LooseStringMap, Time, assertStorable, endTime, nullable, startTime } from './common.ts';
import { LIMITS } from './limits.ts';

/**
 * The alert shape Alertmanager's webhook (version 4) sends, which Grafana's webhook contact point extends.
 * Unknown fields are accepted (senders add some), but the fields the engine reads must have the right types.
 */
export function webhookAlertSchema(title: string, extra: TProperties = {}) {
  return Type.Object(
    {
      status: alertStatusSchema(),
      labels: nullable(Labels),
      annotations: Type.Optional(nullable(Annotations)),
      startsAt: Time,
      endsAt: Type.Optional(Time),
      generatorURL: Type.Optional(Type.String({ maxLength: LIMITS.urlLength, description: 'Link to what fired the alert' })),
      fingerprint: Type.Optional(
        Type.String({ maxLength: LIMITS.fingerprintLength, description: 'Identifies the alert; with startsAt, a delivery. Computed from the labels when empty' })
      ),
      ...extra,
    },
    { additionalProperties: true, title }
  );
}

export const WebhookAlertSchema = webhookAlertSchema('WebhookAlert');
export type WebhookAlert = Static<typeof WebhookAlertSchema>;

/** The envelope both webhooks share; `extra` documents a sender's own fields. */
export function webhookSchema(title: string, description: string, alert: ReturnType<typeof webhookAlertSchema>, extra: TProperties = {}) {
  return Type.Object(
    {
      version: Type.Optional(Type.String({ maxLength: 16 })),
      groupKey: Type.Optional(Type.String()),
      truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0, description: 'Alerts the sender left out (max_alerts); the engine logs a warning' })),
      status: Type.Optional(alertStatusSchema()),
      receiver: Type.Optional(Type.String()),
      groupLabels: Type.Optional(nullable(LooseStringMap)),
      commonLabels: Type.Optional(nullable(LooseStringMap)),
      commonAnnotations: Type.Optional(nullable(LooseStringMap)),
      externalURL: Type.Optional(Type.String()),
      notification_reason: Type.Optional(Type.Unknown({ description: 'Why the sender notified (Alertmanager); not used' })),
      routeLabels: Type.Optional(Type.Unknown({ description: 'Labels of the matching route (Alertmanager); not used' })),
      alerts: Type.Array(alert, { maxItems: LIMITS.alertsPerRequest }),
      ...extra,
    },
    { additionalProperties: true, title, description }
  );
}

/** The alerts of an Alertmanager or Grafana webhook as RawAlerts; times are checked here (400 naming the alert). */
export function webhookAlerts(alerts: readonly WebhookAlert[], receivedAt: Date): RawAlert[] {
  return alerts.map((alert, index) => {
    const where = (field: string) => `body/alerts/${index}/${field}`;
    const { startsAt, annotations } = startTime(alert.startsAt, where('startsAt'), receivedAt, alert.annotations ?? {});
    const raw: RawAlert = {
      status: alert.status,
      labels: alert.labels ?? {},
      annotations,
      startsAt,
      endsAt: endTime(alert.endsAt, where('endsAt'), alert.status, receivedAt),
      fingerprint: alert.fingerprint || undefined,
      generatorURL: alert.generatorURL || undefined,
    };
    assertStorable(raw, (field, key) => where(key === undefined ? field : `${field}/${key}`));
    return raw;
  });
}
