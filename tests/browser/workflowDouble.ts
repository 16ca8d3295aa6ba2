import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  approvalListJson,
  decidedApprovalJson,
  dryRunJson,
  ENGINE_ACTIONS,
  runJson,
  runListJson,
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
const DECISION_PATH = /^\/api\/v1\/approvals\/([^/]+)\/(approve|reject)$/;
const DRY_RUN_ID = /^dry-(\d+)-(.+)$/;

/** How long a dry run goes on in the slow scene. */
const SLOW_DRY_RUN_MS = 3000;

const NO_USER =
  'Approving or rejecting needs the Grafana user who decides, and the X-Grafana-User header is missing: decide from the IntelOps app in Grafana, whose plugin route sends it';

function error(status: number, message: string): WorkflowAnswer {
  const names: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' };
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
  return { status: known ? 200 : 201, body: savedView(now, name, body) };
}

function answerStart(now: number, name: string, body: unknown): WorkflowAnswer {
  const workflow = workflowJson(now, name);
  if (!workflow) {
    return error(404, `No workflow named ${quote(name)}`);
  }
  const dryRun = typeof body === 'object' && body !== null && Reflect.get(body, 'dryRun') === true;
  if (!dryRun && !workflow.triggers.some((trigger) => trigger.on === 'manual')) {
    return error(
      409,
      `Workflow ${quote(name)} has no manual trigger: add "- on: manual" to its triggers to run it by hand, or start a dry run`
    );
  }
  return { status: 202, body: { id: `${dryRun ? 'dry' : 'run'}-${now}-${name}`, status: 'queued', dryRun } };
}

function answerRun(now: number, id: string, slow: boolean): WorkflowAnswer {
  const dry = DRY_RUN_ID.exec(id);
  if (dry) {
    const started = Number(dry[1]);
    const finished = now - started >= (slow ? SLOW_DRY_RUN_MS : 0);
    return { status: 200, body: dryRunJson(now, id, dry[2] ?? '', started, finished) };
  }
  const run = runJson(now, id);
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
  const known = quiet ? undefined : workflowJson(now, name);
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
