import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { invalidInput } from '../invalidInput.ts';

/**
 * YAML read from a file or a request with its positions kept, so that a message can say "rules.yaml line 7:
 * rules/2/when …" instead of only what is wrong.
 */

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlDocument {
  /** The document as plain data. */
  data: unknown;
  /** The 1-based line of the value at `path` (of its key, with `key`), or of the nearest ancestor that exists. */
  lineOf(path: YamlPath, key?: boolean): number;
  /** Line and column (1-based) of a character offset in the source. */
  position(offset: number): { line: number; col: number };
  /** The node at `path`, when there is one. */
  nodeAt(path: YamlPath): Node | undefined;
}

// The yaml library's default (100) refuses ordinary files with many anchors; this still stops alias bombs.
const MAX_ALIAS_COUNT = 1000;

/**
 * Every document of a YAML text (`---` separates them); a syntax error is a 400 naming `source`, line and column.
 * Duplicate keys are errors.
 */
export function parseYamlDocuments(text: string, source: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { uniqueKeys: true, lineCounter });
  const documents: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), col: Math.max(col, 1) };
  };
  return documents.map((document) => {
    const error = document.errors[0];
    if (error !== undefined) {
      const at = error.linePos?.[0] ?? position(error.pos[0]);
      // The library appends its own " at line …:" and a code excerpt; the position is given before instead.
      const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      throw invalidInput(`${source} line ${at.line}, column ${at.col}: not valid YAML: ${message}`);
    }
    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause) {
      throw invalidInput(`${source}: not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const nodeAt = (path: YamlPath): Node | undefined => {
      const found: unknown = path.length === 0 ? document.contents : document.getIn(path, true);
      return isNode(found) ? found : undefined;
    };
    const lineOf = (path: YamlPath, key = false): number => {
      for (let length = path.length; length >= 0; length--) {
        const offset = key && length === path.length ? keyOffset(document, path) : nodeAt(path.slice(0, length))?.range?.[0];
        if (offset !== undefined) {
          return position(offset).line;
        }
      }
      return 1;
    };
    return { data, lineOf, position, nodeAt };
  });
}

/**
 * The document of a text that holds one configuration (a policy, tag rules, a workflow, settings), or undefined when
 * the text is empty; a second document is an error naming `source` and saying `oneDocument` ("a policy is one document").
 */
export function singleYamlDocument(text: string, source: string, oneDocument: string): YamlDocument | undefined {
  const documents = parseYamlDocuments(text, source);
  if (documents.length > 1) {
    throw invalidInput(`${source}: holds ${documents.length} YAML documents; ${oneDocument}`);
  }
  const [document] = documents;
  return document === undefined || document.data === null || document.data === undefined ? undefined : document;
}

/** A configuration file's text; a file that cannot be read is a 400 naming it as `what` ("execution policy file"). */
export async function readConfigText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw invalidInput(`${what} ${file} cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Where the key of the last step of `path` starts in its mapping. */
function keyOffset(document: Document.Parsed, path: YamlPath): number | undefined {
  const parent: unknown = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
    return isPair(pair) && isNode(pair.key) ? pair.key.range?.[0] : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item: unknown = parent.items[last];
    return isNode(item) ? item.range?.[0] : undefined;
  }
  return undefined;
}

/** Ajv's instancePath ("/services/3/tier") as path steps, array indexes as numbers. */
export function pathOfPointer(pointer: string): Array<string | number> {
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((step) => step.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((step) => (/^(0|[1-9]\d*)$/.test(step) ? Number(step) : step));
}

// All errors, so a misspelt key is reported before the required key it stands for (configs are small and capped).
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
// Files are checked as strictly as the API checks the same documents (uri, date-time…).
formats.default(ajv);

/** A schema validator for YAML data: the first error becomes a 400 naming source, line and field path. */
export function yamlValidator<T>(schema: object): (document: YamlDocument, data: unknown, source: string, base: YamlPath) => T {
  const validate: ValidateFunction<T> = ajv.compile<T>(schema);
  return (document, data, source, base) => {
    if (validate(data)) {
      return data;
    }
    const errors = validate.errors ?? [];
    const error = errors.find((one) => one.keyword === 'additionalProperties') ?? errors.find((one) => one.keyword !== 'propertyNames') ?? errors[0];
    if (error === undefined) {
      throw invalidInput(`${source} line ${document.lineOf(base)}: ${base.join('/')} is invalid`);
    }
    throw invalidInput(describeSchemaError(error, document, source, base));
  };
}

/** One Ajv error as a message naming source, line and field path. */
export function describeSchemaError(error: ErrorObject, document: YamlDocument, source: string, base: YamlPath): string {
  const path = [...base, ...pathOfPointer(error.instancePath)];
  const where = path.length === 0 ? '(top level)' : path.join('/');
  const unknown: unknown = error.params.additionalProperty;
  if (error.keyword === 'additionalProperties' && typeof unknown === 'string') {
    const schema: unknown = error.parentSchema;
    const allowed = typeof schema === 'object' && schema !== null && 'properties' in schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];
    const hint = allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
    return `${source} line ${document.lineOf([...path, unknown], true)}: ${where} has unknown key "${unknown}"${hint}`;
  }
  // Ajv puts the offending key of a propertyNames failure on the error itself.
  const propertyName: unknown = error.propertyName ?? error.params.propertyName;
  if (typeof propertyName === 'string') {
    return `${source} line ${document.lineOf([...path, propertyName], true)}: ${where} has a key ${JSON.stringify(propertyName)} that ${error.message ?? 'is invalid'}`;
  }
  const missing: unknown = error.params.missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') {
    return `${source} line ${document.lineOf(path)}: ${where} must have the key "${missing}"`;
  }
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    return `${source} line ${document.lineOf(path)}: ${where} must be one of ${error.params.allowedValues.map(String).join(', ')}`;
  }
  return `${source} line ${document.lineOf(path)}: ${where} ${error.message ?? 'is invalid'}`;
}
