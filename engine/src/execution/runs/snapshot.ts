import type { RunContext, Workflow, WorkflowStep } from '../types.ts';

/**
 * What a run stores of its workflow and trigger, and reads back: the run keeps the definition it started with, so
 * editing or deleting the workflow never changes a run in flight.
 */

/** The trigger's subjects and inputs; `run` and `steps` are rebuilt from the run's rows. */
export interface RunSubjects {
  incident?: Record<string, unknown>;
  rca?: Record<string, unknown>;
  change?: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

export function toSnapshot(workflow: Workflow): Record<string, unknown> {
  return {
    name: workflow.name,
    description: workflow.description,
    triggers: workflow.triggers,
    if: workflow.if,
    steps: workflow.steps,
    source: workflow.source,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object(value) : undefined;
}

/** The steps of a stored definition; throws naming what is missing (a definition written by another engine version). */
export function stepsOfSnapshot(definition: unknown): WorkflowStep[] {
  const steps: unknown = record(definition)?.steps;
  if (!Array.isArray(steps)) {
    throw new Error('the stored workflow definition has no steps');
  }
  return steps.map((value: unknown, index) => {
    const step = record(value);
    const id: unknown = step?.id;
    const action: unknown = step?.action;
    const condition: unknown = step?.if;
    const timeoutMs: unknown = step?.timeoutMs;
    const retries: unknown = step?.retries;
    const approval: unknown = step?.approval;
    if (typeof id !== 'string' || typeof action !== 'string' || typeof timeoutMs !== 'number' || typeof retries !== 'number' || (approval !== 'auto' && approval !== 'required')) {
      throw new Error(`the stored workflow definition's step ${index + 1} lacks id, action, timeoutMs, retries or approval`);
    }
    return { id, action, with: record(step?.with) ?? {}, if: typeof condition === 'string' ? condition : undefined, timeoutMs, retries, approval };
  });
}

export function subjectsOfSnapshot(context: unknown): RunSubjects {
  const stored = record(context);
  return { incident: record(stored?.incident), rca: record(stored?.rca), change: record(stored?.change), inputs: record(stored?.inputs) ?? {} };
}

export function runContext(run: RunContext['run'], subjects: RunSubjects, steps: RunContext['steps']): RunContext {
  const context: RunContext = { run, inputs: subjects.inputs, steps };
  if (subjects.incident !== undefined) {
    context.incident = subjects.incident;
  }
  if (subjects.rca !== undefined) {
    context.rca = subjects.rca;
  }
  if (subjects.change !== undefined) {
    context.change = subjects.change;
  }
  return context;
}
