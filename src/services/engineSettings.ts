import { isEngineRequestError } from '../datasource/engineClient';
import type { EngineReader } from '../datasource/incidents';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

export const SETTINGS_PATH = '/api/v1/settings';

/** The settings document as the engine sent it: every key is kept, because PUT replaces the whole document. */
export type SettingsDocument = Record<string, unknown>;

/** The settings this page edits, as typed; '' means "not set". */
export interface SourceSettingsValues {
  prometheusUrl: string;
  lokiUrl: string;
  lokiTenant: string;
  tempoUrl: string;
  llmBaseUrl: string;
  llmModel: string;
  grafanaUrl: string;
  grafanaChangeTag: string;
}

export type SourceField = keyof SourceSettingsValues;

export const SOURCE_FIELDS: SourceField[] = [
  'prometheusUrl',
  'lokiUrl',
  'lokiTenant',
  'tempoUrl',
  'llmBaseUrl',
  'llmModel',
  'grafanaUrl',
  'grafanaChangeTag',
];

export type FieldErrors = Partial<Record<SourceField, string>>;

/** GET /api/v1/settings: the whole document, the fields of it this page edits, and whether the LLM has a key. */
export interface EngineSettings {
  document: SettingsDocument;
  values: SourceSettingsValues;
  /** llm.apiKeySet: INTELOPS_LLM_API_KEY is set in the engine's environment (read-only, never sent back). */
  apiKeySet: boolean;
}

/** The client calls the settings need; the datasource's EngineClient has both. */
export type EngineSettingsClient = EngineReader & {
  put: (path: `/api/v1/${string}`, body: object) => Promise<unknown>;
};

type Section = 'prometheus' | 'loki' | 'tempo' | 'llm' | 'grafana';

/** The document's sections this page edits, in the order the form shows them. */
const SECTIONS: Section[] = ['prometheus', 'loki', 'tempo', 'llm', 'grafana'];

/** Keys the engine adds to a section on GET and ignores on PUT. */
const READ_ONLY_KEYS: Partial<Record<Section, string[]>> = { llm: ['apiKeySet'] };

/**
 * Where each field sits in the document, as the engine names it in a 400 ("body/llm/baseUrl must …"), and what
 * the field is called in a message.
 */
const FIELD_PLACES: Record<SourceField, { section: Section; key: string; noun: string }> = {
  prometheusUrl: { section: 'prometheus', key: 'url', noun: 'URL' },
  lokiUrl: { section: 'loki', key: 'url', noun: 'URL' },
  lokiTenant: { section: 'loki', key: 'tenant', noun: 'tenant' },
  tempoUrl: { section: 'tempo', key: 'url', noun: 'URL' },
  llmBaseUrl: { section: 'llm', key: 'baseUrl', noun: 'URL' },
  llmModel: { section: 'llm', key: 'model', noun: 'model name' },
  grafanaUrl: { section: 'grafana', key: 'url', noun: 'URL' },
  grafanaChangeTag: { section: 'grafana', key: 'changeTag', noun: 'tag' },
};

type UrlField = 'prometheusUrl' | 'lokiUrl' | 'tempoUrl' | 'llmBaseUrl' | 'grafanaUrl';
type TextField = Exclude<SourceField, UrlField>;

/** Examples for the placeholders and the validation messages: the ports each project documents. */
export const EXAMPLE_URLS: Record<UrlField, string> = {
  prometheusUrl: 'http://prometheus:9090',
  lokiUrl: 'http://loki:3100',
  tempoUrl: 'http://tempo:3200',
  llmBaseUrl: 'http://ollama:11434/v1',
  grafanaUrl: 'http://grafana:3000',
};

// The engine's limits (engine/src/settings/settings.ts): a URL up to 2048 characters, the others as below.
const MAX_URL_LENGTH = 2048;
const MAX_TEXT_LENGTHS: Record<TextField, number> = { lokiTenant: 256, llmModel: 256, grafanaChangeTag: 128 };

function isUrlField(field: SourceField): field is UrlField {
  return Object.hasOwn(EXAMPLE_URLS, field);
}

/** Builds the values field by field, so each one is named once. */
function valuesFrom(value: (field: SourceField) => string): SourceSettingsValues {
  return {
    prometheusUrl: value('prometheusUrl'),
    lokiUrl: value('lokiUrl'),
    lokiTenant: value('lokiTenant'),
    tempoUrl: value('tempoUrl'),
    llmBaseUrl: value('llmBaseUrl'),
    llmModel: value('llmModel'),
    grafanaUrl: value('grafanaUrl'),
    grafanaChangeTag: value('grafanaChangeTag'),
  };
}

function text(section: unknown, key: string): string {
  const value = isRecord(section) ? section[key] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Reads the settings document; keys it does not know, or of a shape it does not expect, are kept as they are. */
export function parseEngineSettings(body: unknown, path: string = SETTINGS_PATH): EngineSettings {
  if (!isRecord(body)) {
    throw invalidBody(path, 'the body is not a JSON object');
  }
  return {
    document: body,
    values: valuesFrom((field) => text(body[FIELD_PLACES[field].section], FIELD_PLACES[field].key)),
    apiKeySet: isRecord(body.llm) && body.llm.apiKeySet === true,
  };
}

export function trimmedValues(values: SourceSettingsValues): SourceSettingsValues {
  return valuesFrom((field) => values[field].trim());
}

/** Whether saving `values` would change what the engine has; surrounding spaces do not count. */
export function hasChanges(saved: SourceSettingsValues, values: SourceSettingsValues): boolean {
  const a = trimmedValues(saved);
  const b = trimmedValues(values);
  return SOURCE_FIELDS.some((field) => a[field] !== b[field]);
}

/** A section with `fields` set, or left out when empty; its other keys stay, but not the read-only ones. */
function withFields(section: unknown, fields: Record<string, string>, readOnly: string[]): Record<string, unknown> {
  const kept = isRecord(section)
    ? Object.entries(section).filter(([key]) => !(key in fields) && !readOnly.includes(key))
    : [];
  const set = Object.entries(fields).filter(([, value]) => value !== '');
  return Object.fromEntries([...kept, ...set]);
}

/** The document with `key` replaced by `section`, or without `key` when the section is empty. */
function withSection(document: SettingsDocument, key: string, section: Record<string, unknown>): SettingsDocument {
  const rest = Object.fromEntries(Object.entries(document).filter(([name]) => name !== key));
  return Object.keys(section).length === 0 ? rest : { ...rest, [key]: section };
}

/**
 * The PUT body: the document as loaded with only the fields of this page changed. An empty field is left out
 * ("not set"), and so is a section left empty; llm.apiKeySet is read-only, so it is not sent back.
 */
export function settingsBody(document: SettingsDocument, values: SourceSettingsValues): SettingsDocument {
  const wanted = trimmedValues(values);
  return SECTIONS.reduce((body, section) => {
    const fields = SOURCE_FIELDS.filter((field) => FIELD_PLACES[field].section === section).map(
      (field) => [FIELD_PLACES[field].key, wanted[field]] as const
    );
    const edited = withFields(document[section], Object.fromEntries(fields), READ_ONLY_KEYS[section] ?? []);
    return withSection(body, section, edited);
  }, document);
}

/** What is wrong with a URL the engine calls, in words; undefined when it is empty or fine. */
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

function fieldProblem(field: SourceField, value: string): string | undefined {
  if (isUrlField(field)) {
    return urlProblem(value, EXAMPLE_URLS[field]);
  }
  const max = MAX_TEXT_LENGTHS[field];
  return value.trim().length > max
    ? `Shorten the ${FIELD_PLACES[field].noun} to at most ${max} characters.`
    : undefined;
}

/** Client-side checks before saving; the engine checks again and names the field it refuses. */
export function validateSourceSettings(values: SourceSettingsValues): FieldErrors {
  const problems = SOURCE_FIELDS.map((field) => [field, fieldProblem(field, values[field])] as const);
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
    const { section, key, noun } = FIELD_PLACES[field];
    const prefix = `body/${section}/${key} `;
    if (message.startsWith(prefix)) {
      return { field, message: `The engine refused this ${noun}: it ${message.slice(prefix.length)}.` };
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

/** PUT /api/v1/settings: `document` as loaded, with the fields of this page set to `values`. */
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
