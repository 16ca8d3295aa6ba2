import type { RcaResult, SemanticPayload } from '../reasoning/rootCause.ts';
import type { Queryable } from './store.ts';

export type Verdict = 'confirm' | 'reject';

export interface Feedback {
  service: string;
  verdict: Verdict;
  by: string | undefined;
  comment: string | undefined;
  remediation: string | undefined;
  at: Date;
}

export async function loadRca(db: Queryable, incidentId: string): Promise<RcaResult | undefined> {
  const { rows } = await db.query<{ result: RcaResult }>('select result from incident_rca where incident_id = $1', [
    incidentId,
  ]);
  return rows[0]?.result;
}

/** Replaces the incident's analysis, and the payload it was made from, with newer ones. */
export async function saveRca(db: Queryable, result: RcaResult, payload: SemanticPayload): Promise<void> {
  await db.query(
    `with saved as (
       insert into incident_rca (incident_id, analyzed_at, result, payload) values ($1, $2, $3::jsonb, $4::jsonb)
       on conflict (incident_id) do update set analyzed_at = excluded.analyzed_at, result = excluded.result, payload = excluded.payload
     )
     insert into engine_events (kind, subject, at) values ('rca.ready', $1, $2)`,
    [result.incidentId, new Date(result.analyzedAt), JSON.stringify(result), JSON.stringify(payload)]
  );
}

export async function loadPayload(db: Queryable, incidentId: string): Promise<SemanticPayload | undefined> {
  const { rows } = await db.query<{ payload: SemanticPayload | null }>(
    'select payload from incident_rca where incident_id = $1',
    [incidentId]
  );
  return rows[0]?.payload ?? undefined;
}

export async function saveFeedback(db: Queryable, incidentId: string, feedback: Feedback): Promise<void> {
  await db.query(
    'insert into rca_feedback (incident_id, service, verdict, by_user, comment, remediation, at) values ($1, $2, $3, $4, $5, $6, $7)',
    [
      incidentId,
      feedback.service,
      feedback.verdict,
      feedback.by ?? null,
      feedback.comment ?? null,
      feedback.remediation ?? null,
      feedback.at,
    ]
  );
}

/** The incident's feedback, oldest first. */
export async function loadFeedback(db: Queryable, incidentId: string): Promise<Feedback[]> {
  const { rows } = await db.query<{
    service: string;
    verdict: Verdict;
    by_user: string | null;
    comment: string | null;
    remediation: string | null;
    at: Date;
  }>(
    'select service, verdict, by_user, comment, remediation, at from rca_feedback where incident_id = $1 order by at, id',
    [incidentId]
  );
  return rows.map((row) => ({
    service: row.service,
    verdict: row.verdict,
    by: row.by_user ?? undefined,
    comment: row.comment ?? undefined,
    remediation: row.remediation ?? undefined,
    at: row.at,
  }));
}
