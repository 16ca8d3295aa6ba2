import type { ValidateFunction } from 'ajv';
import { invalidInput } from '../../../invalidInput.ts';
import { formatValidationError } from '../../../server/errors.ts';
import { compileBodyValidator } from '../../../server/validation.ts';
import type { RawAlert } from '../normalize.ts';
import { AlertmanagerWebhookSchema } from './alertmanager.ts';
import type { AlertmanagerWebhook } from './alertmanager.ts';
import { GenericAlertsSchema, genericAlerts } from './generic.ts';
import type { GenericAlerts } from './generic.ts';
import { GrafanaWebhookSchema } from './grafana.ts';
import type { GrafanaWebhook } from './grafana.ts';
import { webhookAlerts } from './webhook.ts';

/**
 * The same checks the HTTP routes make (schema, then times and severities), for a payload from anywhere:
 * RawAlerts, or InvalidInput naming what is wrong and where.
 */
function validated<T>(check: ValidateFunction<T>, body: unknown): T {
  if (check(body)) {
    return body;
  }
  throw invalidInput(formatValidationError(check.errors ?? [], 'body').message);
}

const isAlertmanager = compileBodyValidator<AlertmanagerWebhook>(AlertmanagerWebhookSchema);
const isGrafana = compileBodyValidator<GrafanaWebhook>(GrafanaWebhookSchema);
const isGeneric = compileBodyValidator<GenericAlerts>(GenericAlertsSchema);

export function parseAlertmanager(body: unknown, receivedAt: Date): RawAlert[] {
  return webhookAlerts(validated(isAlertmanager, body).alerts, receivedAt);
}

export function parseGrafana(body: unknown, receivedAt: Date): RawAlert[] {
  return webhookAlerts(validated(isGrafana, body).alerts, receivedAt);
}

export function parseGeneric(body: unknown, receivedAt: Date): RawAlert[] {
  return genericAlerts(validated(isGeneric, body).alerts, receivedAt);
}
