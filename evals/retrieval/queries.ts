import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** One labelled query: what an incident would search with, and the runbook files that answer it. */
export interface LabelledQuery {
  text: string;
  services: string[];
  tags: string[];
  /** Runbook file names (relative to the runbook folder); any of them in the top k is a hit. */
  expect: string[];
  /** Line of the entry in its file, for messages. */
  line: number;
}

const KEYS = ['text', 'services', 'tags', 'expect'];

/** Reads a queries.yaml (`queries: [{text, services?, tags?, expect: [file…]}]`); errors name the file and line. */
export function loadQueries(file: string): LabelledQuery[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(file, 'utf8'), { lineCounter, uniqueKeys: true });
  const lineOf = (node: unknown) => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : 1);
  const fail = (node: unknown, message: string): never => {
    throw new Error(`${file}, line ${lineOf(node)}: ${message}`);
  };
  const error = document.errors[0];
  if (error !== undefined) {
    throw new Error(
      `${file}, line ${error.linePos?.[0].line ?? 1}: not valid YAML: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`
    );
  }
  const root = document.contents;
  const list = isMap(root) ? root.get('queries', true) : undefined;
  if (!isSeq(list)) {
    return fail(root, 'expected a mapping with a list "queries"');
  }
  return list.items.map((item) => {
    if (!isMap(item)) {
      return fail(item, 'each query is a mapping with text, expect and optionally services and tags');
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' || !KEYS.includes(key)) {
        fail(pair.key, `unknown key ${JSON.stringify(String(key))}; the keys are ${KEYS.join(', ')}`);
      }
    }
    const text = item.get('text', true);
    if (!isScalar(text) || typeof text.value !== 'string' || text.value.trim() === '') {
      return fail(text ?? item, 'text must be a non-empty string');
    }
    const strings = (key: string, required: boolean): string[] => {
      const node = item.get(key, true);
      if (node === undefined && !required) {
        return [];
      }
      if (!isSeq(node) || (required && node.items.length === 0)) {
        return fail(node ?? item, `${key} must be a ${required ? 'non-empty ' : ''}list of strings`);
      }
      return node.items.map((entry) =>
        isScalar(entry) && typeof entry.value === 'string' && entry.value !== ''
          ? entry.value
          : fail(entry, `every entry of ${key} must be a non-empty string`)
      );
    };
    return {
      text: text.value,
      services: strings('services', false),
      tags: strings('tags', false),
      expect: strings('expect', true),
      line: lineOf(item),
    };
  });
}
