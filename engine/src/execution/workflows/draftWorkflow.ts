import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { chatOnce } from '../../reasoning/llm/chatOnce.ts';
import type { LlmClient } from '../../reasoning/llm/client.ts';
import type { TokenUsage } from '../../reasoning/llm/types.ts';
import { TRIGGER_KINDS } from '../types.ts';
import type { ActionDefinition, ApprovalMode, Workflow, WorkflowStep } from '../types.ts';
import { checkActionInput } from './actionInput.ts';
import { parseWorkflow } from './parseWorkflow.ts';
import type { Actions } from './parseWorkflow.ts';
import { DEFAULT_TIMEOUT, MAX_RETRIES } from './schema.ts';

/**
 * Drafts a workflow from a description in words: the LLM writes YAML from a summary of the published schema, the
 * actions with their input schemas and examples; parseWorkflow checks it, and a draft that does not check gets one
 * repair round with the error. Nothing is saved: a person reviews the draft and saves it with PUT.
 */

export const MAX_DESCRIPTION_CHARS = 2000;
/** Where errors in a draft say they are. */
export const DRAFT_ORIGIN = 'draft';
// A workflow of a dozen steps with long queries fits; more is a sign the model is rambling.
const MAX_REPLY_TOKENS = 4000;

/** What a step of the draft would do, as a dry run describes it. */
export interface DraftStep {
  id: string;
  action: string;
  sideEffect: boolean;
  approval: ApprovalMode;
  if?: string;
  description: string;
}

export interface WorkflowDraft {
  yaml: string;
  valid: boolean;
  /** Why the draft does not check (naming the line and the field); empty when valid. */
  errors: string[];
  /** The steps' descriptions, when valid. */
  dryRun?: DraftStep[];
  /** Whether the first draft needed the repair round. */
  repaired: boolean;
  model: string;
  usage: TokenUsage;
}

const EXAMPLES = [
  `# Every night, check the payments service and post a short report.
name: nightly-payments-check
description: Nightly payments latency and error check, summarised for the payments channel
triggers:
  - on: schedule
    cron: "0 2 * * *"
    timezone: UTC
steps:
  - id: check
    action: inspection
    with:
      range: 1h
      checks:
        - name: payments p95 latency (s)
          source: prometheus
          query: histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{service="payments"}[5m])))
          threshold: { op: "<", value: 0.5 }
        - name: payments error ratio
          source: prometheus
          query: sum(rate(http_server_request_duration_seconds_count{service="payments",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{service="payments"}[5m]))
          threshold: { op: "<", value: 0.01 }
  - id: summary
    action: llm_summary
    with:
      instructions: A short nightly report for the payments team; failing checks first
      about: "{{ steps.check.output | json }}"
      maxWords: 120
  - id: post
    action: slack
    with:
      webhookSecret: SLACK_PAYMENTS_WEBHOOK
      text: "{{ steps.summary.output.summary }}"
`,
  `# Tell the incidents channel about critical incidents.
name: critical-incident-to-chat
triggers:
  - on: incident.created
if: 'incident.severity == "critical"'
steps:
  - id: post
    action: slack
    with:
      webhookSecret: SLACK_INCIDENTS_WEBHOOK
      text: "Critical: {{ incident.title }} on {{ incident.services | join: ', ' }}"
`,
];

/** The examples that check against these actions (an engine without an LLM has no llm_summary, say). */
export function draftExamples(actions: Actions): string[] {
  return EXAMPLES.filter((example) => {
    try {
      parseWorkflow(example, 'example', actions);
      return true;
    } catch {
      return false;
    }
  });
}

function actionSection(action: ActionDefinition): string {
  const effect = action.sideEffect ? 'changes something outside; the policy may ask a person to approve' : 'read-only';
  return `### ${action.name} (${effect})\n${action.description}\nwith: ${JSON.stringify(action.input)}`;
}

/** The system prompt: the schema in words, the rules, every action with its input schema, and examples. */
export function draftingPrompt(actions: Actions): string {
  const examples = draftExamples(actions);
  return [
    "You turn an engineer's description of a routine inspection, report, notification or runbook automation into an IntelOps workflow: one YAML document.",
    'Answer with the YAML document only: no prose before or after it, no code fences.',
    '',
    'The document (the JSON schema engine/schemas/workflow.schema.json, summarised):',
    '- name: a slug of lowercase letters, digits and -, at most 63 characters, saying what the workflow does',
    '- description: one sentence',
    `- triggers: a list of {on: KIND}; KIND is one of ${TRIGGER_KINDS.join(', ')}`,
    '  - on: schedule needs cron: five fields "minute hour day-of-month month day-of-week" (e.g. "0 7 * * 1-5" for 07:00 on weekdays), and may have timezone: an IANA name (default UTC)',
    '  - on: manual may have inputs: a JSON schema of an object (type: object, properties: {...}) for what a person gives',
    '- if (optional): a CEL condition over run, incident, rca, change and inputs; the workflow runs only when it holds',
    '- steps: a list run in order, each {id, action, with, if?, timeout?, retries?, approval?}',
    '  - id: a snake_case identifier, unique in the workflow',
    "  - action: one of the actions below; with: the action's input, exactly as its schema allows",
    '  - strings in with may hold Liquid templates over run, incident, rca, change, inputs and steps: {{ incident.title }}, {{ steps.check.output | json }}, {{ steps.summary.output.summary }}; a step reads only the output of steps before it',
    '  - if: a CEL condition, e.g. steps.check.output.passed == false; the step is skipped when it does not hold',
    `  - timeout: e.g. 30s, 5m (default ${DEFAULT_TIMEOUT}); retries: 0 to ${MAX_RETRIES}; approval: auto (the policy decides) or required (a person always approves)`,
    '',
    'Rules:',
    '- Use only the actions listed and only the fields their schemas allow.',
    '- Secrets (webhook URLs, tokens, routing keys) are referenced by name, never written as values: choose a clear name such as SLACK_OPS_WEBHOOK for a person to set.',
    '- "Every morning" is a schedule such as cron "0 8 * * *"; "on weekdays" is day-of-week 1-5.',
    '- Checks of metrics or logs are inspection steps (PromQL or LogQL with thresholds a healthy value meets); a report of earlier outputs is an llm_summary step, when listed; posting it is a chat step.',
    '- Do not invent metric names you cannot infer; prefer the OpenTelemetry HTTP metrics (http_server_request_duration_seconds_bucket / _count with service and http_response_status_code labels).',
    '',
    'Actions:',
    ...[...actions.values()].map(actionSection),
    ...(examples.length === 0 ? [] : ['', 'Examples:', ...examples.map((example) => `---\n${example}`)]),
  ].join('\n');
}

/** The YAML in a reply: the first fenced block when the model wrote one anyway, else the whole reply. */
export function yamlOfReply(content: string): string {
  const fenced = /```[A-Za-z]*[^\n]*\n([\s\S]*?)```/.exec(content);
  const text = (fenced?.[1] ?? content).trim();
  return text === '' ? '' : `${text}\n`;
}

type Checked = { ok: true; workflow: Workflow } | { ok: false; error: string };

function check(yaml: string, actions: Actions): Checked {
  if (yaml === '') {
    return { ok: false, error: `${DRAFT_ORIGIN}: the LLM answered with no YAML` };
  }
  try {
    return { ok: true, workflow: parseWorkflow(yaml, DRAFT_ORIGIN, actions) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** What a step would do, as the approval list and dry runs say it; a templated input is described as written. */
export function describeStep(step: WorkflowStep, action: ActionDefinition): DraftStep {
  let description: string;
  try {
    description = action.describe(checkActionInput(action, step.with));
  } catch {
    try {
      description = action.describe(step.with);
    } catch (error) {
      description = `${action.name}: described when it runs (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return {
    id: step.id,
    action: step.action,
    sideEffect: action.sideEffect,
    approval: step.approval,
    ...(step.if === undefined ? {} : { if: step.if }),
    description,
  };
}

/**
 * Asks the LLM for a workflow doing what `description` says, checks it, and gives the model one round to repair
 * it with the error. LLM failures (unreachable, refused) are thrown as the client's errors.
 */
export async function draftWorkflow(client: LlmClient, description: string, actions: Actions, signal?: AbortSignal): Promise<WorkflowDraft> {
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: draftingPrompt(actions) },
    { role: 'user', content: description.trim() },
  ];
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  const ask = async () => {
    const reply = await chatOnce(client, messages, { maxTokens: MAX_REPLY_TOKENS, signal });
    usage.promptTokens += reply.usage?.promptTokens ?? 0;
    usage.completionTokens += reply.usage?.completionTokens ?? 0;
    return reply;
  };
  let reply = await ask();
  let yaml = yamlOfReply(client.redact(reply.content));
  let checked = check(yaml, actions);
  let repaired = false;
  if (!checked.ok) {
    repaired = true;
    messages.push(
      { role: 'assistant', content: reply.content },
      { role: 'user', content: `That workflow does not check: ${checked.error}\nAnswer with the whole corrected YAML document only.` }
    );
    reply = await ask();
    yaml = yamlOfReply(client.redact(reply.content));
    checked = check(yaml, actions);
  }
  const base = { yaml, repaired, model: reply.model, usage };
  if (!checked.ok) {
    return { ...base, valid: false, errors: [checked.error] };
  }
  const dryRun = checked.workflow.steps.flatMap((step) => {
    const action = actions.get(step.action);
    return action === undefined ? [] : [describeStep(step, action)];
  });
  return { ...base, valid: true, errors: [], dryRun };
}
