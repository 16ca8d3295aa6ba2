import { loadKnowledgeDocuments } from '../../store/knowledge.ts';
import type { Queryable } from '../../store/store.ts';
import { KnowledgeBase } from './knowledgeBase.ts';
import type { KnowledgeBaseOptions } from './knowledgeBase.ts';
import { DEFAULT_RUNBOOKS_DIR, loadRunbooks } from './runbooks.ts';

export interface LoadKnowledgeOptions extends KnowledgeBaseOptions {
  /** The folder of markdown runbooks; the repository's knowledge/runbooks by default. */
  runbooksDir?: string;
  /** Where resolved incidents are stored; without it the base holds runbooks only. */
  db?: Queryable;
}

/** The runbooks from their folder and the documents from the database, indexed together. */
export async function loadKnowledgeBase(options: LoadKnowledgeOptions = {}): Promise<KnowledgeBase> {
  const runbooks = await loadRunbooks(options.runbooksDir ?? DEFAULT_RUNBOOKS_DIR);
  const stored = options.db === undefined ? [] : await loadKnowledgeDocuments(options.db);
  return new KnowledgeBase([...runbooks, ...stored], options);
}
