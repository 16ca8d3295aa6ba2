import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { KnowledgeDocument } from './documents.ts';
import { reciprocalRankFusion } from './embeddings.ts';
import type { Embedder } from './embeddings.ts';
import { KnowledgeBase } from './knowledgeBase.ts';

function runbook(
  source: string,
  title: string,
  body: string,
  fields: Partial<Pick<KnowledgeDocument, 'services' | 'tags' | 'signals'>> = {}
): KnowledgeDocument {
  return {
    id: `runbook:${source}`,
    kind: 'runbook',
    title,
    body,
    services: [],
    tags: [],
    signals: [],
    source,
    ...fields,
  };
}

const DOCS: KnowledgeDocument[] = [
  runbook('cpu.md', 'CPU saturation', 'Pods hit their CPU limit and are throttled; latency rises on every route.', {
    tags: ['saturation'],
    signals: ['cpu'],
  }),
  runbook('oom.md', 'Memory leak', 'Working set grows until the container is OOMKilled and restarts.', {
    tags: ['memory'],
  }),
  runbook('redis.md', 'Cart cannot reach Redis', 'Connection refused on port 6379; adding to cart fails.', {
    services: ['cart'],
    tags: ['availability'],
  }),
  runbook('pool.md', 'Database connection pool exhausted', 'Requests wait for a free connection; too many clients.', {
    services: ['payments', 'checkout'],
  }),
  runbook('dns.md', 'DNS failures', 'Lookups fail with no such host; connection refused is not the symptom here.', {
    tags: ['network'],
  }),
];

const sources = (hits: Array<{ source: string }>) => hits.map((hit) => hit.source);

describe('KnowledgeBase (BM25)', () => {
  it('ranks the document whose words the query uses first, and reports scores and matched fields', async () => {
    const base = new KnowledgeBase(DOCS);
    const hits = await base.search({ text: 'pods throttled at the cpu limit' }, 3);
    assert.equal(hits[0]?.source, 'cpu.md');
    assert.deepEqual(hits[0]?.matchedFields, ['title', 'body', 'signals']);
    assert.ok(
      hits.every((hit, i) => i === 0 || (hits[i - 1]?.score ?? 0) >= hit.score),
      'scores descend'
    );
    assert.equal(hits[0]?.similarity, null);
    assert.equal(hits[0]?.bm25, hits[0]?.score);
  });

  it('matches inflections, prefixes and typos', async () => {
    const base = new KnowledgeBase(DOCS);
    assert.equal((await base.search({ text: 'throttling' }, 1))[0]?.source, 'cpu.md');
    assert.equal((await base.search({ text: 'OOMKill' }, 1))[0]?.source, 'oom.md');
    // A prefix two letters short of "container": too far for one typo, found as a prefix.
    assert.deepEqual(sources(await base.search({ text: 'contain' }, 5)), ['oom.md']);
    assert.equal((await base.search({ text: 'conection pool exausted' }, 1))[0]?.source, 'pool.md');
    assert.deepEqual(await base.search({ text: 'zebra' }, 5), []);
  });

  it('lets the services of the query decide between documents the text matches equally', async () => {
    const base = new KnowledgeBase(DOCS);
    const text = 'connection refused';
    assert.equal((await base.search({ text, services: ['cart'] }, 1))[0]?.source, 'redis.md');
    // For another service, the generic document outranks the one written for cart.
    assert.equal((await base.search({ text, services: ['frontend'] }, 1))[0]?.source, 'dns.md');
    // Services alone find what was written for them.
    assert.deepEqual(sources(await base.search({ text: '', services: ['checkout'] }, 5)), ['pool.md']);
  });

  it('matches query tags against tags and signals', async () => {
    const base = new KnowledgeBase(DOCS);
    assert.equal((await base.search({ text: 'pods restart', tags: ['saturation'] }, 1))[0]?.source, 'cpu.md');
    assert.equal((await base.search({ text: 'pods restart' }, 1))[0]?.source, 'oom.md');
  });

  it('adds, replaces and removes documents', async () => {
    const base = new KnowledgeBase(DOCS);
    assert.equal(base.size, 5);
    base.add(runbook('cpu.md', 'Disk full', 'No space left on device.'));
    assert.equal(base.size, 5);
    assert.deepEqual(await base.search({ text: 'throttled' }, 5), []);
    assert.equal((await base.search({ text: 'no space left' }, 1))[0]?.source, 'cpu.md');
    assert.equal(base.remove('runbook:cpu.md'), true);
    assert.equal(base.remove('runbook:cpu.md'), false);
    assert.deepEqual(await base.search({ text: 'no space left' }, 5), []);
    assert.deepEqual(await base.search({ text: '   ' }, 5), []);
    assert.deepEqual(await base.search({ text: 'memory' }, 0), []);
  });
});

/** A real (if crude) embedding: character trigrams of each word hashed into 64 buckets, L2-normalised. */
class TrigramEmbedder implements Embedder {
  calls: string[][] = [];

  embed(texts: string[]): Promise<number[][]> {
    this.calls.push(texts);
    return Promise.resolve(texts.map((text) => trigramVector(text)));
  }
}

function trigramVector(text: string): number[] {
  const vector = new Array<number>(64).fill(0);
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    const padded = `_${word}_`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const bucket =
        createHash('sha256')
          .update(padded.slice(i, i + 3))
          .digest()[0] ?? 0;
      vector[bucket % 64] = (vector[bucket % 64] ?? 0) + 1;
    }
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

describe('KnowledgeBase (hybrid)', () => {
  it('fuses the BM25 and embedding rankings by reciprocal rank', async () => {
    const embedder = new TrigramEmbedder();
    const base = new KnowledgeBase(DOCS, { embedder });
    const lexical = new KnowledgeBase(DOCS);
    const query = { text: 'memory leak restarts' };
    const hybrid = await base.search(query, 5);
    const bm25 = sources(await lexical.search(query, 5));
    const bySimilarity = [...hybrid]
      .filter((hit) => (hit.similarity ?? 0) > 0)
      .sort((a, b) => (b.similarity ?? 0) - (a.similarity ?? 0));
    assert.equal(bySimilarity.length, 5, 'every document shares some trigram with the query');
    const fused = reciprocalRankFusion([bm25, sources(bySimilarity)]);
    for (const hit of hybrid) {
      assert.equal(hit.score, fused.get(hit.source));
    }
    assert.equal(hybrid[0]?.source, 'oom.md');
  });

  it('finds a document the words miss but the embedding reaches', async () => {
    const base = new KnowledgeBase(DOCS, { embedder: new TrigramEmbedder() });
    // One run-together word: no index term matches it, its trigrams do.
    assert.deepEqual(await new KnowledgeBase(DOCS).search({ text: 'memoryleak' }, 5), []);
    const hits = await base.search({ text: 'memoryleak' }, 5);
    assert.equal(hits[0]?.source, 'oom.md');
    assert.equal(hits[0]?.bm25, null);
    assert.deepEqual(hits[0]?.matchedFields, []);
    assert.ok((hits[0]?.similarity ?? 0) > 0);
  });

  it('embeds each document once, and again only when it changes', async () => {
    const embedder = new TrigramEmbedder();
    const base = new KnowledgeBase(DOCS, { embedder });
    await base.search({ text: 'cpu' }, 3);
    await base.search({ text: 'memory' }, 3);
    assert.deepEqual(
      embedder.calls.map((texts) => texts.length),
      [5, 1, 1]
    );
    base.add(runbook('dns.md', 'DNS failures', 'NXDOMAIN everywhere.'));
    await base.search({ text: 'dns' }, 3);
    assert.deepEqual(
      embedder.calls.map((texts) => texts.length),
      [5, 1, 1, 1, 1]
    );
  });

  it('falls back to BM25 when the embedder fails and a handler is given, and throws otherwise', async () => {
    const failing: Embedder = { embed: () => Promise.reject(new Error('embeddings endpoint answered 503')) };
    const errors: unknown[] = [];
    const base = new KnowledgeBase(DOCS, { embedder: failing, onEmbeddingError: (error) => errors.push(error) });
    const hits = await base.search({ text: 'cpu throttled' }, 2);
    assert.equal(hits[0]?.source, 'cpu.md');
    assert.equal(hits[0]?.similarity, null);
    assert.match(String(errors[0]), /503/);
    await assert.rejects(new KnowledgeBase(DOCS, { embedder: failing }).search({ text: 'cpu' }, 2), /503/);
    const short: Embedder = { embed: (texts) => Promise.resolve(texts.slice(1).map(() => [1])) };
    await assert.rejects(
      new KnowledgeBase(DOCS, { embedder: short }).search({ text: 'cpu' }, 2),
      /returned 4 vectors for 5 texts/
    );
  });
});
