import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { runbookId } from './documents.ts';
import type { KnowledgeDocument } from './documents.ts';

/** The demo runbooks shipped in the repository (knowledge/runbooks at its root). */
export const DEFAULT_RUNBOOKS_DIR = fileURLToPath(new URL('../../../../knowledge/runbooks/', import.meta.url));

/** A runbook that cannot be read, with the file and line that say where. */
export class RunbookError extends Error {
  override name = 'RunbookError';
}

const FIELDS = ['title', 'services', 'tags', 'signals'] as const;
type Field = (typeof FIELDS)[number];

const FENCE = /^---[ \t]*$/;

/**
 * A markdown runbook with YAML front-matter between `---` lines:
 * `title` (required), `services`, `tags` and `signals` (lists of strings, optional).
 * `file` becomes its source and id; errors name `shownAs` (the path a person can open).
 */
export function parseRunbook(text: string, file: string, shownAs: string = file): KnowledgeDocument {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] === undefined || !FENCE.test(lines[0])) {
    throw new RunbookError(
      `${shownAs}, line 1: a runbook starts with a front-matter block: a "---" line, YAML (title, services, tags, signals), and another "---" line`
    );
  }
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (end < 0) {
    throw new RunbookError(`${shownAs}, line 1: the front-matter block opened here is never closed with a "---" line`);
  }
  const yamlText = lines.slice(1, end).join('\n');
  // The YAML starts on the file's second line.
  const at = (line: number) => `${shownAs}, line ${line + 1}`;
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, uniqueKeys: true });
  const error = document.errors[0];
  if (error !== undefined) {
    const line = error.linePos?.[0].line ?? 1;
    // The library appends its own position and a code excerpt; the line is given in front instead.
    const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    throw new RunbookError(`${at(line)}: front-matter is not valid YAML: ${message}`);
  }
  const lineOf = (node: unknown) => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : 1);
  const fields = readFields(document, lineOf, at);
  const body = lines
    .slice(end + 1)
    .join('\n')
    .trim();
  return {
    id: runbookId(file),
    kind: 'runbook',
    title: fields.title,
    body,
    services: fields.services,
    tags: fields.tags,
    signals: fields.signals,
    source: file,
  };
}

interface Fields {
  title: string;
  services: string[];
  tags: string[];
  signals: string[];
}

function readFields(document: Document, lineOf: (node: unknown) => number, at: (line: number) => string): Fields {
  const root = document.contents;
  if (!isMap(root)) {
    throw new RunbookError(
      `${at(lineOf(root))}: front-matter must be a mapping with title, services, tags and signals`
    );
  }
  const fields: Fields = { title: '', services: [], tags: [], signals: [] };
  let hasTitle = false;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const keyLine = lineOf(pair.key);
    if (!isField(key)) {
      throw new RunbookError(
        `${at(keyLine)}: unknown front-matter field ${JSON.stringify(String(key))}; the fields are ${FIELDS.join(', ')}`
      );
    }
    const value = pair.value;
    if (key === 'title') {
      if (!isScalar(value) || typeof value.value !== 'string' || value.value.trim() === '') {
        throw new RunbookError(`${at(value === null ? keyLine : lineOf(value))}: title must be a non-empty string`);
      }
      fields.title = value.value.trim();
      hasTitle = true;
      continue;
    }
    if (value === null || (isScalar(value) && value.value === null)) {
      continue;
    }
    if (!isSeq(value)) {
      throw new RunbookError(`${at(lineOf(value))}: ${key} must be a list of strings, e.g. ${key}: [a, b]`);
    }
    const list: string[] = [];
    for (const item of value.items) {
      // Numbers are words here too: `signals: [502, 504]` means the status codes.
      const entry =
        isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')
          ? String(item.value).trim()
          : '';
      if (entry === '') {
        throw new RunbookError(
          `${at(isNode(item) ? lineOf(item) : lineOf(value))}: every entry of ${key} must be a non-empty string`
        );
      }
      list.push(entry);
    }
    fields[key] = [...new Set(list)];
  }
  if (!hasTitle) {
    throw new RunbookError(`${at(lineOf(root))}: front-matter has no title`);
  }
  return fields;
}

function isField(key: unknown): key is Field {
  return FIELDS.some((field) => field === key);
}

/** Every `*.md` file in `dir` (not recursive), in name order; the first bad file stops loading. */
export async function loadRunbooks(dir: string = DEFAULT_RUNBOOKS_DIR): Promise<KnowledgeDocument[]> {
  let files: string[];
  try {
    files = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => entry.name);
  } catch (error) {
    throw new RunbookError(
      `cannot read the runbook folder ${dir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error }
    );
  }
  const runbooks: KnowledgeDocument[] = [];
  for (const file of files.sort()) {
    const text = await readFile(path.join(dir, file), 'utf8');
    runbooks.push(parseRunbook(text, file, path.join(dir, file)));
  }
  return runbooks;
}
