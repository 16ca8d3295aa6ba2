import { invalidInput } from '../../invalidInput.ts';
import { saveKnowledgeDocument } from '../../store/knowledge.ts';
import type { Queryable } from '../../store/store.ts';
import { resolvedIncidentDocument, resolvedIncidentProblems } from './documents.ts';
import type { KnowledgeDocument, ResolvedIncident } from './documents.ts';
import type { KnowledgeBase } from './knowledgeBase.ts';

/**
 * Adds an incident whose root cause an SRE confirmed: stored (when a database is given) and then indexed, so
 * the next similar incident retrieves it. Confirming the same incident again replaces its document.
 * Invalid input is an InvalidInput (a 400) listing every problem.
 */
export async function addResolvedIncident(
  base: KnowledgeBase,
  incident: ResolvedIncident,
  db?: Queryable
): Promise<KnowledgeDocument> {
  const problems = resolvedIncidentProblems(incident);
  if (problems.length > 0) {
    throw invalidInput(`The resolved incident cannot be added: ${problems.join('; ')}`);
  }
  const document = resolvedIncidentDocument(incident);
  // Stored first: an index entry the database does not have would vanish at the next start.
  if (db !== undefined) {
    await saveKnowledgeDocument(db, document);
  }
  base.add(document);
  return document;
}
