import { Environment, ParseError } from '@marcbachmann/cel-js';
import type { ParseResult } from '@marcbachmann/cel-js';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { invalidInput, quote } from '../invalidInput.ts';
import { DEFAULT_TAG_RULES_YAML } from './defaultTagRules.ts';
import { ChangeValue, EvidenceValue, ImpactValue, IncidentValue, ServiceValue } from './tagContext.ts';
import type { TagContext } from './tagContext.ts';
import { parseYamlDocuments, readConfigText, singleYamlDocument, yamlValidator } from './yamlSource.ts';

/**
 * Tag rules: CEL conditions over an incident, its evidence, the changes in its window, its impact through the
 * dependency graph and the CMDB, each adding tags when it holds. Rules run in order and a later rule's tag
 * replaces an earlier one's; the built-in defaults run first unless a file says `defaults: false`.
 */

const TAG_NAME = { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 64 };
const TagName = Type.String({ ...TAG_NAME, description: 'A tag name: letters, digits, _ . -' });
const Expression = Type.String({ minLength: 1, maxLength: 4096 });

export const TagRuleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128, description: 'Names the rule in errors and reports' }),
    when: Type.String({ minLength: 1, maxLength: 4096, description: 'A CEL condition (bool) over incident, evidence, changes, impact, cmdb and tags' }),
    tags: Type.Optional(Type.Record(TagName, Type.String({ maxLength: 256 }), { maxProperties: 32, propertyNames: TAG_NAME, description: 'Tags set as written when the rule holds' })),
    values: Type.Optional(Type.Record(TagName, Expression, { maxProperties: 32, propertyNames: TAG_NAME, description: 'Tags set to what a CEL expression (string) gives when the rule holds' })),
  },
  { additionalProperties: false, title: 'TagRule' }
);
export type TagRuleInput = Static<typeof TagRuleSchema>;

export const TagRulesSchema = Type.Object(
  {
    defaults: Type.Optional(Type.Boolean({ description: 'Run the built-in rules first (default true)' })),
    rules: Type.Array(Type.Unknown(), { maxItems: 500 }),
  },
  { additionalProperties: false, title: 'TagRules' }
);

/** A rule ready to run. */
export interface TagRule {
  name: string;
  when: string;
  tags: Record<string, string>;
  values: Record<string, string>;
  /** Where it was written: "rules.yaml line 4", or "built-in". */
  origin: string;
  test: ParseResult;
  computed: Array<{ tag: string; expression: ParseResult }>;
}

export interface TagRules {
  /** The rules in the order they run, defaults first when included. */
  rules: TagRule[];
  /** Whether the built-in rules are among them. */
  defaults: boolean;
}

export interface TagRuleError {
  rule: string;
  origin: string;
  message: string;
}

const MAX_TAG_VALUE = 256;

// Building an environment is the expensive part: one for all rules.
const environment = new Environment({ limits: { maxAstNodes: 2000, maxDepth: 64 } })
  .registerType('Incident', {
    ctor: IncidentValue,
    fields: { id: 'string', title: 'string', severity: 'string', status: 'string', service: 'string', services: 'list<string>', startsAt: 'string', tags: 'map<string, string>', alertCount: 'int' },
  })
  .registerType('Evidence', {
    ctor: EvidenceValue,
    fields: { id: 'string', kind: 'string', service: 'string', score: 'double', summary: 'string', signal: 'string', direction: 'string', value: 'double', baseline: 'double', change: 'string', template: 'string' },
  })
  .registerType('Change', {
    ctor: ChangeValue,
    fields: { id: 'string', kind: 'string', service: 'string', title: 'string', startsAt: 'string', endsAt: 'string', version: 'string', author: 'string', strength: 'double', relation: 'string' },
  })
  .registerType('Impact', {
    ctor: ImpactValue,
    fields: { services: 'list<string>', capabilities: 'list<string>', teams: 'list<string>', customerFacing: 'bool', summary: 'string' },
  })
  .registerType('Service', {
    ctor: ServiceValue,
    fields: { name: 'string', owner: 'string', team: 'string', tier: 'string', capability: 'string', customerFacing: 'bool', dependsOn: 'list<string>', aliases: 'list<string>', labels: 'map<string, string>' },
  })
  .registerVariable('incident', 'Incident')
  .registerVariable('evidence', 'list<Evidence>')
  .registerVariable('changes', 'list<Change>')
  .registerVariable('impact', 'Impact')
  .registerVariable('cmdb', 'map<string, Service>')
  .registerVariable('tags', 'map<string, string>')
  .registerFunction({ name: 'distinct', receiverType: 'list<string>', returnType: 'list<string>', params: [], handler: (list: string[]) => [...new Set(list)] });

const validateFile = yamlValidator<Static<typeof TagRulesSchema>>(TagRulesSchema);
const validateRule = yamlValidator<TagRuleInput>(TagRuleSchema);

/** Rules from YAML text (`rules: [...]`, optional `defaults: false`); `source` names the text in errors. */
export function parseTagRules(text: string, source = 'tag rules'): TagRules {
  const document = singleYamlDocument(text, source, 'tag rules are one document');
  if (document === undefined) {
    return { rules: [...DEFAULT_RULES], defaults: true };
  }
  const file = validateFile(document, document.data, source, []);
  const rules: TagRule[] = [];
  const lines = new Map<string, number>();
  file.rules.forEach((entry, index) => {
    const path = ['rules', index];
    const rule = validateRule(document, entry, source, path);
    const line = document.lineOf(path);
    const earlier = lines.get(rule.name);
    if (earlier !== undefined) {
      throw invalidInput(`${source} line ${document.lineOf([...path, 'name'])}: rules/${index}/name ${quote(rule.name)} is already the name of the rule at line ${earlier}: rule names must be unique`);
    }
    lines.set(rule.name, line);
    rules.push(compileRule(rule, `${source} line ${line}`, (field) => `${source} line ${document.lineOf([...path, ...field])}`));
  });
  const defaults = file.defaults ?? true;
  return { rules: defaults ? [...DEFAULT_RULES, ...rules] : rules, defaults };
}

/** Rules from a YAML file. */
export async function loadTagRules(file: string): Promise<TagRules> {
  return parseTagRules(await readConfigText(file, 'tag rules file'), file);
}

/** Compiles one rule; `at(field)` names where a field was written ("rules.yaml line 7"). */
function compileRule(rule: TagRuleInput, origin: string, at: (field: string[]) => string): TagRule {
  if (rule.tags === undefined && rule.values === undefined) {
    throw invalidInput(`${origin}: tag rule ${quote(rule.name)} sets no tags: give it tags or values`);
  }
  const test = compileExpression(rule.when, 'bool', () => `${at(['when'])}: tag rule ${quote(rule.name)}: when`);
  const computed = Object.entries(rule.values ?? {}).map(([tag, expression]) => ({
    tag,
    expression: compileExpression(expression, 'string', () => `${at(['values', tag])}: tag rule ${quote(rule.name)}: values/${tag}`),
  }));
  return { name: rule.name, when: rule.when, tags: { ...rule.tags }, values: { ...rule.values }, origin, test, computed };
}

/** Parses and type-checks an expression that must give `type` (or dyn, checked when it runs). */
function compileExpression(expression: string, type: 'bool' | 'string', what: () => string): ParseResult {
  let parsed: ParseResult;
  try {
    parsed = environment.parse(expression);
  } catch (error) {
    if (error instanceof ParseError) {
      throw invalidInput(`${what()} does not parse: ${error.summary}${column(error.range)}`);
    }
    throw error;
  }
  const checked = parsed.check();
  if (!checked.valid) {
    const error = checked.error;
    throw invalidInput(`${what()} is not valid: ${error?.summary ?? 'type check failed'}${column(error?.range)}`);
  }
  if (checked.type !== type && checked.type !== 'dyn') {
    throw invalidInput(`${what()} must give a ${type}, not ${checked.type ?? 'nothing'}`);
  }
  return parsed;
}

function column(range: { start: number } | undefined): string {
  return range === undefined ? '' : ` (column ${range.start + 1} of the expression)`;
}

/**
 * The tags the rules give an incident. Rules run in order, each seeing the tags set before it as `tags` (the
 * incident's own tags included); a rule that fails at run time is skipped and passed to `onError`, the others go on.
 */
export function tagIncident(context: TagContext, rules: TagRules = DEFAULT_TAG_RULES, onError?: (error: TagRuleError) => void): Record<string, string> {
  const result: Record<string, string> = {};
  const seen: Record<string, string> = { ...context.incident.tags };
  for (const rule of rules.rules) {
    const variables = { ...context, tags: { ...seen } };
    try {
      const holds: unknown = rule.test(variables);
      if (typeof holds !== 'boolean') {
        throw new Error(`when gave ${typeof holds}, not a bool`);
      }
      if (!holds) {
        continue;
      }
      const set: Record<string, string> = { ...rule.tags };
      for (const { tag, expression } of rule.computed) {
        const value: unknown = expression(variables);
        if (typeof value !== 'string') {
          throw new Error(`values/${tag} gave ${typeof value}, not a string`);
        }
        set[tag] = value;
      }
      for (const [tag, value] of Object.entries(set)) {
        const cut = value.length > MAX_TAG_VALUE ? `${value.slice(0, MAX_TAG_VALUE - 1)}…` : value;
        result[tag] = cut;
        seen[tag] = cut;
      }
    } catch (error) {
      const message = error instanceof Error && 'summary' in error && typeof error.summary === 'string' ? error.summary : error instanceof Error ? error.message : String(error);
      onError?.({ rule: rule.name, origin: rule.origin, message });
    }
  }
  return result;
}

function compileDefaults(): TagRule[] {
  const document = parseYamlDocuments(DEFAULT_TAG_RULES_YAML, 'built-in tag rules')[0];
  if (document === undefined) {
    return [];
  }
  const file = validateFile(document, document.data, 'built-in tag rules', []);
  return file.rules.map((entry, index) => {
    const rule = validateRule(document, entry, 'built-in tag rules', ['rules', index]);
    return compileRule(rule, 'built-in', () => `built-in tag rules line ${document.lineOf(['rules', index])}`);
  });
}

const DEFAULT_RULES: readonly TagRule[] = compileDefaults();

/** The built-in rules alone: what tags an incident when no rules file is configured. */
export const DEFAULT_TAG_RULES: TagRules = { rules: [...DEFAULT_RULES], defaults: true };
