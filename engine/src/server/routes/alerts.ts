import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { invalidInput, quote } from '../../invalidInput.ts';
import type { AlertMetrics } from '../../observability/metrics.ts';
import { IntakeOverloadedError } from '../../perception/alerts/intake.ts';
import type { AlertIntake, IntakeReceipt } from '../../perception/alerts/intake.ts';
import type { RawAlert } from '../../perception/alerts/normalize.ts';
import { AlertmanagerWebhookSchema } from '../../perception/alerts/payloads/alertmanager.ts';
import { GenericAlertsSchema, genericAlerts } from '../../perception/alerts/payloads/generic.ts';
import { GrafanaWebhookSchema } from '../../perception/alerts/payloads/grafana.ts';
import { LIMITS } from '../../perception/alerts/payloads/limits.ts';
import { mapAlerts } from '../../perception/alerts/payloads/mapping.ts';
import { webhookAlerts } from '../../perception/alerts/payloads/webhook.ts';
import type { AlertSource } from '../../perception/alerts/types.ts';
import { loadSettings } from '../../store/settings.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface AlertRoutesOptions {
  intake: AlertIntake;
  store: Store;
  metrics: AlertMetrics;
}

export const AlertReceiptSchema = Type.Object(
  {
    accepted: Type.Integer({ description: 'Alerts in the request, all stored' }),
    created: Type.Integer({ description: 'Alerts seen for the first time' }),
    redelivered: Type.Integer({ description: 'Alerts already stored (same fingerprint and startsAt): delivery counted, status and end updated' }),
    incidents: Type.Array(Type.String(), { description: 'The incidents these alerts are in now' }),
  },
  { title: 'AlertReceipt' }
);

const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  413: ErrorResponseSchema,
  415: ErrorResponseSchema,
  503: { ...ErrorResponseSchema, description: 'The intake queue is full or the engine is stopping: nothing was stored; retry after Retry-After seconds' },
};

const WebhookQuery = Type.Object(
  { token: Type.Optional(Type.String({ description: 'The webhook token, for senders that can only set a URL (never logged)' })) },
  { additionalProperties: true }
);

const RESULT_BY_STATUS: Record<number, string> = { 200: 'accepted', 400: 'invalid', 401: 'unauthorized', 413: 'invalid', 415: 'invalid', 503: 'overloaded' };

/** POST /api/v1/alerts/alertmanager, /alerts/grafana and /alerts: parse, then hand the alerts to the intake. */
export const alertRoutes: FastifyPluginAsyncTypebox<AlertRoutesOptions> = async (app, { intake, store, metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const source = request.routeOptions.config?.intake;
    if (source !== undefined) {
      const result = RESULT_BY_STATUS[reply.statusCode] ?? (reply.statusCode >= 500 ? 'failed' : 'invalid');
      metrics.alertRequests.inc({ source, result });
    }
  });

  const submit = async (request: FastifyRequest, reply: FastifyReply, source: AlertSource, alerts: RawAlert[]): Promise<IntakeReceipt | FastifyReply> => {
    try {
      const receipt = await intake.submit(source, alerts);
      request.log.debug({ source, ...receipt, incidents: receipt.incidents.length }, 'alerts stored');
      return receipt;
    } catch (error) {
      if (error instanceof IntakeOverloadedError) {
        request.log.warn({ source, alerts: alerts.length }, error.message);
        return reply.code(503).header('retry-after', String(error.retryAfterSeconds)).send(errorBody(503, error.message));
      }
      throw error;
    }
  };

  app.post(
    '/alerts/alertmanager',
    {
      bodyLimit: LIMITS.bodyBytes,
      config: { intake: 'alertmanager' },
      schema: {
        summary: "Receive Alertmanager's webhook (version 4)",
        description:
          'Point an Alertmanager webhook_config here (send_resolved: true). Alerts are stored before the answer; a redelivery (same fingerprint ' +
          'and startsAt) is counted, not duplicated; resolved alerts resolve. Answers 503 with Retry-After when overloaded (Alertmanager retries).',
        tags: ['alerts'],
        querystring: WebhookQuery,
        body: AlertmanagerWebhookSchema,
        response: { 200: AlertReceiptSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { truncatedAlerts = 0, alerts } = request.body;
      if (truncatedAlerts > 0) {
        request.log.warn({ truncatedAlerts }, 'Alertmanager left alerts out of this notification (max_alerts); raise max_alerts to receive them all');
      }
      return submit(request, reply, 'alertmanager', webhookAlerts(alerts, intake.now));
    }
  );

  app.post(
    '/alerts/grafana',
    {
      bodyLimit: LIMITS.bodyBytes,
      config: { intake: 'grafana' },
      schema: {
        summary: "Receive Grafana alerting's webhook contact point",
        description:
          'Point a Grafana webhook contact point here. Authenticate with the engine or webhook token (Authorization header), or with the ' +
          'contact point\'s HMAC signature (INTELOPS_GRAFANA_HMAC_SECRET; optional timestamp header X-Grafana-Alerting-Signature-Timestamp).',
        tags: ['alerts'],
        querystring: WebhookQuery,
        body: GrafanaWebhookSchema,
        response: { 200: AlertReceiptSchema, ...errors },
      },
    },
    async (request, reply) => submit(request, reply, 'grafana', webhookAlerts(request.body.alerts, intake.now))
  );

  app.post(
    '/alerts',
    {
      bodyLimit: LIMITS.bodyBytes,
      config: { intake: 'generic' },
      // The body is checked here by hand: with ?mapping= it is another tool's format.
      attachValidation: true,
      schema: {
        summary: 'Receive alerts in the generic format, or in another tool\'s format through a field mapping',
        description:
          'Without `mapping`, the body is {"alerts": [GenericAlert…]}. With `mapping=<name>`, the body is any JSON and the mapping of that ' +
          'name in the settings (alertMappings) says where each field is: `alerts` is the dotted path to the array of alerts (left out: ' +
          'the body is one alert or an array of them), and title, startsAt (required), status, severity, service, labels, annotations, ' +
          'endsAt, fingerprint and generatorURL are dotted paths within each alert. Times may be RFC 3339 or epoch seconds/milliseconds; ' +
          'statuses such as alerting/ok are understood. Errors name the field by its path in the request.',
        tags: ['alerts'],
        querystring: Type.Object(
          {
            mapping: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'Name of a field mapping in the settings (alertMappings)' })),
            token: WebhookQuery.properties.token,
          },
          { additionalProperties: false }
        ),
        body: GenericAlertsSchema,
        response: { 200: AlertReceiptSchema, ...errors },
      },
    },
    async (request, reply) => {
      const failed = request.validationError;
      const mappingName = request.query?.mapping;
      if (failed !== undefined && (mappingName === undefined || failed.validationContext !== 'body')) {
        throw invalidInput(failed.message);
      }
      const receivedAt = intake.now;
      if (mappingName === undefined) {
        return submit(request, reply, 'generic', genericAlerts(request.body.alerts, receivedAt));
      }
      const mappings = (await loadSettings(store)).alertMappings ?? {};
      const mapping = Object.hasOwn(mappings, mappingName) ? mappings[mappingName] : undefined;
      if (mapping === undefined) {
        const known = Object.keys(mappings);
        throw invalidInput(
          `querystring/mapping: no mapping named ${quote(mappingName)} in the settings (alertMappings)${known.length > 0 ? `; known: ${known.join(', ')}` : '; none is defined'}`
        );
      }
      const body: unknown = request.body;
      const mapped = mapAlerts(body, mapping, mappingName);
      return submit(request, reply, 'generic', genericAlerts(mapped.alerts, receivedAt, mapped.where));
    }
  );
};
