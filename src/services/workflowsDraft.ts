import { isEngineRequestError } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import { invalidBody, isRecord } from '../datasource/jsonBody';
import type { DatasourceLookup } from './engineConnection';
import { readFromEngine } from './incidents';
import { asWriter, WORKFLOWS_PATH } from './workflows';

export const DRAFT_PATH = `${WORKFLOWS_PATH}/draft` as const;

/** The engine's limit on a description (MAX_DESCRIPTION_CHARS): longer ones get a 400. */
export const MAX_DRAFT_DESCRIPTION_CHARS = 2000;

/** What a step of the draft would do, as the engine's dry run describes it. */
export interface DraftStep {
  id: string;
  action: string;
  /** Whether it changes something outside (the policy may ask a person to approve it). */
  sideEffect: boolean;
  /** auto: the policy decides; required: a person always approves. */
  approval: string;
  if?: string;
  description: string;
}

/** POST /api/v1/workflows/draft: the drafted YAML, whether it checks, and what it would do. Nothing is saved. */
export interface WorkflowDraft {
  yaml: string;
  valid: boolean;
  /** Why it does not check, each naming its line and field; empty when valid. */
  errors: string[];
  /** What each step would do, when valid. */
  dryRun?: DraftStep[];
  /** The first draft did not check and the LLM repaired it once. */
  repaired: boolean;
  model: string;
  usage: { promptTokens: number; completionTokens: number };
}

export type DraftResult =
  | { state: 'drafted'; draft: WorkflowDraft }
  /** 409: the engine has no LLM; its message says how to set one. */
  | { state: 'no-llm'; message: string }
  | { state: 'failed'; message: string };

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function parseDraftStep(value: unknown): DraftStep {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.description !== 'string') {
    throw invalidBody(DRAFT_PATH, 'a drafted step has no id or description');
  }
  return {
    id: value.id,
    action: typeof value.action === 'string' ? value.action : '',
    sideEffect: value.sideEffect === true,
    approval: typeof value.approval === 'string' ? value.approval : 'auto',
    ...(typeof value.if === 'string' ? { if: value.if } : {}),
    description: value.description,
  };
}

export function parseWorkflowDraft(body: unknown): WorkflowDraft {
  if (!isRecord(body) || typeof body.yaml !== 'string' || typeof body.valid !== 'boolean') {
    throw invalidBody(DRAFT_PATH, 'the body has no yaml and valid');
  }
  const usage = isRecord(body.usage) ? body.usage : {};
  return {
    yaml: body.yaml,
    valid: body.valid,
    errors: Array.isArray(body.errors) ? body.errors.filter((error): error is string => typeof error === 'string') : [],
    ...(Array.isArray(body.dryRun) ? { dryRun: body.dryRun.map(parseDraftStep) } : {}),
    repaired: body.repaired === true,
    model: typeof body.model === 'string' ? body.model : '',
    usage: { promptTokens: count(usage.promptTokens), completionTokens: count(usage.completionTokens) },
  };
}

/**
 * Asks the engine's LLM to draft a workflow from `description`. Its 409 (no LLM), 400 (a bad description) and
 * 502 (the LLM failed) carry the engine's sentence, shown as is.
 */
export async function draftWorkflow(lookup: DatasourceLookup, description: string): Promise<DraftResult> {
  let noLlm: string | undefined;
  const result = await readFromEngine(
    lookup,
    async (client) => parseWorkflowDraft(await asWriter(client).post(DRAFT_PATH, { description: description.trim() })),
    (error, datasource) => {
      if (isEngineRequestError(error) && error.status === 409 && error.detail) {
        noLlm = error.detail;
        return error.detail;
      }
      if (isEngineRequestError(error) && (error.kind === 'rejected' || error.kind === 'upstream') && error.detail) {
        return error.detail;
      }
      return describeEngineFailure(error, datasource.engineUrl ?? 'the configured URL');
    }
  );
  switch (result.state) {
    case 'ok':
      return { state: 'drafted', draft: result.value };
    case 'no-datasource':
      return { state: 'failed', message: 'No IntelOps datasource to draft through: add one first.' };
    case 'failed':
      return noLlm === undefined ? { state: 'failed', message: result.message } : { state: 'no-llm', message: noLlm };
  }
}

const TOP_LEVEL_NAME = /^name:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^#\n]*?))[ \t]*(?:#.*)?$/m;

/** The `name:` of a workflow text (top-level YAML key, or a JSON object's name): where Save puts it. */
export function workflowNameOf(text: string): string | undefined {
  if (text.trimStart().startsWith('{')) {
    try {
      const document: unknown = JSON.parse(text);
      return isRecord(document) && typeof document.name === 'string' ? document.name : undefined;
    } catch {
      return undefined;
    }
  }
  const match = TOP_LEVEL_NAME.exec(text);
  const name = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim();
  return name === '' ? undefined : name;
}
