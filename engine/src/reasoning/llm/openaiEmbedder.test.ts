import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EMBEDDING_DIMENSIONS, startOpenAiServer, wordVector } from '../../testing/openaiServer.ts';
import type { OpenAiServer } from '../../testing/openaiServer.ts';
import { KnowledgeBase } from '../knowledge/knowledgeBase.ts';
import { createLlmClient } from './client.ts';
import { openaiEmbedder } from './openaiEmbedder.ts';

describe('openaiEmbedder', () => {
  let server: OpenAiServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });
  const client = () =>
    createLlmClient({
      baseUrl: server.baseUrl,
      model: 'chat',
      apiKey: 'sk-embed',
      timeoutMs: 2000,
      maxRetries: 0,
      tokenBudget: 12000,
      embeddingModel: 'embed-small',
      apiVersion: undefined,
    });

  it('embeds texts through /embeddings, in the order given', async () => {
    const embedder = openaiEmbedder(client(), 'embed-small');
    const vectors = await embedder.embed(['redis memory full', 'payment declined']);
    assert.deepEqual(vectors, [wordVector('redis memory full'), wordVector('payment declined')]);
    assert.equal(vectors[0]?.length, EMBEDDING_DIMENSIONS);
    const request = server.requests.at(-1);
    assert.equal(request?.path, '/v1/embeddings');
    assert.deepEqual(request?.body, {
      model: 'embed-small',
      input: ['redis memory full', 'payment declined'],
      encoding_format: 'float',
    });
    assert.deepEqual(await embedder.embed([]), []);
  });

  it('fails on an endpoint error, and a knowledge base then ranks by BM25 alone', async () => {
    const errors: unknown[] = [];
    const knowledge = new KnowledgeBase(
      [
        {
          id: 'runbook:redis.md',
          kind: 'runbook',
          title: 'Redis memory',
          body: 'Evict keys when redis memory is full.',
          services: [],
          tags: [],
          signals: [],
          source: 'redis.md',
        },
      ],
      { embedder: openaiEmbedder(client(), 'embed-small'), onEmbeddingError: (error) => errors.push(error) }
    );
    const hybrid = await knowledge.search({ text: 'redis memory' });
    assert.equal(hybrid[0]?.id, 'runbook:redis.md');
    assert.ok(hybrid[0]?.similarity !== null && (hybrid[0]?.similarity ?? 0) > 0.5);

    server.enqueueEmbeddings({ status: 500, body: { error: { message: 'model not loaded' } } });
    await assert.rejects(openaiEmbedder(client(), 'embed-small').embed(['x']), /model not loaded/);
  });
});
