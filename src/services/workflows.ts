import { type EngineClient, isEngineRequestError } from '../datasource/engineClient';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { EngineReader } from '../datasource/incidents';
import type { DatasourceLookup } from './engineConnection';
import { type EngineRead, readFromEngine } from './incidents';

export const WORKFLOWS_PATH = '/api/v1/workflows';

/** The engine's rule for a workflow name (WORKFLOW_NAME_PATTERN): a slug of at most 63 characters. */
export const WORKFLOW_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface WorkflowTrigger {
  /** incident.created, incident.updated, incident.resolved, rca.ready, change.created, schedule or manual. */
  on: string;
  cron?: string;
  timezone?: string;
  /** For manual runs: the JSON schema of the inputs a person gives. */
  inputs?: Record<string, unknown>;
}

/** A file of the engine's workflow folder (read-only through the API), or saved through the API. */
export type WorkflowSource = { kind: 'file'; file: string } | { kind: 'api' };

/** One row of GET /api/v1/workflows. */
export interface WorkflowSummary {
  name: string;
  description?: string;
  triggers: WorkflowTrigger[];
  steps: number;
  source: WorkflowSource;
  /** When it was last saved through the API; null for files. */
  updatedAt: string | null;
}

/** A workflow that did not load: a bad file, or a saved one that no longer checks. */
export interface WorkflowLoadError {
  source: 'file' | 'api';
  file?: string;
  name?: string;
  /** Names the file or workflow, the line and the field. */
  message: string;
}

export interface WorkflowList {
  workflows: WorkflowSummary[];
  errors: WorkflowLoadError[];
}

export interface WorkflowStep {
  id: string;
  action: string;
  with: Record<string, unknown>;
  if?: string;
  timeoutMs: number;
  retries: number;
  /** auto: the policy decides; required: a person always approves. */
  approval: string;
}

/** GET /api/v1/workflows/{name}: the checked definition and its text as written. */
export interface WorkflowDefinition {
  name: string;
  description?: string;
  triggers: WorkflowTrigger[];
  if?: string;
  steps: WorkflowStep[];
  source: WorkflowSource;
  /** YAML or JSON, comments included. */
  text: string;
  updatedAt: string | null;
  /** Why a saved workflow no longer loads; null when it loads. */
  error: string | null;
}

/** The client calls that change workflows; the datasource's EngineClient has them. */
export type EngineWriter = Pick<EngineClient, 'get' | 'post' | 'putText' | 'delete'>;

function canWrite(client: EngineReader): client is EngineWriter {
  return ['post', 'putText', 'delete'].every((method) => typeof Reflect.get(client, method) === 'function');
}

/** The datasource's client, when it can write (an older plugin's client only reads). */
export function asWriter(client: EngineReader): EngineWriter {
  if (!canWrite(client)) {
    throw new Error('this IntelOps datasource cannot change workflows: update the IntelOps plugin');
  }
  return client;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseTrigger(value: unknown, path: string): WorkflowTrigger {
  if (!isRecord(value) || typeof value.on !== 'string') {
    throw invalidBody(path, 'a trigger has no "on"');
  }
  const cron = optionalString(value.cron);
  const timezone = optionalString(value.timezone);
  return {
    on: value.on,
    ...(cron === undefined ? {} : { cron }),
    ...(timezone === undefined ? {} : { timezone }),
    ...(isRecord(value.inputs) ? { inputs: value.inputs } : {}),
  };
}

function parseTriggers(value: unknown, path: string): WorkflowTrigger[] {
  if (!Array.isArray(value)) {
    throw invalidBody(path, 'a workflow has no triggers list');
  }
  return value.map((trigger) => parseTrigger(trigger, path));
}

function parseSource(value: unknown, path: string): WorkflowSource {
  if (isRecord(value) && value.kind === 'file' && typeof value.file === 'string') {
    return { kind: 'file', file: value.file };
  }
  if (isRecord(value) && value.kind === 'api') {
    return { kind: 'api' };
  }
  throw invalidBody(path, 'a workflow has no source (file or api)');
}

function parseSummary(value: unknown): WorkflowSummary {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.steps !== 'number') {
    throw invalidBody(WORKFLOWS_PATH, 'a workflow has no name or step count');
  }
  const description = optionalString(value.description);
  return {
    name: value.name,
    ...(description === undefined ? {} : { description }),
    triggers: parseTriggers(value.triggers, WORKFLOWS_PATH),
    steps: value.steps,
    source: parseSource(value.source, WORKFLOWS_PATH),
    updatedAt: stringOrNull(value.updatedAt),
  };
}

function parseLoadError(value: unknown): WorkflowLoadError {
  if (!isRecord(value) || typeof value.message !== 'string') {
    throw invalidBody(WORKFLOWS_PATH, 'a load error has no message');
  }
  const file = optionalString(value.file);
  const name = optionalString(value.name);
  return {
    source: value.source === 'file' ? 'file' : 'api',
    ...(file === undefined ? {} : { file }),
    ...(name === undefined ? {} : { name }),
    message: value.message,
  };
}

/** Reads GET /api/v1/workflows. */
export function parseWorkflowList(body: unknown): WorkflowList {
  if (!isRecord(body) || !Array.isArray(body.workflows)) {
    throw invalidBody(WORKFLOWS_PATH, 'the body has no workflows list');
  }
  return {
    workflows: body.workflows.map(parseSummary),
    errors: Array.isArray(body.errors) ? body.errors.map(parseLoadError) : [],
  };
}

function parseStep(value: unknown, path: string): WorkflowStep {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.action !== 'string') {
    throw invalidBody(path, 'a step has no id or action');
  }
  const condition = optionalString(value.if);
  return {
    id: value.id,
    action: value.action,
    with: isRecord(value.with) ? value.with : {},
    ...(condition === undefined ? {} : { if: condition }),
    timeoutMs: typeof value.timeoutMs === 'number' ? value.timeoutMs : 0,
    retries: typeof value.retries === 'number' ? value.retries : 0,
    approval: typeof value.approval === 'string' ? value.approval : 'auto',
  };
}

/** Reads GET (and PUT) /api/v1/workflows/{name}. */
export function parseWorkflowDefinition(body: unknown, path: string): WorkflowDefinition {
  if (!isRecord(body) || typeof body.name !== 'string' || typeof body.text !== 'string') {
    throw invalidBody(path, 'the body has no name and text');
  }
  if (!Array.isArray(body.steps)) {
    throw invalidBody(path, 'the body has no steps list');
  }
  const description = optionalString(body.description);
  const condition = optionalString(body.if);
  return {
    name: body.name,
    ...(description === undefined ? {} : { description }),
    triggers: parseTriggers(body.triggers, path),
    ...(condition === undefined ? {} : { if: condition }),
    steps: body.steps.map((step) => parseStep(step, path)),
    source: parseSource(body.source, path),
    text: body.text,
    updatedAt: stringOrNull(body.updatedAt),
    error: stringOrNull(body.error),
  };
}

export function workflowPath(name: string): `/api/v1/${string}` {
  return `${WORKFLOWS_PATH}/${encodeURIComponent(name)}`;
}

/** The line a message of the engine names ("body line 7: steps/0/action …"), when it names one. */
export function errorLine(message: string): number | undefined {
  const match = /\bline (\d+)/.exec(message);
  const line = match ? Number(match[1]) : NaN;
  return Number.isInteger(line) && line > 0 ? line : undefined;
}

/** JSON when the text is a JSON object, YAML otherwise: the engine reads both and keeps the text as sent. */
export function workflowContentType(text: string): string {
  return text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
}

/** A save or delete the engine refused, in its words; `line` when its message names one. */
export interface Refusal {
  state: 'refused';
  message: string;
  line?: number;
}

export type SaveOutcome = { state: 'saved'; workflow: WorkflowDefinition } | Refusal;

export type DeleteOutcome = { state: 'deleted' } | Refusal;

/** 400 (bad workflow), 409 (defined by a file), 404, 413, 415: the engine's message is for the person, as is. */
function refusal(error: unknown): Refusal | undefined {
  if (!isEngineRequestError(error) || error.detail === undefined) {
    return undefined;
  }
  const refused = error.kind === 'rejected' || [404, 409, 413, 415].includes(error.status ?? 0);
  if (!refused) {
    return undefined;
  }
  const line = errorLine(error.detail);
  return { state: 'refused', message: error.detail, ...(line === undefined ? {} : { line }) };
}

export function loadWorkflows(lookup: DatasourceLookup): Promise<EngineRead<WorkflowList>> {
  return readFromEngine(lookup, async (client) => parseWorkflowList(await client.get(WORKFLOWS_PATH)));
}

export function loadWorkflow(lookup: DatasourceLookup, name: string): Promise<EngineRead<WorkflowDefinition>> {
  const path = workflowPath(name);
  return readFromEngine(lookup, async (client) => parseWorkflowDefinition(await client.get(path), path));
}

/** PUT /api/v1/workflows/{name} with the text as typed; a refusal comes back with the line it names. */
export function saveWorkflow(lookup: DatasourceLookup, name: string, text: string): Promise<EngineRead<SaveOutcome>> {
  const path = workflowPath(name);
  return readFromEngine(lookup, async (client): Promise<SaveOutcome> => {
    const writer = asWriter(client);
    try {
      const workflow = parseWorkflowDefinition(await writer.putText(path, text, workflowContentType(text)), path);
      return { state: 'saved', workflow };
    } catch (error) {
      const refused = refusal(error);
      if (refused) {
        return refused;
      }
      throw error;
    }
  });
}

export function deleteWorkflow(lookup: DatasourceLookup, name: string): Promise<EngineRead<DeleteOutcome>> {
  const path = workflowPath(name);
  return readFromEngine(lookup, async (client): Promise<DeleteOutcome> => {
    try {
      await asWriter(client).delete(path);
      return { state: 'deleted' };
    } catch (error) {
      const refused = refusal(error);
      if (refused) {
        return refused;
      }
      throw error;
    }
  });
}
