import type { Static } from 'typebox';
import { LIMITS_DESCRIPTION } from './limits.ts';
import { webhookAlertSchema, webhookSchema } from './webhook.ts';

/** Alertmanager's webhook_config payload, version 4, as Alertmanager sends it. */
export const AlertmanagerWebhookSchema = webhookSchema(
  'AlertmanagerWebhook',
  `Alertmanager's webhook payload (version 4), exactly as Alertmanager sends it; fields it adds later are accepted. ${LIMITS_DESCRIPTION}`,
  webhookAlertSchema('AlertmanagerAlert')
);

export type AlertmanagerWebhook = Static<typeof AlertmanagerWebhookSchema>;
