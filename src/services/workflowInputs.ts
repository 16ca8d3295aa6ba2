import { isRecord } from '../datasource/jsonBody';
import type { WorkflowTrigger } from './workflows';

/**
 * The form of a manual run, from the JSON schema of the manual trigger's inputs: one field per property, typed as
 * the form can ask for it. The engine checks the inputs against the schema again; the form only catches what a
 * person can fix before sending (a required field left empty, a number that is not one, JSON that does not parse).
 */

interface FieldBase {
  name: string;
  /** The schema's title, else the property's name (what templates call it: inputs.<name>). */
  label: string;
  description?: string;
  required: boolean;
}

export interface ChoiceOption {
  /** The value as JSON: unique, and what the form keeps. */
  key: string;
  label: string;
  value: unknown;
}

export type InputField =
  | (FieldBase & { kind: 'text'; hint?: string; default?: string })
  | (FieldBase & { kind: 'choice'; options: ChoiceOption[]; default?: string })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number; default?: number })
  | (FieldBase & { kind: 'boolean'; default?: boolean })
  /** Objects, arrays and anything else: typed as JSON. */
  | (FieldBase & { kind: 'json'; expects?: 'object' | 'array'; default?: unknown });

/** What the form holds per field: the text typed (or the choice's key), or the switch's state. */
export type InputValues = Record<string, string | boolean>;

export type InputProblems = Record<string, string>;

export type CollectedInputs = { ok: true; inputs: Record<string, unknown> } | { ok: false; problems: InputProblems };

/** The first manual trigger: only it lets a person run the workflow, and its inputs schema says with what. */
export function manualTrigger(triggers: WorkflowTrigger[]): WorkflowTrigger | undefined {
  return triggers.find((trigger) => trigger.on === 'manual');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The one type a property has: `type: [string, "null"]` is a string that may be left out. */
function singleType(schema: Record<string, unknown>): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') {
    return type;
  }
  if (Array.isArray(type)) {
    const types = type.filter((candidate) => candidate !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  if (schema.enum !== undefined) {
    return 'enum';
  }
  return undefined;
}

function choiceLabel(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "format: uri", "pattern: ^[a-z-]+$", "2 to 64 characters": what a string must look like. */
export function stringHint(schema: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const format = text(schema.format);
  if (format) {
    parts.push(`format: ${format}`);
  }
  const pattern = text(schema.pattern);
  if (pattern) {
    parts.push(`pattern: ${pattern}`);
  }
  const min = finite(schema.minLength);
  const max = finite(schema.maxLength);
  if (min !== undefined && max !== undefined) {
    parts.push(`${min} to ${max} characters`);
  } else if (min !== undefined) {
    parts.push(`at least ${min} characters`);
  } else if (max !== undefined) {
    parts.push(`at most ${max} characters`);
  }
  return parts.length === 0 ? undefined : parts.join(' · ');
}

function field(name: string, schema: Record<string, unknown>, required: boolean): InputField {
  const description = text(schema.description);
  const base: FieldBase = {
    name,
    label: text(schema.title) ?? name,
    ...(description === undefined ? {} : { description }),
    required,
  };
  const fallback = schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const options = schema.enum.map((value) => ({ key: JSON.stringify(value), label: choiceLabel(value), value }));
    const known = options.find((option) => option.key === JSON.stringify(fallback));
    return { ...base, kind: 'choice', options, ...(known ? { default: known.key } : {}) };
  }
  switch (singleType(schema)) {
    case 'string': {
      const hint = stringHint(schema);
      return {
        ...base,
        kind: 'text',
        ...(hint === undefined ? {} : { hint }),
        ...(typeof fallback === 'string' ? { default: fallback } : {}),
      };
    }
    case 'number':
    case 'integer': {
      const minimum = finite(schema.minimum);
      const maximum = finite(schema.maximum);
      const value = finite(fallback);
      return {
        ...base,
        kind: 'number',
        integer: schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer')),
        ...(minimum === undefined ? {} : { minimum }),
        ...(maximum === undefined ? {} : { maximum }),
        ...(value === undefined ? {} : { default: value }),
      };
    }
    case 'boolean':
      return { ...base, kind: 'boolean', ...(typeof fallback === 'boolean' ? { default: fallback } : {}) };
    case 'object':
    case 'array':
      return {
        ...base,
        kind: 'json',
        expects: schema.type === 'array' ? 'array' : 'object',
        ...(fallback === undefined ? {} : { default: fallback }),
      };
    default:
      return { ...base, kind: 'json', ...(fallback === undefined ? {} : { default: fallback }) };
  }
}

/** The form's fields, in the schema's order; none for a schema without properties. */
export function inputFields(schema: Record<string, unknown> | undefined): InputField[] {
  if (schema === undefined || !isRecord(schema.properties)) {
    return [];
  }
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : [];
  return Object.entries(schema.properties).map(([name, property]) =>
    field(name, isRecord(property) ? property : {}, required.includes(name))
  );
}

/** The form as it opens: defaults filled in, switches off unless their default is on. */
export function initialValues(fields: InputField[]): InputValues {
  const values: InputValues = {};
  for (const input of fields) {
    switch (input.kind) {
      case 'boolean':
        values[input.name] = input.default ?? false;
        break;
      case 'number':
        values[input.name] = input.default === undefined ? '' : String(input.default);
        break;
      case 'json':
        values[input.name] = input.default === undefined ? '' : JSON.stringify(input.default, null, 2);
        break;
      default:
        values[input.name] = input.default ?? '';
    }
  }
  return values;
}

type Read = { value: unknown } | { problem: string } | undefined;

function readNumber(input: Extract<InputField, { kind: 'number' }>, typed: string): Read {
  const value = Number(typed);
  if (!Number.isFinite(value)) {
    return { problem: `${input.label} must be a number` };
  }
  if (input.integer && !Number.isInteger(value)) {
    return { problem: `${input.label} must be a whole number` };
  }
  if (input.minimum !== undefined && value < input.minimum) {
    return { problem: `${input.label} must be at least ${input.minimum}` };
  }
  if (input.maximum !== undefined && value > input.maximum) {
    return { problem: `${input.label} must be at most ${input.maximum}` };
  }
  return { value };
}

function readJson(input: Extract<InputField, { kind: 'json' }>, typed: string): Read {
  let value: unknown;
  try {
    value = JSON.parse(typed);
  } catch {
    return { problem: `${input.label} is not valid JSON` };
  }
  if (input.expects === 'array' && !Array.isArray(value)) {
    return { problem: `${input.label} must be a JSON array, like ["a", "b"]` };
  }
  if (input.expects === 'object' && !isRecord(value)) {
    return { problem: `${input.label} must be a JSON object, like {"key": "value"}` };
  }
  return { value };
}

/** One field's value for the engine; undefined when left empty (the engine then applies the schema's rules). */
function read(input: InputField, held: string | boolean | undefined): Read {
  if (input.kind === 'boolean') {
    return { value: held === true };
  }
  const typed = typeof held === 'string' ? held : '';
  if (typed.trim() === '') {
    return input.required ? { problem: `${input.label} is required` } : undefined;
  }
  switch (input.kind) {
    case 'text':
      return { value: typed };
    case 'choice': {
      const option = input.options.find((candidate) => candidate.key === typed);
      return option ? { value: option.value } : { problem: `${input.label}: pick one of the values` };
    }
    case 'number':
      return readNumber(input, typed.trim());
    case 'json':
      return readJson(input, typed);
  }
}

/** The inputs to send, or what to fix first, by field name. */
export function collectInputs(fields: InputField[], values: InputValues): CollectedInputs {
  const inputs: Record<string, unknown> = {};
  const problems: InputProblems = {};
  for (const input of fields) {
    const result = read(input, values[input.name]);
    if (result === undefined) {
      continue;
    }
    if ('problem' in result) {
      problems[input.name] = result.problem;
    } else {
      inputs[input.name] = result.value;
    }
  }
  return Object.keys(problems).length === 0 ? { ok: true, inputs } : { ok: false, problems };
}

/**
 * The input an engine refusal names: "body/inputs/replicas must be <= 20" names replicas, "body/inputs must have
 * required property 'service'" names service; undefined when it names none of the fields.
 */
export function fieldOfRefusal(message: string, fields: InputField[]): string | undefined {
  const names = fields.map((input) => input.name);
  const path = /body\/inputs\/([^/\s]+)/.exec(message);
  const missing = /body\/inputs must have required property '([^']+)'/.exec(message);
  const name = path?.[1] ?? missing?.[1];
  return name !== undefined && names.includes(name) ? name : undefined;
}
