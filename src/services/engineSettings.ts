import { isEngineRequestError } from '../datasource/engineClient';
import type { EngineReader } from '../datasource/incidents';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

export const SETTINGS_PATH = '/api/v1/settings';

/** The settings document as the engine sent it: every key is kept, because PUT replaces the whole document. */
export type SettingsDocument = Record<string, unknown>;

/** The upstream settings this page edits, as typed; '' means "not set". */
export interface SourceSettingsValues {
  prometheusUrl: string;
  lokiUrl: string;
  lokiTenant: string;
  tempoUrl: string;
}

export type SourceField = keyof SourceSettingsValues;

export const SOURCE_FIELDS: SourceField[] = ['prometheusUrl', 'lokiUrl', 'lokiTenant', 'tempoUrl'];

export type FieldErrors = Partial<Record<SourceField, string>>;

/** GET /api/v1/settings: the whole document, and the fields of it this page edits. */
export interface EngineSettings {
  document: SettingsDocument;
  values: SourceSettingsValues;
}

/** The client calls the settings need; the datasource's EngineClient has both. */
export type EngineSettingsClient = EngineReader & {
  put: (path: `/api/v1/${string}`, body: object) => Promise<unknown>;
};

/** Where each field sits in the document, as the engine names it in a 400 ("body/loki/tenant must …"). */
const FIELD_PLACES: Record<SourceField, { section: 'prometheus' | 'loki' | 'tempo'; key: 'url' | 'tenant' }> = {
  prometheusUrl: { section: 'prometheus', key: 'url' },
  lokiUrl: { section: 'loki', key: 'url' },
  lokiTenant: { section: 'loki', key: 'tenant' },
  tempoUrl: { section: 'tempo', key: 'url' },
};

/** Examples for the placeholders and the validation messages: the ports each project documents. */
export const EXAMPLE_URLS: Record<Exclude<SourceField, 'lokiTenant'>, string> = {
  prometheusUrl: 'http://prometheus:9090',
  lokiUrl: 'http://loki:3100',
  tempoUrl: 'http://tempo:3200',
};

// The engine's limits (engine/src/settings/settings.ts): a URL up to 2048 characters, a tenant up to 256.
const MAX_URL_LENGTH = 2048;
const MAX_TENANT_LENGTH = 256;

function text(section: unknown, key: string): string {
  const value = isRecord(section) ? section[key] : undefined;
  return typeof value === 'string' ? value : '';
}

function valuesOf(document: SettingsDocument): SourceSettingsValues {
  return {
    prometheusUrl: text(document.prometheus, 'url'),
    lokiUrl: text(document.loki, 'url'),
    lokiTenant: text(document.loki, 'tenant'),
    tempoUrl: text(document.tempo, 'url'),
  };
}

/** Reads the settings document; keys it does not know, or of a shape it does not expect, are kept as they are. */
export function parseEngineSettings(body: unknown, path: string = SETTINGS_PATH): EngineSettings {
  if (!isRecord(body)) {
    throw invalidBody(path, 'the body is not a JSON object');
  }
  return { document: body, values: valuesOf(body) };
}

export function trimmedValues(values: SourceSettingsValues): SourceSettingsValues {
  return {
    prometheusUrl: values.prometheusUrl.trim(),
    lokiUrl: values.lokiUrl.trim(),
    lokiTenant: values.lokiTenant.trim(),
    tempoUrl: values.tempoUrl.trim(),
  };
}

/** Whether saving `values` would change what the engine has; surrounding spaces do not count. */
export function hasChanges(saved: SourceSettingsValues, values: SourceSettingsValues): boolean {
  const a = trimmedValues(saved);
  const b = trimmedValues(values);
  return SOURCE_FIELDS.some((field) => a[field] !== b[field]);
}

/** A section with `fields` set, or left out when empty; its other keys stay. */
function withFields(section: unknown, fields: Partial<Record<'url' | 'tenant', string>>): Record<string, unknown> {
  const kept = isRecord(section) ? Object.entries(section).filter(([key]) => !(key in fields)) : [];
  const set = Object.entries(fields).filter(([, value]) => value !== '');
  return Object.fromEntries([...kept, ...set]);
}

/** The document with `key` replaced by `section`, or without `key` when the section is empty. */
function withSection(document: SettingsDocument, key: string, section: Record<string, unknown>): SettingsDocument {
  const rest = Object.fromEntries(Object.entries(document).filter(([name]) => name !== key));
  return Object.keys(section).length === 0 ? rest : { ...rest, [key]: section };
}

/**
 * The PUT body: the document as loaded with only the four upstream fields changed. An empty field is left out
 * ("not set"); llm.apiKeySet is read-only, so it is not sent back.
 */
export function settingsBody(document: SettingsDocument, values: SourceSettingsValues): SettingsDocument {
  const wanted = trimmedValues(values);
  let body = withSection(document, 'prometheus', withFields(document.prometheus, { url: wanted.prometheusUrl }));
  body = withSection(body, 'loki', withFields(document.loki, { url: wanted.lokiUrl, tenant: wanted.lokiTenant }));
  body = withSection(body, 'tempo', withFields(document.tempo, { url: wanted.tempoUrl }));
  if (isRecord(document.llm)) {
    const llm = Object.fromEntries(Object.entries(document.llm).filter(([key]) => key !== 'apiKeySet'));
    body = withSection(body, 'llm', llm);
  }
  return body;
}

/** What is wrong with an upstream URL, in words; undefined when it is empty or fine. */
export function urlProblem(value: string, example: string): string | undefined {
  const url = value.trim();
  if (url === '') {
    return undefined;
  }
  if (!/^https?:\/\//.test(url)) {
    return `Start the URL with http:// or https://, for example ${example}.`;
  }
  if (/\s/.test(url)) {
    return 'Remove the spaces: a URL cannot contain them.';
  }
  if (url.length > MAX_URL_LENGTH) {
    return `Shorten the URL to at most ${MAX_URL_LENGTH} characters.`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `This is not a complete URL: give the host and, if needed, the port, for example ${example}.`;
  }
  return parsed.hostname === '' ? `Give the host, for example ${example}.` : undefined;
}

/** Client-side checks before saving; the engine checks again and names the field it refuses. */
export function validateSourceSettings(values: SourceSettingsValues): FieldErrors {
  const problems: Array<[SourceField, string | undefined]> = [
    ['prometheusUrl', urlProblem(values.prometheusUrl, EXAMPLE_URLS.prometheusUrl)],
    ['lokiUrl', urlProblem(values.lokiUrl, EXAMPLE_URLS.lokiUrl)],
    [
      'lokiTenant',
      values.lokiTenant.trim().length > MAX_TENANT_LENGTH
        ? `Shorten the tenant to at most ${MAX_TENANT_LENGTH} characters.`
        : undefined,
    ],
    ['tempoUrl', urlProblem(values.tempoUrl, EXAMPLE_URLS.tempoUrl)],
  ];
  return Object.fromEntries(problems.filter(([, problem]) => problem !== undefined));
}

export function hasFieldErrors(errors: FieldErrors): boolean {
  return SOURCE_FIELDS.some((field) => errors[field] !== undefined);
}

/**
 * The field an engine 400 names ("body/prometheus/url must match format "uri""), with the rest of its message;
 * undefined when it names another part of the document.
 */
export function fieldOfEngineMessage(message: string): { field: SourceField; message: string } | undefined {
  for (const field of SOURCE_FIELDS) {
    const { section, key } = FIELD_PLACES[field];
    const prefix = `body/${section}/${key} `;
    if (message.startsWith(prefix)) {
      const what = key === 'url' ? 'URL' : 'tenant';
      return { field, message: `The engine refused this ${what}: it ${message.slice(prefix.length)}.` };
    }
  }
  return undefined;
}

/** What a PUT came to when the engine answered: saved, or refused (400) with the field it named if any. */
export type SaveOutcome =
  { state: 'saved'; settings: EngineSettings } | { state: 'refused'; fieldErrors: FieldErrors; message?: string };

function canPut(client: EngineReader): client is EngineSettingsClient {
  return typeof Reflect.get(client, 'put') === 'function';
}

/** GET /api/v1/settings through the IntelOps datasource. */
export function loadEngineSettings(lookup: DatasourceLookup): Promise<EngineRead<EngineSettings>> {
  return readFromEngine(lookup, async (client) => parseEngineSettings(await client.get(SETTINGS_PATH)));
}

/** PUT /api/v1/settings: `document` as loaded, with the upstream fields set to `values`. */
export function saveSourceSettings(
  lookup: DatasourceLookup,
  document: SettingsDocument,
  values: SourceSettingsValues
): Promise<EngineRead<SaveOutcome>> {
  return readFromEngine(lookup, async (client): Promise<SaveOutcome> => {
    if (!canPut(client)) {
      throw new Error('this IntelOps datasource cannot send PUT requests: update the IntelOps plugin');
    }
    let answer: unknown;
    try {
      answer = await client.put(SETTINGS_PATH, settingsBody(document, values));
    } catch (error) {
      if (isEngineRequestError(error) && error.kind === 'rejected') {
        const message = error.detail ?? 'the engine gave no reason';
        const named = fieldOfEngineMessage(message);
        return named
          ? { state: 'refused', fieldErrors: { [named.field]: named.message } }
          : { state: 'refused', fieldErrors: {}, message: `The engine refused the settings: ${message}` };
      }
      throw error;
    }
    return { state: 'saved', settings: parseEngineSettings(answer) };
  });
}
