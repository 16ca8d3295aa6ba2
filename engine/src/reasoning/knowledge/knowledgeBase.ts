import MiniSearch from 'minisearch';
import type { Query, SearchResult } from 'minisearch';
import {
  GEN_AI,
  GEN_AI_OPERATION,
  INTELOPS,
  KNOWLEDGE_DATA_SOURCE,
  RETRIEVAL_HITS_EVENT,
} from '../../observability/tracing/conventions.ts';
import { traceStep } from '../../observability/tracing/spans.ts';
import { cosineSimilarity, reciprocalRankFusion } from './embeddings.ts';
import type { Embedder } from './embeddings.ts';
import type { KnowledgeDocument, KnowledgeKind } from './documents.ts';
import { processTerm, tokenize } from './textAnalysis.ts';

/** What an incident asks: free text (alert titles, indicators, log templates) and, optionally, its services and tags. */
export interface KnowledgeQuery {
  text: string;
  /** Documents written for these services rank above generic ones, and those for other services below. */
  services?: string[];
  /** Matched against documents' tags and signals. */
  tags?: string[];
}

export interface KnowledgeHit {
  id: string;
  kind: KnowledgeKind;
  title: string;
  source: string;
  services: string[];
  tags: string[];
  /** The ranking score: BM25 with the service factor, or the fused score when embeddings are used. */
  score: number;
  /** BM25 score (with the service factor); null when only the embedding found the document. */
  bm25: number | null;
  /** Cosine similarity to the query; null without an embedder. */
  similarity: number | null;
  /** Fields where query terms matched (title, body, services, tags, signals). */
  matchedFields: string[];
  /** Document terms that matched, after stemming, prefix and fuzzy matching. */
  matchedTerms: string[];
  document: KnowledgeDocument;
}

export interface KnowledgeBaseOptions {
  /** Enables hybrid ranking (BM25 fused with embedding similarity). */
  embedder?: Embedder;
  /** Called when the embedder fails; the search then ranks by BM25 alone. */
  onEmbeddingError?: (error: unknown) => void;
}

type Field = 'title' | 'body' | 'services' | 'tags' | 'signals';
const FIELDS: Field[] = ['title', 'body', 'services', 'tags', 'signals'];

// Short fields that name what a document is about weigh more than a mention in the body; services most,
// since the service is the most specific thing an incident knows.
const BOOST: Record<Field, number> = { title: 2, body: 1, services: 3, tags: 2, signals: 2 };

// Documents for the queried services count double; generic ones (no services) stay neutral; those written for
// other services count half: they may still apply, but less likely.
const SERVICE_MATCH = 2;
const SERVICE_OTHER = 0.5;

// Embedding endpoints cap input length (8191 tokens for OpenAI's); 8000 characters stays well below it.
const MAX_EMBED_CHARS = 8000;
// Endpoints cap inputs per request too; batches of 64 keep each request small.
const EMBED_BATCH = 64;

/**
 * When a hit counts as relevant, for the retrieval hit rate: its BM25 score (with the service factor) reaches
 * `bm25`, or, found by embeddings alone, its cosine similarity reaches `similarity`. Measured on
 * knowledge/eval/queries.yaml with the shipped runbooks: the weakest relevant hit in a top 5 scored 8.9, while
 * off-topic queries ("weather in paris tomorrow", "quarterly revenue report", "hello world") topped out at 1.8–7.5.
 */
export const RELEVANCE_FLOOR = { bm25: 8, similarity: 0.5 } as const;

export function isRelevant(hit: Pick<KnowledgeHit, 'bm25' | 'similarity'>): boolean {
  return (
    (hit.bm25 !== null && hit.bm25 >= RELEVANCE_FLOOR.bm25) ||
    (hit.bm25 === null && hit.similarity !== null && hit.similarity >= RELEVANCE_FLOOR.similarity)
  );
}

// Scores a retrieval span lists as attributes (all hits are in its event).
const TOP_SCORES = 5;

/**
 * A full-text index (MiniSearch, BM25+) over runbooks and resolved incidents, with optional hybrid ranking:
 * when an embedder is given, BM25 and cosine-similarity rankings are fused by reciprocal rank fusion.
 */
export class KnowledgeBase {
  private readonly index: MiniSearch<KnowledgeDocument>;
  private readonly docs = new Map<string, KnowledgeDocument>();
  private readonly vectors = new Map<string, { text: string; vector: number[] }>();
  private readonly embedder: Embedder | undefined;
  private readonly onEmbeddingError: ((error: unknown) => void) | undefined;

  constructor(documents: readonly KnowledgeDocument[] = [], options: KnowledgeBaseOptions = {}) {
    this.embedder = options.embedder;
    this.onEmbeddingError = options.onEmbeddingError;
    this.index = new MiniSearch<KnowledgeDocument>({
      idField: 'id',
      fields: FIELDS,
      storeFields: [],
      extractField: (doc, field) => {
        const value: unknown = doc[field as keyof KnowledgeDocument];
        return Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
      },
      tokenize,
      processTerm,
      searchOptions: {
        boost: BOOST,
        // Prefix matching from four letters (shorter prefixes match too much); one typo allowed from five
        // letters, two from ten (fuzzy 0.2 of the length).
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        maxFuzzy: 2,
        combineWith: 'OR',
      },
    });
    for (const document of documents) {
      this.add(document);
    }
  }

  get size(): number {
    return this.docs.size;
  }

  /** Adds a document, replacing the one with the same id. */
  add(document: KnowledgeDocument): void {
    if (this.docs.has(document.id)) {
      this.index.replace(document);
    } else {
      this.index.add(document);
    }
    this.docs.set(document.id, document);
  }

  remove(id: string): boolean {
    if (!this.docs.has(id)) {
      return false;
    }
    this.index.discard(id);
    this.docs.delete(id);
    this.vectors.delete(id);
    return true;
  }

  get(id: string): KnowledgeDocument | undefined {
    return this.docs.get(id);
  }

  documents(): KnowledgeDocument[] {
    return [...this.docs.values()];
  }

  /** The best `limit` documents for the query, best first; an empty query finds nothing. Traced as a retrieval span. */
  async search(query: KnowledgeQuery, limit = 5): Promise<KnowledgeHit[]> {
    if (queryText(query) === '' || limit <= 0) {
      return [];
    }
    return traceStep(
      `${GEN_AI_OPERATION.retrieval} ${KNOWLEDGE_DATA_SOURCE}`,
      'retrieval',
      {
        [GEN_AI.operationName]: GEN_AI_OPERATION.retrieval,
        [GEN_AI.dataSourceId]: KNOWLEDGE_DATA_SOURCE,
        [GEN_AI.retrievalQueryText]: queryText(query),
      },
      async (span) => {
        const hits = await this.ranked(query, limit);
        if (span.recording) {
          span.set({
            [INTELOPS.retrievalHits]: hits.length,
            [INTELOPS.retrievalRelevantHits]: hits.filter(isRelevant).length,
            [INTELOPS.retrievalTopScores]: hits.slice(0, TOP_SCORES).map((hit) => round(hit.score)),
          });
          span.event(RETRIEVAL_HITS_EVENT, {
            [GEN_AI.retrievalDocuments]: JSON.stringify(
              hits.map((hit) => ({ id: hit.id, title: hit.title, score: round(hit.score), relevant: isRelevant(hit) }))
            ),
          });
        }
        return hits;
      }
    );
  }

  private async ranked(query: KnowledgeQuery, limit: number): Promise<KnowledgeHit[]> {
    const services = new Set((query.services ?? []).map((service) => service.toLowerCase()));
    const factor = (doc: KnowledgeDocument) => serviceFactor(doc, services);
    const lexical = this.lexicalSearch(query, factor);
    const similarities =
      this.embedder === undefined ? undefined : await this.similarities(this.embedder, queryText(query));
    if (similarities === undefined) {
      return lexical.slice(0, limit).map((result) => this.hit(result, result.score, null));
    }
    const byId = new Map(lexical.map((result) => [String(result.id), result]));
    // The same service factor orders the embedding list, so the service filter means the same in both lists.
    const semantic = [...similarities]
      .filter(([, similarity]) => similarity > 0)
      .map(([id, similarity]) => ({ id, rank: similarity * this.factorOf(id, factor) }))
      .sort((a, b) => b.rank - a.rank || a.id.localeCompare(b.id))
      .map((entry) => entry.id);
    const fused = reciprocalRankFusion([lexical.map((result) => String(result.id)), semantic]);
    return [...fused]
      .sort(([a, x], [b, y]) => y - x || (byId.get(b)?.score ?? 0) - (byId.get(a)?.score ?? 0) || a.localeCompare(b))
      .slice(0, limit)
      .flatMap(([id, score]) => {
        const result = byId.get(id);
        const similarity = similarities.get(id) ?? null;
        if (result !== undefined) {
          return [this.hit(result, score, similarity)];
        }
        const document = this.docs.get(id);
        return document === undefined ? [] : [toHit(document, score, null, similarity, [], [])];
      });
  }

  private lexicalSearch(query: KnowledgeQuery, factor: (doc: KnowledgeDocument) => number): SearchResult[] {
    const queries: Query[] = [];
    if (query.text.trim() !== '') {
      queries.push(query.text);
    }
    const tags = query.tags ?? [];
    if (tags.length > 0) {
      queries.push({ queries: [tags.join(' ')], fields: ['tags', 'signals'] });
    }
    // With nothing else to go on, the services alone find what was written for them.
    if (queries.length === 0 && (query.services ?? []).length > 0) {
      queries.push({ queries: [(query.services ?? []).join(' ')], fields: ['services'] });
    }
    if (queries.length === 0) {
      return [];
    }
    return this.index.search(
      { combineWith: 'OR', queries },
      { boostDocument: (id) => this.factorOf(String(id), factor) }
    );
  }

  private factorOf(id: string, factor: (doc: KnowledgeDocument) => number): number {
    const document = this.docs.get(id);
    return document === undefined ? 0 : factor(document);
  }

  private hit(result: SearchResult, score: number, similarity: number | null): KnowledgeHit {
    const id = String(result.id);
    const document = this.docs.get(id);
    if (document === undefined) {
      throw new Error(`the index returned ${id}, which the knowledge base does not hold`);
    }
    const fields = new Set<string>();
    for (const matched of Object.values(result.match)) {
      for (const field of matched) {
        fields.add(field);
      }
    }
    return toHit(
      document,
      score,
      result.score,
      similarity,
      FIELDS.filter((field) => fields.has(field)),
      result.terms
    );
  }

  /** Cosine similarity of every document to the query text, embedding documents not yet embedded. */
  private async similarities(embedder: Embedder, text: string): Promise<Map<string, number> | undefined> {
    try {
      const stale = [...this.docs.values()].filter((doc) => this.vectors.get(doc.id)?.text !== embeddingText(doc));
      for (let start = 0; start < stale.length; start += EMBED_BATCH) {
        const batch = stale.slice(start, start + EMBED_BATCH);
        const texts = batch.map(embeddingText);
        const vectors = await embedOrThrow(embedder, texts);
        batch.forEach((doc, index) => {
          const vector = vectors[index];
          const docText = texts[index];
          if (vector !== undefined && docText !== undefined) {
            this.vectors.set(doc.id, { text: docText, vector });
          }
        });
      }
      const [queryVector] = await embedOrThrow(embedder, [text]);
      if (queryVector === undefined) {
        return undefined;
      }
      const similarities = new Map<string, number>();
      for (const [id, { vector }] of this.vectors) {
        if (this.docs.has(id)) {
          similarities.set(id, cosineSimilarity(queryVector, vector));
        }
      }
      return similarities;
    } catch (error) {
      if (this.onEmbeddingError === undefined) {
        throw error;
      }
      this.onEmbeddingError(error);
      return undefined;
    }
  }
}

function serviceFactor(doc: KnowledgeDocument, services: ReadonlySet<string>): number {
  if (services.size === 0 || doc.services.length === 0) {
    return 1;
  }
  return doc.services.some((service) => services.has(service.toLowerCase())) ? SERVICE_MATCH : SERVICE_OTHER;
}

function queryText(query: KnowledgeQuery): string {
  return [query.text, ...(query.services ?? []), ...(query.tags ?? [])].join(' ').trim();
}

function embeddingText(doc: KnowledgeDocument): string {
  return [doc.title, doc.services.join(' '), [...doc.tags, ...doc.signals].join(' '), doc.body]
    .join('\n')
    .slice(0, MAX_EMBED_CHARS);
}

async function embedOrThrow(embedder: Embedder, texts: string[]): Promise<number[][]> {
  const vectors = await embedder.embed(texts);
  if (vectors.length !== texts.length) {
    throw new Error(`the embedder returned ${vectors.length} vectors for ${texts.length} texts`);
  }
  return vectors;
}

function toHit(
  document: KnowledgeDocument,
  score: number,
  bm25: number | null,
  similarity: number | null,
  matchedFields: string[],
  matchedTerms: string[]
): KnowledgeHit {
  return {
    id: document.id,
    kind: document.kind,
    title: document.title,
    source: document.source,
    services: document.services,
    tags: document.tags,
    score,
    bm25,
    similarity,
    matchedFields,
    matchedTerms,
    document,
  };
}

function round(score: number): number {
  return Number.isFinite(score) ? Number(score.toPrecision(4)) : 0;
}
