import type { KnowledgeDocument, ResolvedIncident } from '../reasoning/knowledge/documents.ts';
import type { Queryable } from './store.ts';

/** A document as stored: the same fields, with SQL's null for a runbook's missing incident. */
type Row = Omit<KnowledgeDocument, 'incident'> & { incident: ResolvedIncident | null };

/** Every stored knowledge document, oldest first (so a later one wins when ids repeat across sources). */
export async function loadKnowledgeDocuments(db: Queryable): Promise<KnowledgeDocument[]> {
  const { rows } = await db.query<Row>(
    'select id, kind, title, body, services, tags, signals, source, incident from knowledge_documents order by created_at, id'
  );
  return rows.map((row) => {
    const document: KnowledgeDocument = {
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      services: row.services,
      tags: row.tags,
      signals: row.signals,
      source: row.source,
    };
    return row.incident === null ? document : { ...document, incident: row.incident };
  });
}

/** Inserts a document or replaces the one with the same id (its creation time stays). */
export async function saveKnowledgeDocument(db: Queryable, document: KnowledgeDocument): Promise<void> {
  await db.query(
    `insert into knowledge_documents (id, kind, title, body, services, tags, signals, source, incident)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8, $9::jsonb)
     on conflict (id) do update set kind = excluded.kind, title = excluded.title, body = excluded.body,
       services = excluded.services, tags = excluded.tags, signals = excluded.signals, source = excluded.source,
       incident = excluded.incident, updated_at = now()`,
    [
      document.id,
      document.kind,
      document.title,
      document.body,
      JSON.stringify(document.services),
      JSON.stringify(document.tags),
      JSON.stringify(document.signals),
      document.source,
      document.incident === undefined ? null : JSON.stringify(document.incident),
    ]
  );
}

/** Deletes a document; false when there was none with that id. */
export async function deleteKnowledgeDocument(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from knowledge_documents where id = $1', [id]);
  return rowCount > 0;
}
