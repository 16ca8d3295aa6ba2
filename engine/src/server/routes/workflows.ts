import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { YAML_CONTENT_TYPES } from '../../context/cmdb.ts';
import { TRIGGER_KINDS } from '../../execution/types.ts';
import type { Workflow } from '../../execution/types.ts';
import { WORKFLOW_NAME_PATTERN } from '../../execution/workflows/schema.ts';
import type { BrokenWorkflow, WorkflowCatalog, WorkflowEntry } from '../../execution/workflows/workflowCatalog.ts';
import { invalidInput, quote } from '../../invalidInput.ts';
import { decodeUtf8 } from '../bodies.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface WorkflowsRoutesOptions {
  catalog: WorkflowCatalog;
  /** Called after a workflow was saved or deleted through the API (the engine re-reads its triggers). */
  onChanged?: (name: string) => void;
}

/** A hundred steps with long templates fit. */
const WORKFLOW_BODY_LIMIT = 1024 * 1024;

const SourceSchema = Type.Union(
  [Type.Object({ kind: Type.Literal('file'), file: Type.String() }), Type.Object({ kind: Type.Literal('api') })],
  { description: 'Where it is defined: a file of the workflow folder (read-only here) or the API' }
);

const TriggerViewSchema = Type.Object({
  on: Type.Enum(TRIGGER_KINDS),
  cron: Type.Optional(Type.String()),
  timezone: Type.Optional(Type.String()),
  inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const WorkflowSummarySchema = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    triggers: Type.Array(TriggerViewSchema),
    steps: Type.Integer({ description: 'How many steps' }),
    source: SourceSchema,
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'When it was last saved through the API; null for files' }),
  },
  { title: 'WorkflowSummary' }
);

export const WorkflowListSchema = Type.Object(
  {
    workflows: Type.Array(WorkflowSummarySchema),
    errors: Type.Array(
      Type.Object({
        source: Type.Enum(['file', 'api'] as const),
        file: Type.Optional(Type.String()),
        name: Type.Optional(Type.String()),
        message: Type.String({ description: 'What is wrong, naming the file or workflow, the line and the field' }),
      }),
      { description: 'Workflows that did not load: bad files, and saved ones that no longer check' }
    ),
  },
  { title: 'WorkflowList' }
);

const StepViewSchema = Type.Object({
  id: Type.String(),
  action: Type.String(),
  with: Type.Record(Type.String(), Type.Unknown()),
  if: Type.Optional(Type.String()),
  timeoutMs: Type.Integer(),
  retries: Type.Integer(),
  approval: Type.Enum(['auto', 'required'] as const),
});

export const WorkflowViewSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    triggers: Type.Array(TriggerViewSchema),
    if: Type.Optional(Type.String()),
    steps: Type.Array(StepViewSchema),
    source: SourceSchema,
    text: Type.String({ description: 'The workflow as written (YAML or JSON), comments included' }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why a saved workflow no longer loads (then triggers and steps are empty); null when it loads' }),
  },
  { title: 'Workflow' }
);

const NameParams = Type.Object({ name: Type.String({ pattern: WORKFLOW_NAME_PATTERN, description: 'The workflow name (a slug)' }) });

function summary(entry: WorkflowEntry) {
  const { workflow } = entry;
  return {
    name: workflow.name,
    ...(workflow.description === undefined ? {} : { description: workflow.description }),
    triggers: workflow.triggers,
    steps: workflow.steps.length,
    source: workflow.source,
    updatedAt: entry.updatedAt?.toISOString() ?? null,
  };
}

function view(entry: WorkflowEntry | BrokenWorkflow) {
  if ('error' in entry) {
    return { name: entry.name, triggers: [], steps: [], source: { kind: 'api' as const }, text: entry.text, updatedAt: entry.updatedAt.toISOString(), error: entry.error };
  }
  const workflow: Workflow = entry.workflow;
  return {
    name: workflow.name,
    ...(workflow.description === undefined ? {} : { description: workflow.description }),
    triggers: workflow.triggers,
    ...(workflow.if === undefined ? {} : { if: workflow.if }),
    steps: workflow.steps,
    source: workflow.source,
    text: entry.text,
    updatedAt: entry.updatedAt?.toISOString() ?? null,
    error: null,
  };
}

const readOnly = (name: string, file: string) =>
  errorBody(409, `Workflow ${quote(name)} is defined by the file ${file} in the workflow folder; change or remove it there`);

/** GET /workflows, GET/PUT/DELETE /workflows/{name}: declarative workflows as YAML or JSON. */
export const workflowsRoutes: FastifyPluginAsyncTypebox<WorkflowsRoutesOptions> = async (app, { catalog, onChanged }) => {
  // Scoped to this plugin: the body is kept as text so errors give its lines and GET returns it with comments.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', ...YAML_CONTENT_TYPES], { parseAs: 'buffer', bodyLimit: WORKFLOW_BODY_LIMIT }, (_request, body, done) => {
    try {
      done(null, decodeUtf8(Buffer.isBuffer(body) ? body : Buffer.from(body)));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });

  app.get(
    '/workflows',
    {
      schema: {
        summary: 'The workflows: from the workflow folder and saved through the API',
        tags: ['execution'],
        response: { 200: WorkflowListSchema, 401: ErrorResponseSchema },
      },
    },
    async () => {
      const { workflows, errors } = await catalog.list();
      return { workflows: workflows.map(summary), errors };
    }
  );

  app.get(
    '/workflows/:name',
    {
      schema: {
        summary: 'One workflow: its checked definition and its text as written',
        tags: ['execution'],
        params: NameParams,
        response: { 200: WorkflowViewSchema, 400: ErrorResponseSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const entry = await catalog.get(request.params.name);
      if (entry === undefined) {
        return reply.code(404).send(errorBody(404, `No workflow named ${quote(request.params.name)}`));
      }
      return view(entry);
    }
  );

  app.put(
    '/workflows/:name',
    {
      bodyLimit: WORKFLOW_BODY_LIMIT,
      schema: {
        summary: 'Create or replace a workflow (YAML or JSON)',
        description:
          'A document {name, description?, triggers: [{on, cron?, timezone?, inputs?}], if?, steps: [{id, action, with, if?, timeout?, retries?, approval?}]} ' +
          '(engine/schemas/workflow.schema.json). `name` must be the name in the path. The text is kept as sent, comments included. ' +
          'Errors name the line of the body and the field. Workflows from the workflow folder cannot be changed here (409).',
        tags: ['execution'],
        params: NameParams,
        consumes: ['application/json', ...YAML_CONTENT_TYPES],
        response: {
          200: WorkflowViewSchema,
          201: WorkflowViewSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          409: ErrorResponseSchema,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        throw invalidInput('Request body must be the workflow as YAML or JSON');
      }
      if (request.body.includes('\u0000')) {
        // PostgreSQL cannot store U+0000 in text.
        throw invalidInput('body must not contain the NUL character (\\u0000)');
      }
      const { name } = request.params;
      const outcome = await catalog.put(name, request.body);
      if (outcome.kind === 'file') {
        return reply.code(409).send(readOnly(name, outcome.file));
      }
      onChanged?.(name);
      request.log.info({ workflow: name, steps: outcome.entry.workflow.steps.length, created: outcome.created }, 'workflow saved');
      return reply.code(outcome.created ? 201 : 200).send(view(outcome.entry));
    }
  );

  app.delete(
    '/workflows/:name',
    {
      schema: {
        summary: 'Delete a workflow saved through the API',
        tags: ['execution'],
        params: NameParams,
        response: { 204: Type.Null(), 400: ErrorResponseSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema, 409: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const outcome = await catalog.delete(name);
      if (outcome.kind === 'file') {
        return reply.code(409).send(readOnly(name, outcome.file));
      }
      if (outcome.kind === 'missing') {
        return reply.code(404).send(errorBody(404, `No workflow named ${quote(name)}`));
      }
      onChanged?.(name);
      request.log.info({ workflow: name }, 'workflow deleted');
      return reply.code(204).send(null);
    }
  );
};
