import type { Evidence } from '../perception/evidence.ts';
import type { SourceStates } from '../perception/collectEvidence.ts';
import type { Queryable } from './store.ts';

export interface StoredEvidence {
  collectedAt: Date;
  sources: SourceStates;
  evidence: Evidence[];
}

export async function loadEvidence(db: Queryable, incidentId: string): Promise<StoredEvidence | undefined> {
  const { rows } = await db.query<{ collected_at: Date; sources: SourceStates; evidence: Evidence[] }>(
    'select collected_at, sources, evidence from incident_evidence where incident_id = $1',
    [incidentId]
  );
  const row = rows[0];
  return row === undefined ? undefined : { collectedAt: row.collected_at, sources: row.sources, evidence: row.evidence };
}

/** Replaces the incident's evidence with a new collection. */
export async function saveEvidence(db: Queryable, incidentId: string, stored: StoredEvidence): Promise<void> {
  await db.query(
    `insert into incident_evidence (incident_id, collected_at, sources, evidence) values ($1, $2, $3::jsonb, $4::jsonb)
     on conflict (incident_id) do update set collected_at = excluded.collected_at, sources = excluded.sources, evidence = excluded.evidence`,
    [incidentId, stored.collectedAt, JSON.stringify(stored.sources), JSON.stringify(stored.evidence)]
  );
}
