import type { Embedder } from '../knowledge/embeddings.ts';
import type { LlmClient } from './client.ts';

/** Embeddings from the configured endpoint's `/embeddings`, one vector per text, in the order given. */
export function openaiEmbedder(client: Pick<LlmClient, 'openai'>, model: string): Embedder {
  return {
    async embed(texts: string[]): Promise<number[][]> {
      if (texts.length === 0) {
        return [];
      }
      const response = await client.openai.embeddings.create({ model, input: texts, encoding_format: 'float' });
      const vectors: number[][] = new Array<number[]>(texts.length);
      // The API returns an index per vector; order is not promised.
      for (const item of response.data) {
        if (item.index < 0 || item.index >= texts.length) {
          throw new Error(`embeddings endpoint returned index ${item.index} for ${texts.length} inputs`);
        }
        vectors[item.index] = item.embedding;
      }
      const missing = texts.findIndex((_, index) => vectors[index] === undefined);
      if (missing >= 0) {
        throw new Error(
          `embeddings endpoint returned ${response.data.length} vectors for ${texts.length} inputs (none for input ${missing})`
        );
      }
      return vectors;
    },
  };
}
