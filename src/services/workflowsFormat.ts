import type { WorkflowLoadError, WorkflowSource, WorkflowTrigger } from './workflows';
import type { RunStep } from './workflowsRuns';

/** Grafana's Badge colours, as the workflow page uses them. */
export type StatusColour = 'green' | 'red' | 'orange' | 'blue' | 'purple' | 'darkgrey';

const TRIGGER_WORDS: Record<string, string> = {
  'incident.created': 'incident created',
  'incident.updated': 'incident updated',
  'incident.resolved': 'incident resolved',
  'rca.ready': 'root causes ready',
  'change.created': 'change',
  schedule: 'schedule',
  manual: 'manual',
};

/** "schedule 0 7 * * 1-5 (Europe/Berlin)", "incident created", "manual with inputs". */
export function triggerText(trigger: WorkflowTrigger): string {
  const words = TRIGGER_WORDS[trigger.on] ?? trigger.on;
  if (trigger.on === 'schedule' && trigger.cron) {
    return `${words} ${trigger.cron}${trigger.timezone ? ` (${trigger.timezone})` : ' (UTC)'}`;
  }
  if (trigger.on === 'manual' && trigger.inputs) {
    return `${words} with inputs`;
  }
  return words;
}

export function sourceText(source: WorkflowSource): string {
  return source.kind === 'file' ? `file ${source.file}` : 'saved through the API';
}

/** A load error in words: the engine's message names the file or workflow; when it does not, it goes in front. */
export function loadErrorText(error: WorkflowLoadError): string {
  const where = error.file ?? error.name;
  return where === undefined || error.message.includes(where) ? error.message : `${where}: ${error.message}`;
}

/** A status as people say it: waiting_approval reads "waiting for approval". */
export function statusText(status: string): string {
  return status === 'waiting_approval' ? 'waiting for approval' : status.replace(/_/g, ' ');
}

/** Run, step and approval statuses in Grafana's alert colours: green done, red failed, orange waiting on someone. */
export function statusColour(status: string): StatusColour {
  switch (status) {
    case 'succeeded':
    case 'approved':
      return 'green';
    case 'failed':
    case 'rejected':
      return 'red';
    case 'waiting_approval':
    case 'pending':
      return 'orange';
    case 'running':
    case 'queued':
      return 'blue';
    case 'expired':
      return 'purple';
    default:
      return 'darkgrey';
  }
}

/** "run.created" reads "run created", "step.dry_run" reads "step dry run". */
export function auditEventText(event: string): string {
  return event.replace(/[._]/g, ' ');
}

/** The detail of an audit entry on one line: its fields as key=value, long values cut. */
export function auditDetailText(detail: unknown): string {
  if (typeof detail !== 'object' || detail === null) {
    return detail === null || detail === undefined ? '' : String(detail);
  }
  return Object.entries(detail)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}=${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
    })
    .join(' · ');
}

/** What a dry run recorded for a step: the sentence of what it would do and whether a person would approve it. */
export interface DryRunStepResult {
  description: string;
  needsApproval: boolean;
}

export function dryRunResult(step: RunStep): DryRunStepResult | undefined {
  const output = step.output;
  if (typeof output !== 'object' || output === null) {
    return undefined;
  }
  const description: unknown = Reflect.get(output, 'description');
  if (Reflect.get(output, 'dryRun') !== true || typeof description !== 'string') {
    return undefined;
  }
  return { description, needsApproval: Reflect.get(output, 'approval') === true };
}

const MAX_JSON_CHARS = 4000;

/** A step's input or output as indented JSON, cut at a few thousand characters; empty for none. */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  const json = JSON.stringify(value, null, 2) ?? '';
  return json.length > MAX_JSON_CHARS ? `${json.slice(0, MAX_JSON_CHARS)}\n… (${json.length} characters)` : json;
}

/** The starting text of a new workflow: a manual trigger and one step that posts nothing until edited. */
export function newWorkflowText(name: string): string {
  return [
    `name: ${name}`,
    'description: What this workflow does, in one line',
    'triggers:',
    '  - on: manual',
    'steps:',
    '  - id: notify',
    '    action: slack',
    '    with:',
    '      webhookSecret: SLACK_WEBHOOK_URL',
    '      text: "{{ run.workflow }} was run by hand"',
    '',
  ].join('\n');
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 45 s", "in 12 min", "in 2 h 5 min", "in 3 d 4 h"; "due now" once the time has come. */
export function inText(ms: number): string {
  if (ms < SECOND) {
    return 'due now';
  }
  if (ms < MINUTE) {
    return `in ${Math.round(ms / SECOND)} s`;
  }
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 60) {
    return `in ${minutes} min`;
  }
  if (ms < DAY) {
    const rest = minutes % 60;
    return `in ${Math.floor(minutes / 60)} h${rest === 0 ? '' : ` ${rest} min`}`;
  }
  const hours = Math.round(ms / HOUR);
  const rest = hours % 24;
  return `in ${Math.floor(hours / 24)} d${rest === 0 ? '' : ` ${rest} h`}`;
}

/**
 * A pending step with a time to go on: a wait step holds the run (no attempt made yet), a failed attempt waits for
 * its retry. Undefined for any other step.
 */
export type StepHold = { kind: 'wait'; at: number } | { kind: 'retry'; at: number; attempt: number };

export function stepHold(step: RunStep): StepHold | undefined {
  const at = step.nextAttemptAt === null ? NaN : Date.parse(step.nextAttemptAt);
  if (step.status !== 'pending' || Number.isNaN(at)) {
    return undefined;
  }
  return step.attempt === 0 ? { kind: 'wait', at } : { kind: 'retry', at, attempt: step.attempt + 1 };
}

/** "Waits until 10:42:00 (in 12 min)", "Retry 2 at 10:30:15 (in 40 s)"; `time` says a time as the page does. */
export function stepHoldText(hold: StepHold, now: number, time: (ms: number) => string): string {
  const when = `${time(hold.at)} (${inText(hold.at - now)})`;
  return hold.kind === 'wait' ? `Waits until ${when}` : `Retry ${hold.attempt} at ${when}`;
}

/** A run's inputs on one line: "service=checkout · replicas=6". */
export function inputsText(inputs: Record<string, unknown>): string {
  return auditDetailText(inputs);
}
