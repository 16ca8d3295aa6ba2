import { Environment, ParseError } from '@marcbachmann/cel-js';
import type { ParseResult } from '@marcbachmann/cel-js';
import type { RunContext } from '../types.ts';

/**
 * CEL conditions of workflows and steps (`if:`), over the run context: run, incident, rca, change, inputs and the
 * outputs of earlier steps. The same CEL library as the tag rules; the subjects are maps because their shape
 * depends on the trigger.
 */

/** The variables conditions and templates read, as in RunContext. */
export const RUN_VARIABLES = ['run', 'incident', 'rca', 'change', 'inputs', 'steps'] as const;

// Building an environment is the expensive part: one for all conditions.
const environment = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 64 } })
  .registerVariable('run', 'map<string, dyn>')
  .registerVariable('incident', 'map<string, dyn>')
  .registerVariable('rca', 'map<string, dyn>')
  .registerVariable('change', 'map<string, dyn>')
  .registerVariable('inputs', 'map<string, dyn>')
  .registerVariable('steps', 'map<string, dyn>');

export interface CompiledCondition {
  expression: string;
  evaluate: ParseResult;
  /** The step ids it reads as `steps.<id>` or `steps["<id>"]`. */
  stepReferences: string[];
}

/** Parses and type-checks a condition; the error message says what is wrong (the caller says where). */
export function compileCondition(expression: string): CompiledCondition {
  let parsed: ParseResult;
  try {
    parsed = environment.parse(expression);
  } catch (error) {
    if (error instanceof ParseError) {
      throw new Error(`does not parse: ${error.summary}${column(error.range)}`, { cause: error });
    }
    throw error;
  }
  const checked = parsed.check();
  if (!checked.valid) {
    throw new Error(`is not valid: ${checked.error?.summary ?? 'type check failed'}${column(checked.error?.range)}`);
  }
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new Error(`must give a bool, not ${checked.type ?? 'nothing'}`);
  }
  const references = new Set<string>();
  collectStepReferences(parsed.ast, references);
  return { expression, evaluate: parsed, stepReferences: [...references] };
}

/** Whether a condition holds in a run; a subject the trigger did not give is an empty map (test it with has()). */
export function conditionHolds(condition: CompiledCondition, context: RunContext): boolean {
  const value: unknown = condition.evaluate({
    run: context.run,
    incident: context.incident ?? {},
    rca: context.rca ?? {},
    change: context.change ?? {},
    inputs: context.inputs,
    steps: context.steps,
  });
  if (typeof value !== 'boolean') {
    throw new Error(`condition ${JSON.stringify(condition.expression)} gave ${typeof value}, not a bool`);
  }
  return value;
}

function column(range: { start: number } | undefined): string {
  return range === undefined ? '' : ` (column ${range.start + 1} of the expression)`;
}

/** Walks the parsed expression for `steps.<id>` and `steps["<id>"]`. */
function collectStepReferences(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) {
      collectStepReferences(child, found);
    }
    return;
  }
  if (typeof node !== 'object' || node === null || !('op' in node) || !('args' in node)) {
    return;
  }
  const { op, args } = node;
  if ((op === '.' || op === '.?' || op === '[]' || op === '[?]') && Array.isArray(args) && isStepsIdentifier(args[0])) {
    const key: unknown = args[1];
    if (typeof key === 'string') {
      found.add(key);
    } else if (typeof key === 'object' && key !== null && 'op' in key && key.op === 'value' && 'args' in key && typeof key.args === 'string') {
      found.add(key.args);
    }
  }
  collectStepReferences(args, found);
}

function isStepsIdentifier(node: unknown): boolean {
  return typeof node === 'object' && node !== null && 'op' in node && node.op === 'id' && 'args' in node && node.args === 'steps';
}
