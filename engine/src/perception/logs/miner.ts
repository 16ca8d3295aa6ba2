import { randomUUID } from 'node:crypto';
import { findHeader } from './header.ts';
import { newTokenList, tokenize, WILDCARD } from './tokens.ts';

/**
 * A streaming Drain-family template miner: a fixed-depth prefix tree keyed by token count and the first tokens
 * leads to a few candidate templates, and the most similar one above a threshold absorbs the line (its differing
 * tokens become wildcards) or a new template starts.
 */

export interface MinerOptions {
  /** Tokens of the prefix used as tree keys. */
  keyTokens?: number;
  /** Share of a template's words a line must have in the same places to join it (Drain's 0.5). */
  similarity?: number;
  /** Distinct keys per tree node before further ones share a wildcard branch. */
  maxChildren?: number;
  /** Templates kept; beyond it the least recently seen are evicted. */
  maxTemplates?: number;
  /** Makes the id of a new template. */
  newId?: () => string;
}

export interface Template {
  id: string;
  tokens: string[];
  count: number;
  /** Milliseconds since the epoch. */
  firstSeen: number;
  lastSeen: number;
  /** The first line that made it, as a person-readable example. */
  sample: string;
}

export interface MatchResult {
  template: Template;
  /** A new template was made for this line. */
  created: boolean;
  /** The level the line's header carried, if any. */
  level: string | undefined;
}

interface Node {
  children: Map<string, Node>;
  templates: Template[];
}

export const MINER_DEFAULTS = { keyTokens: 2, similarity: 0.5, maxChildren: 100, maxTemplates: 20_000 } as const;
/**
 * Templates compared per line at most: a leaf this crowded means its key words are values, and comparing a line
 * with thousands of templates would make every new line slow. Its least recently seen template makes room.
 */
const MAX_LEAF_TEMPLATES = 256;
/** Token sequences remembered for the fast path before the memo starts over. */
const MEMO_SIZE = 50_000;
/** Characters of a line that are mined: a 1 MB line is one event, and its first few KB say which. */
export const MAX_MINED_CHARS = 4096;

export function templateText(template: Pick<Template, 'tokens'>): string {
  return template.tokens.join(' ');
}

/** tpl_ and 15 random hex digits (a v4 UUID's, without its fixed version digit). */
export function newTemplateId(): string {
  const uuid = randomUUID();
  return `tpl_${uuid.slice(0, 8)}${uuid.slice(9, 13)}${uuid.slice(15, 18)}`;
}

export class TemplateMiner {
  private readonly root = new Map<number, Node>();
  private readonly byId = new Map<string, Template>();
  /** Where each template sits: its tokens generalise, so its path cannot be recomputed from them. */
  private readonly leaves = new Map<Template, Node>();
  private readonly memo = new Map<number, Template>();
  private readonly options: Required<Omit<MinerOptions, 'newId'>>;
  private readonly newId: () => string;
  private readonly scratch = newTokenList();

  constructor(options: MinerOptions = {}) {
    this.options = { ...MINER_DEFAULTS, ...options };
    this.newId = options.newId ?? newTemplateId;
  }

  get size(): number {
    return this.byId.size;
  }

  templates(): IterableIterator<Template> {
    return this.byId.values();
  }

  get(id: string): Template | undefined {
    return this.byId.get(id);
  }

  /** Mines one line (a raw line, or a message already taken out of a structured line). */
  add(line: string, time: number = Date.now()): MatchResult {
    const text = line.length > MAX_MINED_CHARS ? line.slice(0, MAX_MINED_CHARS) : line;
    const header = findHeader(text);
    const { words: tokens, hash } = tokenize(text, this.scratch, header.messageStart, header.timestamped);
    let template = this.memo.get(hash);
    let created = false;
    if (template === undefined || !this.leaves.has(template) || !covers(template.tokens, tokens)) {
      const leaf = this.leaf(tokens);
      template = this.bestMatch(leaf.templates, tokens);
      if (template === undefined) {
        template = { id: this.newId(), tokens: tokens.slice(), count: 0, firstSeen: time, lastSeen: time, sample: text };
        this.insert(template, leaf);
        created = true;
      } else {
        generalise(template.tokens, tokens);
      }
      if (this.memo.size >= MEMO_SIZE) {
        this.memo.clear();
      }
      this.memo.set(hash, template);
    }
    touch(template, time);
    return { template, created, level: header.level };
  }

  /** Restores a persisted template (at start-up); it joins the tree as if it had been mined. */
  restore(template: Template): void {
    if (!this.byId.has(template.id)) {
      this.insert(template, this.leaf(template.tokens));
    }
  }

  private insert(template: Template, leaf: Node): void {
    if (leaf.templates.length >= MAX_LEAF_TEMPLATES) {
      const stale = leaf.templates.reduce((a, b) => (b.lastSeen < a.lastSeen ? b : a));
      this.forget(stale, leaf);
    }
    leaf.templates.push(template);
    this.byId.set(template.id, template);
    this.leaves.set(template, leaf);
    if (this.byId.size > this.options.maxTemplates) {
      this.evictOldest(template);
    }
  }

  private leaf(tokens: readonly string[]): Node {
    let node: Node | undefined = this.root.get(tokens.length);
    if (node === undefined) {
      node = { children: new Map(), templates: [] };
      this.root.set(tokens.length, node);
    }
    const depth = Math.min(this.options.keyTokens, tokens.length);
    for (let i = 0; i < depth; i++) {
      const token = tokens[i] ?? WILDCARD;
      let child: Node | undefined = node.children.get(token);
      if (child === undefined) {
        // A full node sends new keys down a shared wildcard branch, so a variable first word cannot grow the tree.
        const key: string = node.children.size < this.options.maxChildren ? token : WILDCARD;
        child = node.children.get(key) ?? { children: new Map(), templates: [] };
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }

  private bestMatch(candidates: Template[], tokens: readonly string[]): Template | undefined {
    let best: Template | undefined;
    let bestScore = -1;
    for (const template of candidates) {
      const score = similarity(template.tokens, tokens);
      if (score > bestScore) {
        best = template;
        bestScore = score;
      }
    }
    return bestScore >= this.options.similarity ? best : undefined;
  }

  /** Evicts the least recently seen tenth at once, so a stream of ever-new lines costs O(log n) per line. */
  private evictOldest(keep: Template): void {
    const target = Math.floor(this.options.maxTemplates * 0.9);
    const oldest = [...this.byId.values()].filter((t) => t !== keep).sort((a, b) => a.lastSeen - b.lastSeen);
    for (const template of oldest.slice(0, this.byId.size - target)) {
      this.forget(template, this.leaves.get(template));
    }
  }

  private forget(template: Template, leaf: Node | undefined): void {
    this.byId.delete(template.id);
    this.leaves.delete(template);
    leaf?.templates.splice(leaf.templates.indexOf(template), 1);
  }
}

function touch(template: Template, time: number): void {
  template.count++;
  if (time > template.lastSeen) {
    template.lastSeen = time;
  }
  if (time < template.firstSeen) {
    template.firstSeen = time;
  }
}

/**
 * Share of positions where the template and the line have the same word (values don't count as agreeing);
 * a template that already covers the line (it differs only where it has wildcards) scores above 1.
 */
function similarity(template: readonly string[], tokens: readonly string[]): number {
  let same = 0;
  let covering = true;
  for (let i = 0; i < tokens.length; i++) {
    const token = template[i];
    const other = tokens[i];
    if (token === other) {
      same += token === WILDCARD ? 0 : 1;
    } else if (token !== WILDCARD) {
      covering = false;
      if (token !== undefined && other !== undefined && isConstantName(token) && isConstantName(other)) {
        // Upper-case names are states, protocols and event types (RUNNING, HTTPS): different ones, different events.
        return 0;
      }
    }
  }
  return same / tokens.length + (covering ? 1 : 0);
}

/** The template has the line's word wherever it has a word. */
function covers(template: readonly string[], tokens: readonly string[]): boolean {
  if (template.length !== tokens.length) {
    return false;
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = template[i];
    if (token !== WILDCARD && token !== tokens[i]) {
      return false;
    }
  }
  return true;
}

function isConstantName(token: string): boolean {
  let letters = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 97 && code <= 122) {
      return false;
    }
    if (code >= 65 && code <= 90) {
      letters++;
    }
  }
  return letters >= 2;
}

/** Turns the template's words that differ from the line into wildcards. */
function generalise(template: string[], tokens: readonly string[]): void {
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== tokens[i]) {
      template[i] = WILDCARD;
    }
  }
}
