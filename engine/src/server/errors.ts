import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyPluginAsync, FastifySchemaValidationError } from 'fastify';
import { Type } from 'typebox';
import { quote } from '../invalidInput.ts';
import { UpstreamError } from '../sources/http.ts';
import type { Static } from 'typebox';

/** Every error the API returns has this shape. */
export const ErrorResponseSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String({ description: 'The HTTP status text' }),
    message: Type.String({ description: 'What went wrong, in words, naming the field when a field is wrong' }),
  },
  { title: 'Error' }
);
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

export function errorBody(statusCode: number, message: string): ErrorResponse {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/**
 * Fastify's schemaErrorFormatter: "body/prometheus/url must match format "uri"". An unknown key is
 * named with the keys allowed there, because a misspelt key is the usual cause.
 */
export function formatValidationError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  // Ajv reports a bad key twice: the specific failure (with propertyName), then "property name must be valid".
  const first = errors.find((error) => error.keyword !== 'propertyNames') ?? errors[0];
  if (first === undefined) {
    return new Error(`${dataVar} is invalid`);
  }
  const where = `${dataVar}${first.instancePath}`;
  if (first.keyword === 'additionalProperties' && typeof first.params.additionalProperty === 'string') {
    const allowed = allowedProperties(first);
    const hint = allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
    return new Error(`${where} has unknown property "${first.params.additionalProperty}"${hint}`);
  }
  const propertyName: unknown = 'propertyName' in first ? first.propertyName : undefined;
  if (typeof propertyName === 'string') {
    return new Error(`${where} has a key ${quote(propertyName)} that ${first.message ?? 'is invalid'}`);
  }
  if (first.keyword === 'enum' && Array.isArray(first.params.allowedValues)) {
    return new Error(`${where} must be one of ${first.params.allowedValues.map(String).join(', ')}`);
  }
  if (first.keyword === 'format' && first.params.format === 'date-time') {
    return new Error(`${where} must be an RFC 3339 time (for example 2026-11-02T08:00:00Z)`);
  }
  return new Error(`${where} ${first.message ?? 'is invalid'}`);
}

function allowedProperties(error: FastifySchemaValidationError): string[] {
  // Ajv's `verbose` option puts the failing object's schema on the error.
  const parentSchema: unknown = 'parentSchema' in error ? error.parentSchema : undefined;
  if (typeof parentSchema !== 'object' || parentSchema === null || !('properties' in parentSchema)) {
    return [];
  }
  const properties = parentSchema.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

export interface ErrorsPluginOptions {
  bodyLimitBytes: number;
}

/** Turns every failure into an ErrorResponse; 5xx answers keep internals in the log, not the reply. */
const errors: FastifyPluginAsync<ErrorsPluginOptions> = async (app, options) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof UpstreamError) {
      // A bad query is the caller's to fix; anything else is the upstream's failure, not ours.
      const status = error.kind === 'bad_query' ? 400 : error.kind === 'timeout' ? 504 : 502;
      request.log.warn({ upstream: error.upstream, kind: error.kind, status: error.status, message: error.message }, 'upstream failed');
      return reply.code(status).send(errorBody(status, error.message));
    }
    const statusCode = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(500, `Internal server error; the engine log has the details (request id ${request.id})`));
    }
    request.log.info({ code: error.code, message: error.message }, 'request rejected');
    return reply.code(statusCode).send(errorBody(statusCode, clientMessage(error, request.routeOptions.bodyLimit ?? options.bodyLimitBytes)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    return reply.code(404).send(errorBody(404, `No route for ${request.method} ${path}; see GET /openapi.json for the API`));
  });
};

function clientMessage(error: FastifyError, bodyLimitBytes: number): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `Request body is larger than the limit of ${bodyLimitBytes} bytes`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'Request body is not valid JSON (the Content-Type says application/json)';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty but the Content-Type says application/json';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type; send application/json (PUT /api/v1/cmdb also takes application/yaml)';
    default:
      return error.message;
  }
}

export const errorsPlugin = fp(errors, { name: 'intelops-errors' });
