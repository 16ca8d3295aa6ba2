import type { ErrorObject } from 'ajv';
import { invalidInput } from '../../../invalidInput.ts';
import { formatValidationError } from '../../../server/errors.ts';
import { compileBodyValidator } from '../../../server/validation.ts';
import type { AlertMapping } from '../../../settings/settings.ts';
import { GenericAlertSchema } from './generic.ts';
import type { FieldLocator, GenericAlert } from './generic.ts';
import { LIMITS } from './limits.ts';

type MappedField = Exclude<keyof AlertMapping, 'alerts'>;

const MAPPED_FIELDS: readonly MappedField[] = [
  'title',
  'startsAt',
  'status',
  'severity',
  'service',
  'labels',
  'annotations',
  'endsAt',
  'fingerprint',
  'generatorURL',
];

const FIRING_WORDS = new Set(['firing', 'alerting', 'triggered', 'open', 'active', 'problem', 'critical', 'alarm']);
const RESOLVED_WORDS = new Set(['resolved', 'ok', 'closed', 'recovered', 'inactive', 'normal', 'cleared']);

/** The value at a dotted path ("a.b.0.c"): own properties of objects, and numeric indexes of arrays. */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const segment of path === '' ? [] : path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && !Array.isArray(current) && Object.hasOwn(current, segment)) {
      current = Object.entries(current).find(([key]) => key === segment)?.[1];
    } else {
      return undefined;
    }
  }
  return current;
}

const slashed = (path: string) => (path === '' ? '' : `/${path.split('.').join('/')}`);

function text(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** Epoch numbers (seconds below 10^11, else milliseconds) become RFC 3339; anything else is left for the schema to judge. */
function time(value: unknown): unknown {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
  if (number === undefined || !Number.isFinite(number)) {
    return value;
  }
  const date = new Date(number < 1e11 ? number * 1000 : number);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function status(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  const word = value.trim().toLowerCase();
  return FIRING_WORDS.has(word) ? 'firing' : RESOLVED_WORDS.has(word) ? 'resolved' : value;
}

/** An object of scalars as strings; nested values as JSON; null values dropped. */
function stringMap(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry === null || entry === undefined) {
      continue;
    }
    result[key] = typeof entry === 'string' ? entry : typeof entry === 'object' ? JSON.stringify(entry) : String(entry);
  }
  return result;
}

const CONVERT: Record<MappedField, (value: unknown) => unknown> = {
  title: text,
  startsAt: time,
  status,
  severity: text,
  service: text,
  labels: stringMap,
  annotations: stringMap,
  endsAt: time,
  fingerprint: text,
  generatorURL: text,
};

const isGenericAlert = compileBodyValidator<GenericAlert>(GenericAlertSchema);

export interface MappedAlerts {
  alerts: GenericAlert[];
  /** Names the source field a later check is about, by its path in the request. */
  where: FieldLocator;
}

/**
 * Turns another tool's payload into generic alerts with a mapping from settings. Every alert is checked
 * against the generic schema; an error names the field by its path in the request and the mapping used.
 */
export function mapAlerts(body: unknown, mapping: AlertMapping, name: string): MappedAlerts {
  const alertsPath = mapping.alerts ?? '';
  const container = valueAt(body, alertsPath);
  const items = Array.isArray(container) ? container : alertsPath === '' && typeof container === 'object' && container !== null ? [container] : undefined;
  if (items === undefined) {
    throw invalidInput(`body${slashed(alertsPath)} must be an array of alerts (mapping "${name}" reads alerts from ${alertsPath === '' ? 'the body' : `"${alertsPath}"`})`);
  }
  if (items.length > LIMITS.alertsPerRequest) {
    throw invalidInput(`body${slashed(alertsPath)} must NOT have more than ${LIMITS.alertsPerRequest} items`);
  }
  const itemPath = (index: number) => (Array.isArray(container) ? `body${slashed(alertsPath)}/${index}` : 'body');
  const sourcePath = (index: number, field: MappedField) => `${itemPath(index)}${slashed(mapping[field] ?? field)}`;
  const note = (field: MappedField) => `(mapping "${name}": ${field})`;
  const where: FieldLocator = (index, field) => (isField(field) ? `${sourcePath(index, field)} ${note(field)}` : `${itemPath(index)}/${field}`);
  const alerts = items.map((item, index) => {
    const mapped: Record<string, unknown> = {};
    for (const field of MAPPED_FIELDS) {
      const path = mapping[field];
      const value = path === undefined ? undefined : valueAt(item, path);
      if (value !== undefined && value !== null) {
        mapped[field] = CONVERT[field](value);
      }
    }
    if (!isGenericAlert(mapped)) {
      throw invalidInput(describe(isGenericAlert.errors ?? [], (field, rest) => `${formatValidationError([rest], sourcePath(index, field)).message} ${note(field)}`));
    }
    return mapped;
  });
  return { alerts, where };
}

/** The first schema error, located by `locate` at the mapped field it concerns. */
function describe(errors: ErrorObject[], locate: (field: MappedField, error: ErrorObject) => string): string {
  const first = errors.find((error) => error.keyword !== 'propertyNames') ?? errors[0];
  if (first === undefined) {
    return 'body is invalid';
  }
  if (first.keyword === 'required' && typeof first.params.missingProperty === 'string' && isField(first.params.missingProperty)) {
    return locate(first.params.missingProperty, { ...first, keyword: 'missing', instancePath: '', message: 'is missing' });
  }
  const [, field = '', ...rest] = first.instancePath.split('/');
  const located = { ...first, instancePath: rest.length > 0 ? `/${rest.join('/')}` : '' };
  return locate(isField(field) ? field : 'title', located);
}

function isField(field: string): field is MappedField {
  return (MAPPED_FIELDS as readonly string[]).includes(field);
}
