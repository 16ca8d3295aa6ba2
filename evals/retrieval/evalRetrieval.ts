import { existsSync } from 'node:fs';
import path from 'node:path';
import { KnowledgeBase } from '../../engine/src/reasoning/knowledge/knowledgeBase.ts';
import type { Embedder } from '../../engine/src/reasoning/knowledge/embeddings.ts';
import { loadRunbooks } from '../../engine/src/reasoning/knowledge/runbooks.ts';
import { firstRelevantRank, retrievalMetrics } from './metrics.ts';
import type { RetrievalMetrics } from './metrics.ts';
import { loadQueries } from './queries.ts';

export const REPORTED_KS = [1, 3, 5] as const;
/** MRR is computed over this many results; a document ranked lower counts as not retrieved. */
export const RANKING_DEPTH = 10;

export interface QueryResult {
  text: string;
  services: string[];
  tags: string[];
  expect: string[];
  /** Runbook files, best first, at most RANKING_DEPTH. */
  ranking: string[];
  /** Rank of the first expected runbook, or null when it is not in the ranking. */
  rank: number | null;
}

export interface RetrievalReport extends RetrievalMetrics {
  runbooks: number;
  hybrid: boolean;
  results: QueryResult[];
}

/**
 * Indexes `<data>/runbooks/*.md`, runs every query of `<data>/eval/queries.yaml` through the knowledge base's
 * real search and scores the rankings. An expected file that is not a runbook is an error, not a miss.
 */
export async function evalRetrieval(
  dataDir: string,
  options: { embedder?: Embedder; ks?: readonly number[] } = {}
): Promise<RetrievalReport> {
  const runbooksDir = path.join(dataDir, 'runbooks');
  const queriesFile = path.join(dataDir, 'eval', 'queries.yaml');
  if (!existsSync(runbooksDir) || !existsSync(queriesFile)) {
    throw new Error(`${dataDir} must hold runbooks/*.md and eval/queries.yaml`);
  }
  const runbooks = await loadRunbooks(runbooksDir);
  const files = new Set(runbooks.map((runbook) => runbook.source));
  const queries = loadQueries(queriesFile);
  for (const query of queries) {
    for (const file of query.expect) {
      if (!files.has(file)) {
        throw new Error(`${queriesFile}, line ${query.line}: expected runbook ${file} is not in ${runbooksDir}`);
      }
    }
  }
  const base = new KnowledgeBase(runbooks, { embedder: options.embedder });
  const results: QueryResult[] = [];
  for (const query of queries) {
    const hits = await base.search({ text: query.text, services: query.services, tags: query.tags }, RANKING_DEPTH);
    const ranking = hits.map((hit) => hit.source);
    results.push({
      text: query.text,
      services: query.services,
      tags: query.tags,
      expect: query.expect,
      ranking,
      rank: firstRelevantRank(ranking, query.expect),
    });
  }
  const ks = [...new Set([...REPORTED_KS, ...(options.ks ?? [])])].sort((a, b) => a - b);
  return {
    ...retrievalMetrics(
      results.map((result) => result.rank),
      ks
    ),
    runbooks: runbooks.length,
    hybrid: options.embedder !== undefined,
    results,
  };
}
