import { Ajv } from 'ajv';
import type { AnySchema, Options, ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = {
  // Reject unknown keys instead of silently dropping them (Fastify's default drops them).
  removeAdditional: false,
  useDefaults: true,
  // All errors at once lets a crafted body make Ajv do a lot of work; the first error is enough.
  allErrors: false,
  // Puts the failing schema on each error, so an unknown-key message can list the allowed keys.
  verbose: true,
};

function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  formats.default(ajv);
  return ajv;
}

/**
 * Request validation with two Ajv instances: JSON bodies are checked as sent (42 is not a string),
 * while query strings, params and headers, which arrive as text, are coerced to their schema types.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<AnySchema> {
  const bodies = createAjv(false);
  const textParts = createAjv('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? bodies : textParts).compile(schema);
}

let manualAjv: Ajv | undefined;

/**
 * A validator (a type guard) for data checked outside Fastify's schema step, e.g. a payload built by a
 * field mapping, with the same options as request bodies.
 */
export function compileBodyValidator<T>(schema: AnySchema): ValidateFunction<T> {
  manualAjv ??= createAjv(false);
  return manualAjv.compile<T>(schema);
}
