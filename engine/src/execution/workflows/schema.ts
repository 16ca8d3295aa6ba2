import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { TRIGGER_KINDS } from '../types.ts';

/**
 * The workflow document as written in YAML or JSON. It is published as engine/schemas/workflow.schema.json for
 * editors; what a schema cannot say (unique step ids, CEL, cron, templates, step references, each action's `with`)
 * is checked by parseWorkflow.
 */

export const WORKFLOW_NAME_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
/** Step ids are identifiers so that `steps.<id>` reads the same in templates and CEL. */
export const STEP_ID_PATTERN = '^[a-z_][a-z0-9_]{0,63}$';
export const DURATION_PATTERN = '^[1-9][0-9]{0,6}(ms|s|m|h)$';
export const MAX_RETRIES = 10;
export const DEFAULT_TIMEOUT = '30s';

const Condition = (description: string) => Type.String({ minLength: 1, maxLength: 4096, description });

export const TriggerSchema = Type.Object(
  {
    on: Type.Enum(TRIGGER_KINDS, { description: 'What starts the workflow' }),
    cron: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'For on: schedule, five fields: minute hour day-of-month month day-of-week (e.g. "0 7 * * 1-5")' })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'For on: schedule, an IANA time zone (default UTC)' })),
    inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'For on: manual, the inputs a person gives: a JSON schema with type: object' })),
  },
  { additionalProperties: false, title: 'Trigger' }
);

export const StepSchema = Type.Object(
  {
    id: Type.String({ pattern: STEP_ID_PATTERN, description: 'Unique in the workflow; later steps read its output as steps.<id>.output' }),
    action: Type.String({ minLength: 1, maxLength: 64, description: 'The action to run (grafana_annotation, webhook, slack, inspection, remediation, llm_summary, …)' }),
    with: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The action's input; strings may hold Liquid templates ({{ incident.title }}, {{ steps.notify.output | json }})" })),
    if: Type.Optional(Condition('A CEL condition over run, incident, rca, change, inputs and steps; the step is skipped when false')),
    timeout: Type.Optional(Type.String({ pattern: DURATION_PATTERN, description: `How long one attempt may take, e.g. 30s, 5m, 1h (default ${DEFAULT_TIMEOUT}, at most 24h)` })),
    retries: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_RETRIES, description: 'Attempts after the first, with exponential backoff (default 0)' })),
    approval: Type.Optional(Type.Enum(['auto', 'required'] as const, { description: 'auto: the policy decides whether a person approves; required: a person always does (default auto)' })),
  },
  { additionalProperties: false, title: 'Step' }
);

export const WorkflowDocumentSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'The JSON schema this document follows, for editors' })),
    name: Type.String({ pattern: WORKFLOW_NAME_PATTERN, description: 'A slug: lowercase letters, digits and -, unique among workflows' }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    triggers: Type.Array(TriggerSchema, { minItems: 1, maxItems: 20, description: 'What starts the workflow' }),
    if: Type.Optional(Condition("A CEL condition over the trigger's context (run, incident, rca, change, inputs); the workflow runs only when true")),
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 100, description: 'Run in order' }),
  },
  { additionalProperties: false, title: 'Workflow', description: 'An IntelOps workflow: triggers, a condition and steps that run actions' }
);
export type WorkflowDocument = Static<typeof WorkflowDocumentSchema>;

/** The JSON schema file the repo ships: the TypeBox schema as plain JSON with its draft. */
export function workflowJsonSchema(): Record<string, unknown> {
  const plain: unknown = JSON.parse(JSON.stringify(WorkflowDocumentSchema));
  if (typeof plain !== 'object' || plain === null) {
    throw new Error('the workflow schema is not an object');
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...plain };
}

/** Where the repo keeps it; `npm run schemas -w engine` writes it and a test checks it is current. */
export const WORKFLOW_SCHEMA_FILE = fileURLToPath(new URL('../../../schemas/workflow.schema.json', import.meta.url));

export function workflowSchemaText(): string {
  return `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;
}
