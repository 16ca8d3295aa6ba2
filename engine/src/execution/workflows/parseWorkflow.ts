import { describeSchemaError, singleYamlDocument, yamlValidator } from '../../context/yamlSource.ts';
import type { YamlDocument, YamlPath } from '../../context/yamlSource.ts';
import { invalidInput, quote } from '../../invalidInput.ts';
import { compileBodyValidator } from '../../server/validation.ts';
import type { ActionDefinition, Trigger, Workflow, WorkflowStep } from '../types.ts';
import { actionInputErrors } from './actionInput.ts';
import { RUN_VARIABLES, compileCondition } from './conditions.ts';
import { parseDuration } from './duration.ts';
import { DEFAULT_TIMEOUT, WorkflowDocumentSchema } from './schema.ts';
import type { WorkflowDocument } from './schema.ts';
import { cronProblem, timezoneProblem } from './schedule.ts';
import { isTemplate, parseTemplate, templateMessage, templateVariables } from './templates.ts';

/**
 * A workflow from YAML or JSON text, checked as far as it can be before it runs: the schema, unique step ids,
 * known actions and their inputs, CEL conditions, cron expressions, templates, and that steps read only the
 * outputs of steps before them. Every error is a 400 naming `origin`, the line and the field.
 */

export type Actions = ReadonlyMap<string, ActionDefinition>;

const validateDocument = yamlValidator<WorkflowDocument>(WorkflowDocumentSchema);

/** Parses and checks one workflow; `source` says where the engine got it (a file of the folder, or the API). */
export function parseWorkflow(text: string, origin: string, actions: Actions, source: Workflow['source'] = { kind: 'api' }): Workflow {
  const document = singleYamlDocument(text, origin, 'a workflow is one document (one file or request per workflow)');
  if (document === undefined) {
    throw invalidInput(`${origin}: is empty; a workflow has name, triggers and steps`);
  }
  const written = validateDocument(document, document.data, origin, []);
  const at = (path: YamlPath, key = false) => `${origin} line ${document.lineOf(path, key)}: ${path.join('/')}`;

  const triggers = written.triggers.map((trigger, index) => checkTrigger(trigger, ['triggers', index], at));
  let condition: string | undefined;
  if (written.if !== undefined) {
    const compiled = compileOrThrow(written.if, ['if'], at);
    const read = compiled.stepReferences[0];
    if (read !== undefined) {
      throw invalidInput(`${at(['if'])} reads steps.${read}, but the workflow's condition is checked before any step runs: put it on the step as its if`);
    }
    condition = written.if;
  }
  const steps = checkSteps(written, document, origin, actions, at);
  return {
    name: written.name,
    ...(written.description === undefined ? {} : { description: written.description }),
    triggers,
    ...(condition === undefined ? {} : { if: condition }),
    steps,
    source,
  };
}

type At = (path: YamlPath, key?: boolean) => string;

function checkTrigger(trigger: WorkflowDocument['triggers'][number], path: YamlPath, at: At): Trigger {
  if (trigger.on === 'schedule' && trigger.cron === undefined) {
    throw invalidInput(`${at(path)} is on: schedule and needs a cron expression (five fields, e.g. cron: "0 7 * * 1-5")`);
  }
  if (trigger.cron !== undefined) {
    if (trigger.on !== 'schedule') {
      throw invalidInput(`${at([...path, 'cron'], true)} is only for on: schedule, not on: ${trigger.on}`);
    }
    const problem = cronProblem(trigger.cron);
    if (problem !== undefined) {
      throw invalidInput(`${at([...path, 'cron'])} ${quote(trigger.cron)}: ${problem}`);
    }
  }
  if (trigger.timezone !== undefined) {
    if (trigger.on !== 'schedule') {
      throw invalidInput(`${at([...path, 'timezone'], true)} is only for on: schedule, not on: ${trigger.on}`);
    }
    const problem = timezoneProblem(trigger.timezone);
    if (problem !== undefined) {
      throw invalidInput(`${at([...path, 'timezone'])} ${quote(trigger.timezone)} ${problem}`);
    }
  }
  if (trigger.inputs !== undefined) {
    if (trigger.on !== 'manual') {
      throw invalidInput(`${at([...path, 'inputs'], true)} is only for on: manual, not on: ${trigger.on}`);
    }
    checkInputsSchema(trigger.inputs, [...path, 'inputs'], at);
  }
  return {
    on: trigger.on,
    ...(trigger.cron === undefined ? {} : { cron: trigger.cron.trim() }),
    ...(trigger.timezone === undefined ? {} : { timezone: trigger.timezone }),
    ...(trigger.inputs === undefined ? {} : { inputs: trigger.inputs }),
  };
}

function checkInputsSchema(inputs: Record<string, unknown>, path: YamlPath, at: At): void {
  if (inputs.type !== 'object') {
    throw invalidInput(`${at(path)} must be a JSON schema of an object (type: object, properties: {…})`);
  }
  try {
    // Compiled as the run route will check the inputs, formats included.
    compileBodyValidator(inputs);
  } catch (error) {
    throw invalidInput(`${at(path)} is not a valid JSON schema: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function compileOrThrow(expression: string, path: YamlPath, at: At) {
  try {
    return compileCondition(expression);
  } catch (error) {
    throw invalidInput(`${at(path)} ${quote(expression)} ${error instanceof Error ? error.message : String(error)}`);
  }
}

function checkSteps(written: WorkflowDocument, document: YamlDocument, origin: string, actions: Actions, at: At): WorkflowStep[] {
  const positions = new Map<string, number>();
  written.steps.forEach((step, index) => {
    const earlier = positions.get(step.id);
    if (earlier !== undefined) {
      throw invalidInput(`${at(['steps', index, 'id'])} ${quote(step.id)} is already the id of steps/${earlier} (line ${document.lineOf(['steps', earlier])}): step ids must be unique`);
    }
    positions.set(step.id, index);
  });
  const ids = written.steps.map((step) => step.id);

  // A step reads only steps before it, so a cycle is always caught as the forward reference it contains.
  const checkReference = (id: string, index: number, where: string) => {
    const target = positions.get(id);
    const self = ids[index] ?? '';
    if (target === undefined) {
      throw invalidInput(`${where} reads steps.${id}, but there is no step ${quote(id)} (steps: ${ids.join(', ')})`);
    }
    if (target === index) {
      throw invalidInput(`${where} reads steps.${id}, the output of its own step: a step can only read the steps before it`);
    }
    if (target > index) {
      throw invalidInput(`${where} reads steps.${id} (steps/${target}), which runs after step ${quote(self)} (steps/${index}): a step can only read the steps before it`);
    }
  };

  return written.steps.map((step, index) => {
    const path: YamlPath = ['steps', index];
    const action = actions.get(step.action);
    if (action === undefined) {
      const known = [...actions.keys()].sort();
      const list = known.length === 0 ? 'no actions are registered' : `known: ${known.join(', ')}`;
      throw invalidInput(`${at([...path, 'action'])} ${quote(step.action)} is not an action (${list})`);
    }
    const input = step.with ?? {};
    const inputErrors = actionInputErrors(action, input);
    // A misspelt key is the usual cause of a missing one: name it first.
    const inputError = inputErrors.find((error) => error.keyword === 'additionalProperties') ?? inputErrors[0];
    if (inputError !== undefined) {
      throw invalidInput(describeSchemaError(inputError, document, origin, [...path, 'with']));
    }
    forEachTemplate(input, [...path, 'with'], (text, where) => {
      for (const read of readsOfTemplate(text, at(where))) {
        if (read.root !== 'steps' || read.step === undefined) {
          continue;
        }
        checkReference(read.step, index, at(where));
      }
    });
    if (step.if !== undefined) {
      const compiled = compileOrThrow(step.if, [...path, 'if'], at);
      for (const id of compiled.stepReferences) {
        checkReference(id, index, at([...path, 'if']));
      }
    }
    const timeout = parseDuration(step.timeout ?? DEFAULT_TIMEOUT);
    if ('problem' in timeout) {
      throw invalidInput(`${at([...path, 'timeout'])} ${quote(step.timeout ?? DEFAULT_TIMEOUT)} ${timeout.problem}`);
    }
    return {
      id: step.id,
      action: step.action,
      with: input,
      ...(step.if === undefined ? {} : { if: step.if }),
      timeoutMs: timeout.ms,
      retries: step.retries ?? 0,
      approval: step.approval ?? 'auto',
    };
  });
}

/** Calls `visit` with every template string in `value` and its path. */
function forEachTemplate(value: unknown, path: YamlPath, visit: (text: string, path: YamlPath) => void): void {
  if (typeof value === 'string') {
    if (isTemplate(value)) {
      visit(value, path);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => forEachTemplate(item, [...path, index], visit));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      forEachTemplate(item, [...path, key], visit);
    }
  }
}

/** The run variables a template reads; a syntax error or an unknown variable is a 400 at `where`. */
function readsOfTemplate(text: string, where: string): Array<{ root: string; step?: string }> {
  let variables: string[][];
  try {
    variables = templateVariables(parseTemplate(text));
  } catch (error) {
    throw invalidInput(`${where} template does not parse: ${templateMessage(error)}`);
  }
  const known: readonly string[] = RUN_VARIABLES;
  return variables.map((segments) => {
    const [root = '', step] = segments;
    if (!known.includes(root)) {
      throw invalidInput(`${where} reads ${quote(segments.join('.'))}, but ${quote(root)} is not a run variable (known: ${RUN_VARIABLES.join(', ')})`);
    }
    return step === undefined ? { root } : { root, step };
  });
}
