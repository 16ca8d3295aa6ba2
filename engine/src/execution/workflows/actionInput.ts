import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import type { TSchema } from 'typebox';
import type { ActionDefinition } from '../types.ts';
import { isTemplate } from './templates.ts';

/**
 * A step's `with` against its action's input schema: when a workflow is loaded, a field holding a template is
 * left for later; when the step runs, the rendered input is checked again, with text turned into the numbers and
 * booleans the schema asks for.
 */

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: !coerceTypes, verbose: true, strict: false, coerceTypes, useDefaults: true });
  formats.default(ajv);
  return ajv;
}

const asWritten = createAjv(false);
const rendered = createAjv(true);
const compiledAsWritten = new WeakMap<TSchema, ValidateFunction>();
const compiledRendered = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(ajv: Ajv, cache: WeakMap<TSchema, ValidateFunction>, schema: TSchema): ValidateFunction {
  let validate = cache.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** The errors in `with` as written, leaving out those on strings that are templates (checked after rendering). */
export function actionInputErrors(action: ActionDefinition, input: Record<string, unknown>): ErrorObject[] {
  const validate = validatorFor(asWritten, compiledAsWritten, action.input);
  // Defaults are filled into a copy: the workflow keeps what was written.
  if (validate(structuredClone(input))) {
    return [];
  }
  return (validate.errors ?? []).filter((error) => !(typeof error.data === 'string' && isTemplate(error.data)));
}

/**
 * The rendered input as the action gets it (defaults filled, "5" made 5 where the schema wants a number), or an
 * error naming the field ("with/channel must be string").
 */
export function checkActionInput<Input>(action: ActionDefinition<Input>, input: unknown): Input {
  const validate = validatorFor(rendered, compiledRendered, action.input);
  const copy = structuredClone(input);
  if (validate(copy)) {
    return copy as Input;
  }
  const error = validate.errors?.[0];
  const where = `with${error?.instancePath ?? ''}`;
  throw new Error(`action ${action.name}: ${where} ${error?.message ?? 'is invalid'}`);
}
