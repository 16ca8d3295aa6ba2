import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  approvalListJson,
  cancelledRunJson,
  decidedApprovalJson,
  DRAFT_NO_LLM,
  dryRunJson,
  ENGINE_ACTIONS,
  runEndedMessage,
  runJson,
  runListJson,
  STARTED_RUN_ID,
  startedRunJson,
  workflowDraftJson,
  workflowJson,
  workflowListJson,
} from '../../src/datasource/testing/workflowFixtures';

/**
 * The engine's workflow routes for the browser harness (see engineDouble.ts for the scenes). storm: three workflows,
 * one broken file, five runs, two approvals pending; Grafana's proxy sends the user "admin", so decisions go
 * through. slow: the same after 1.5 s, a dry run goes on for 3 s, and the proxy does not send the user (Grafana's
 * send_user_header is off), so decisions answer the engine's 403. quiet: nothing. Nothing is kept between requests:
 * a saved workflow is answered but not listed, a decided approval is pending again on the next read.
 * PUT checks what the engine checks first: YAML syntax, the name against the path, known actions, each with its line.
 */

export interface WorkflowAnswer {
  status: number;
  body: unknown;
}

const WORKFLOW_PATH = /^\/api\/v1\/workflows\/([^/]+)$/;
const RUNS_PATH = /^\/api\/v1\/workflows\/([^/]+)\/runs$/;
const RUN_PATH = /^\/api\/v1\/workflow-runs\/([^/]+)$/;
const CANCEL_PATH = /^\/api\/v1\/workflow-runs\/([^/]+)\/cancel$/;
const DRAFT_PATH = '/api/v1/workflows/draft';
const DECISION_PATH = /^\/api\/v1\/approvals\/([^/]+)\/(approve|reject)$/;
const DRY_RUN_ID = /^dry-(\d+)-(.+)$/;

/** How long a dry run goes on in the slow scene. */
const SLOW_DRY_RUN_MS = 3000;

const NO_USER =
  'Approving or rejecting needs the Grafana user who decides, and the X-Grafana-User header is missing: decide from the IntelOps app in Grafana, whose plugin route sends it';

function error(status: number, message: string): WorkflowAnswer {
  const names: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    502: 'Bad Gateway',
  };
  return { status, body: { statusCode: status, error: names[status] ?? 'Error', message } };
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** The engine's first complaint about a workflow text sent for `name`, with its line; undefined when it passes. */
export function workflowProblem(name: string, text: string): string | undefined {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    const message = (syntax.message.split('\n')[0] ?? syntax.message).replace(/ at line \d+, column \d+:?$/, '');
    return `body line ${at.line}, column ${at.col}: not valid YAML: ${message}`;
  }
  const root = document.contents;
  if (!isMap(root)) {
    return 'body line 1: must be an object';
  }
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) =>
    lines.linePos(node?.range?.[0] ?? 0).line;
  const sent = document.get('name');
  if (typeof sent !== 'string') {
    return "body line 1: must have required property 'name'";
  }
  if (sent !== name) {
    return `body: name ${quote(sent)} does not match the name in the path, ${quote(name)}`;
  }
  const steps = document.get('steps');
  if (!isSeq(steps)) {
    return "body line 1: must have required property 'steps'";
  }
  for (const [index, step] of steps.items.entries()) {
    const action = isMap(step) ? step.get('action', true) : undefined;
    const value = action && typeof action === 'object' && 'value' in action ? action.value : undefined;
    if (typeof value === 'string' && !ENGINE_ACTIONS.includes(value)) {
      return `body line ${lineOf(action)}: steps/${index}/action ${quote(value)} is not an action (known: ${ENGINE_ACTIONS.join(', ')})`;
    }
  }
  return undefined;
}

/** The view PUT answers: what the fixtures define for the name, with the text as sent (the engine keeps it so). */
function savedView(now: number, name: string, text: string) {
  const known = workflowJson(now, name);
  const document: unknown = parseDocument(text).toJS();
  const description: unknown =
    typeof document === 'object' && document !== null ? Reflect.get(document, 'description') : undefined;
  return {
    ...(known ?? { name, triggers: [], steps: [], error: null }),
    ...(typeof description === 'string' ? { description } : {}),
    source: { kind: 'api' as const },
    text,
    updatedAt: new Date(now).toISOString(),
  };
}

function answerPut(now: number, name: string, body: unknown): WorkflowAnswer {
  const known = workflowJson(now, name);
  if (known?.source.kind === 'file') {
    return error(
      409,
      `Workflow ${quote(name)} is defined by the file ${known.source.file} in the workflow folder; change or remove it there`
    );
  }
  if (typeof body !== 'string') {
    return error(400, 'Request body must be the workflow as YAML or JSON');
  }
  const problem = workflowProblem(name, body);
  if (problem !== undefined) {
    return error(400, problem);
  }
  if (!known) {
    savedByHand.set(name, body);
  }
  return { status: known ? 200 : 201, body: savedView(now, name, body) };
}

/** Runs started by hand, by id: their inputs, and the cancellation once cancelled. */
const started = new Map<
  string,
  { inputs: Record<string, unknown>; cancelled?: { at: number; reason: string | null } }
>();
/** Workflows saved under a name the fixtures do not define: their text. */
const savedByHand = new Map<string, string>();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeProblem(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value !== 'string';
    case 'integer':
      return !Number.isInteger(value);
    case 'number':
      return typeof value !== 'number';
    case 'boolean':
      return typeof value !== 'boolean';
    case 'object':
      return !isObject(value);
    default:
      return false;
  }
}

function propertyProblem(schema: Record<string, unknown>, value: unknown): string | undefined {
  if (typeProblem(schema.type, value)) {
    return `must be ${String(schema.type)}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return 'must be equal to one of the allowed values';
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) {
    return `must be >= ${schema.minimum}`;
  }
  if (typeof value === 'number' && typeof schema.maximum === 'number' && value > schema.maximum) {
    return `must be <= ${schema.maximum}`;
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    return `must match pattern ${quote(schema.pattern)}`;
  }
  return undefined;
}

/** The engine's first complaint about inputs, in ajv's words behind "body/inputs"; undefined when they pass. */
export function inputsProblem(schema: Record<string, unknown>, inputs: Record<string, unknown>): string | undefined {
  const required = Array.isArray(schema.required) ? schema.required : [];
  const missing = required.find((name) => typeof name === 'string' && !(name in inputs));
  if (typeof missing === 'string') {
    return `body/inputs must have required property '${missing}'`;
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, value] of Object.entries(inputs)) {
    const property = properties[name];
    const problem = isObject(property) ? propertyProblem(property, value) : undefined;
    if (problem !== undefined) {
      return `body/inputs/${name} ${problem}`;
    }
  }
  return undefined;
}

function answerStart(now: number, name: string, body: unknown): WorkflowAnswer {
  const workflow = workflowJson(now, name);
  if (!workflow) {
    return error(404, `No workflow named ${quote(name)}`);
  }
  const dryRun = isObject(body) && body.dryRun === true;
  const inputs = isObject(body) && isObject(body.inputs) ? body.inputs : {};
  const manual = workflow.triggers.find((trigger) => trigger.on === 'manual');
  if (!dryRun && !manual) {
    return error(
      409,
      `Workflow ${quote(name)} has no manual trigger: add "- on: manual" to its triggers to run it by hand, or start a dry run`
    );
  }
  const schema = manual && 'inputs' in manual ? manual.inputs : undefined;
  const problem = schema ? inputsProblem(schema, inputs) : undefined;
  if (problem !== undefined) {
    return error(400, problem);
  }
  const id = `${dryRun ? 'dry' : 'run'}-${now}-${name}`;
  if (!dryRun) {
    started.set(id, { inputs });
  }
  return { status: 202, body: { id, status: 'queued', dryRun } };
}

/** A run started by hand as the engine has it now: going on, or cancelled. */
function startedRun(now: number, id: string) {
  const kept = started.get(id);
  const match = STARTED_RUN_ID.exec(id);
  const run = kept && match && startedRunJson(now, id, match[2] ?? '', kept.inputs, Number(match[1]));
  if (!run || !kept?.cancelled) {
    return run;
  }
  return cancelledRunJson(run, kept.cancelled.at, 'admin', kept.cancelled.reason);
}

function answerCancel(now: number, id: string, body: unknown, slow: boolean): WorkflowAnswer {
  const reason = isObject(body) && typeof body.reason === 'string' ? body.reason : null;
  const kept = started.get(id);
  const run = startedRun(now, id) ?? runJson(now, id);
  if (!run) {
    return error(404, `No workflow run with id ${quote(id)}`);
  }
  const open = ['queued', 'running', 'waiting_approval'].includes(run.status);
  if (!open) {
    return error(409, runEndedMessage(id, run.status));
  }
  if (slow && !kept) {
    return error(409, runEndedMessage(id, 'succeeded'));
  }
  if (kept) {
    kept.cancelled = { at: now, reason };
  }
  return { status: 200, body: cancelledRunJson(run, now, 'admin', reason) };
}

function answerDraft(body: unknown, quiet: boolean): WorkflowAnswer {
  const description = isObject(body) ? body.description : undefined;
  if (typeof description !== 'string') {
    return error(400, "body must have required property 'description'");
  }
  if (description.length < 1) {
    return error(400, 'body/description must NOT have fewer than 1 characters');
  }
  if (quiet) {
    return error(409, DRAFT_NO_LLM);
  }
  return { status: 200, body: workflowDraftJson(!/weekday/i.test(description)) };
}

function answerRun(now: number, id: string, slow: boolean): WorkflowAnswer {
  const dry = DRY_RUN_ID.exec(id);
  if (dry) {
    const startedMs = Number(dry[1]);
    const finished = now - startedMs >= (slow ? SLOW_DRY_RUN_MS : 0);
    return { status: 200, body: dryRunJson(now, id, dry[2] ?? '', startedMs, finished) };
  }
  const run = startedRun(now, id) ?? runJson(now, id);
  return run ? { status: 200, body: run } : error(404, `No workflow run with id ${quote(id)}`);
}

function answerDecision(now: number, id: string, verb: string, body: unknown, slow: boolean): WorkflowAnswer {
  if (slow) {
    return error(403, NO_USER);
  }
  const reason: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'reason') : undefined;
  const decided = decidedApprovalJson(
    now,
    id,
    verb === 'approve' ? 'approved' : 'rejected',
    'admin',
    typeof reason === 'string' ? reason : null
  );
  return decided ? { status: 200, body: decided } : error(404, `No approval with id ${quote(id)}`);
}

/** The answer to a workflow route, or undefined for a path that is not one. */
export function answerWorkflows(
  apiPath: string,
  params: URLSearchParams,
  method: string,
  body: unknown,
  scene: { now: number; quiet: boolean; slow: boolean }
): WorkflowAnswer | undefined {
  const { now, quiet, slow } = scene;
  if (apiPath === '/api/v1/workflows' && method === 'GET') {
    return { status: 200, body: quiet ? { workflows: [], errors: [] } : workflowListJson(now) };
  }
  if (apiPath === '/api/v1/workflow-runs' && method === 'GET') {
    const limit = Number(params.get('limit') ?? 100);
    const filter = { workflow: params.get('workflow') ?? undefined, status: params.get('status') ?? undefined, limit };
    return { status: 200, body: quiet ? { runs: [] } : runListJson(now, filter) };
  }
  if (apiPath === '/api/v1/approvals' && method === 'GET') {
    const state = params.get('state') ?? 'pending';
    return { status: 200, body: quiet || state === 'decided' ? { approvals: [] } : approvalListJson(now) };
  }
  if (apiPath === DRAFT_PATH && method === 'POST') {
    return answerDraft(body, quiet);
  }
  const cancel = CANCEL_PATH.exec(apiPath);
  if (cancel && method === 'POST') {
    return answerCancel(now, decodeURIComponent(cancel[1] ?? ''), body, slow);
  }
  const decision = DECISION_PATH.exec(apiPath);
  if (decision && method === 'POST') {
    return answerDecision(now, decodeURIComponent(decision[1] ?? ''), decision[2] ?? '', body, slow);
  }
  const run = RUN_PATH.exec(apiPath);
  if (run && method === 'GET') {
    return answerRun(now, decodeURIComponent(run[1] ?? ''), slow);
  }
  const start = RUNS_PATH.exec(apiPath);
  if (start && method === 'POST') {
    return quiet
      ? error(404, `No workflow named ${quote(decodeURIComponent(start[1] ?? ''))}`)
      : answerStart(now, decodeURIComponent(start[1] ?? ''), body);
  }
  const workflow = WORKFLOW_PATH.exec(apiPath);
  if (!workflow) {
    return undefined;
  }
  const name = decodeURIComponent(workflow[1] ?? '');
  const saved = savedByHand.get(name);
  const known = quiet
    ? undefined
    : (workflowJson(now, name) ?? (saved === undefined ? undefined : savedView(now, name, saved)));
  if (method === 'PUT') {
    return answerPut(now, name, body);
  }
  if (method === 'DELETE') {
    if (known?.source.kind === 'file') {
      return error(
        409,
        `Workflow ${quote(name)} is defined by the file ${known.source.file} in the workflow folder; change or remove it there`
      );
    }
    return known ? { status: 204, body: null } : error(404, `No workflow named ${quote(name)}`);
  }
  return known ? { status: 200, body: known } : error(404, `No workflow named ${quote(name)}`);
}
