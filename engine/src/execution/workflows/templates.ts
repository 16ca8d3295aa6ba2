import { Liquid } from 'liquidjs';
import type { Template } from 'liquidjs';
import type { RunContext } from '../types.ts';

/**
 * Liquid templates in step inputs (`{{ incident.title }}`, `{{ steps.notify.output.ts }}`, `{{ rca | json }}`),
 * strict: an unknown variable or filter is an error, never an empty string. Nothing is read from files.
 */

const liquid = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  // Bounds on what one template may cost: a step input is a message, not a program.
  parseLimit: 1e6,
  renderLimit: 1000,
  memoryLimit: 1e8,
});
// Templates come from workflows sent over the API: no tag may read the engine's files.
for (const tag of ['include', 'render', 'layout']) {
  Reflect.deleteProperty(liquid.tags, tag);
}

/** A string holds a template when it has an output or a tag; others are used as written. */
export function isTemplate(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

export class TemplateError extends Error {
  override name = 'TemplateError';
  /** Where the string is in the input: "with/body/text". */
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

const MAX_CACHED = 2000;
const parsedTemplates = new Map<string, Template[]>();

/** Parses a template (cached); a syntax error throws with liquid's message, without the path. */
export function parseTemplate(text: string): Template[] {
  const cached = parsedTemplates.get(text);
  if (cached !== undefined) {
    return cached;
  }
  const parsed = liquid.parse(text);
  if (parsedTemplates.size >= MAX_CACHED) {
    parsedTemplates.clear();
  }
  parsedTemplates.set(text, parsed);
  return parsed;
}

/** Liquid's message without the source excerpt it appends. */
export function templateMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** The variables a template reads from outside, each as its path ("steps", "notify", "output"). */
export function templateVariables(template: Template[]): string[][] {
  return liquid.globalVariableSegmentsSync(template).map((segments) => segments.filter((segment): segment is string | number => !Array.isArray(segment)).map(String));
}

/**
 * Every string in `value` rendered against the run context, deep; other values as they are. Rendering gives
 * strings: `| json` writes an object into a body; the action's schema turns "5" into 5 where it wants a number.
 */
export function renderTemplates(value: unknown, context: RunContext, path = 'with'): unknown {
  if (typeof value === 'string') {
    if (!isTemplate(value)) {
      return value;
    }
    let template: Template[];
    try {
      template = parseTemplate(value);
    } catch (error) {
      throw new TemplateError(path, `template does not parse: ${templateMessage(error)}`);
    }
    try {
      return liquid.renderSync(template, { ...context });
    } catch (error) {
      throw new TemplateError(path, templateMessage(error));
    }
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => renderTemplates(item, context, `${path}/${index}`));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderTemplates(item, context, `${path}/${key}`)]));
  }
  return value;
}
