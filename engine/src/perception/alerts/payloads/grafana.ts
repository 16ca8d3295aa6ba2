import { Type } from 'typebox';
import type { Static } from 'typebox';
import { LIMITS_DESCRIPTION } from './limits.ts';
import { webhookAlertSchema, webhookSchema } from './webhook.ts';

/** Fields Grafana adds that the engine does not read: documented, accepted with any value. */
const unused = (description: string) => Type.Optional(Type.Unknown({ description }));

/** Grafana alerting's webhook contact point payload: Alertmanager's, plus Grafana's own fields. */
export const GrafanaWebhookSchema = webhookSchema(
  'GrafanaWebhook',
  `Grafana alerting's webhook contact point payload (version "1"). ${LIMITS_DESCRIPTION} A test notification's zero start time ` +
    '(0001-01-01T00:00:00Z) is replaced by the time of receipt, noted in the annotation intelops_start_time.',
  webhookAlertSchema('GrafanaAlert', {
    silenceURL: unused('Link to silence the alert'),
    dashboardURL: unused('Link to the dashboard of the rule'),
    panelURL: unused('Link to the panel of the rule'),
    values: unused('Values of the rule queries (an object of numbers, or null)'),
    valueString: unused('The rule values as text'),
    imageURL: unused('Screenshot of the panel'),
    orgId: unused('Grafana organization id'),
  }),
  {
    orgId: unused('Grafana organization id'),
    title: unused('Notification title'),
    state: unused('alerting or ok'),
    message: unused('Notification text'),
  }
);

export type GrafanaWebhook = Static<typeof GrafanaWebhookSchema>;
