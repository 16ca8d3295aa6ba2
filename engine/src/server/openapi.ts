import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { isApiPath } from './auth.ts';

export interface OpenApiPluginOptions {
  version: string;
}

export const BEARER_SCHEME = 'bearerAuth';
export const WEBHOOK_HEADER_SCHEME = 'webhookToken';
export const WEBHOOK_QUERY_SCHEME = 'webhookTokenQuery';
export const GRAFANA_SIGNATURE_SCHEME = 'grafanaSignature';

/** Each scheme alone satisfies the operation (OpenAPI: alternatives are separate entries). */
function securityOf(intake: string | undefined): Array<Record<string, string[]>> {
  const schemes =
    intake === undefined
      ? [BEARER_SCHEME]
      : [BEARER_SCHEME, WEBHOOK_HEADER_SCHEME, WEBHOOK_QUERY_SCHEME, ...(intake === 'grafana' ? [GRAFANA_SIGNATURE_SCHEME] : [])];
  return schemes.map((scheme) => ({ [scheme]: [] }));
}

/** OpenAPI 3 generated from the route schemas, at GET /openapi.json; /api/v1 operations require the bearer token. */
const openapi: FastifyPluginAsync<OpenApiPluginOptions> = async (app, { version }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'IntelOps engine API',
        version,
        description: 'Every path under /api/v1 needs "Authorization: Bearer <token>"; health, readiness, metrics and this document do not.',
      },
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: 'The engine token (INTELOPS_TOKEN); on the alert intake routes the webhook token (INTELOPS_WEBHOOK_TOKEN) too',
          },
          [WEBHOOK_HEADER_SCHEME]: { type: 'apiKey', in: 'header', name: 'X-IntelOps-Token', description: 'The webhook token (INTELOPS_WEBHOOK_TOKEN); alert intake routes only' },
          [WEBHOOK_QUERY_SCHEME]: {
            type: 'apiKey',
            in: 'query',
            name: 'token',
            description: 'The webhook token as ?token=, for senders that can only set a URL; alert intake routes only. Never logged.',
          },
          [GRAFANA_SIGNATURE_SCHEME]: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Grafana-Alerting-Signature',
            description:
              'Grafana webhook HMAC: hex HMAC-SHA256 of the body with INTELOPS_GRAFANA_HMAC_SECRET, or of "<timestamp>:<body>" when Grafana ' +
              'sends X-Grafana-Alerting-Signature-Timestamp (Unix seconds, within 5 minutes); POST /api/v1/alerts/grafana only',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => ({
      schema: isApiPath(url) ? { ...schema, security: securityOf(route.config?.intake) } : schema,
      url,
    }),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};

export const openapiPlugin = fp(openapi, { name: 'intelops-openapi' });
