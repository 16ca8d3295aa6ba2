import type { Change } from '../context/changes.ts';
import type { AgentRunRecord } from '../observability/agentRuns/agentRun.ts';
import { evidenceLine } from '../reasoning/llm/prompt.ts';
import { queryChanges } from '../store/changes.ts';
import { loadEvidence } from '../store/evidence.ts';
import { loadPayload, loadRca } from '../store/rca.ts';
import type { Queryable } from '../store/store.ts';
import { latestAnsweredAnalysis } from './humanVerdict.ts';
import type { JudgeInput } from './judgePrompt.ts';

export type JudgeInputResult = { ok: true; input: JudgeInput } | { ok: false; reason: string };

/** A change in a line, as the analysis's prompt shows it. */
function changeLine(change: Change): string {
  return [
    `${change.kind} service=${change.service} "${change.title}" from ${change.startsAt.toISOString()}`,
    change.endsAt === undefined ? '' : `to ${change.endsAt.toISOString()}`,
    change.version === undefined ? '' : `version=${change.version}`,
    change.description ?? '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/**
 * What the judge reads for an analysis run: each cause of its answer with the text of the evidence and changes it
 * cites, from the store. Only the incident's latest answered analysis still has its answer and evidence stored
 * (a newer analysis replaces both), so an older run cannot be judged.
 */
export async function judgeInputOf(db: Queryable, run: AgentRunRecord): Promise<JudgeInputResult> {
  const incidentId = run.incidentId;
  if (incidentId === null) {
    return { ok: false, reason: `Run ${run.id} belongs to no incident` };
  }
  const rca = await loadRca(db, incidentId);
  // The stored answer names the run that made it; answers saved untraced are the latest analysis's.
  const answeredBy = rca?.traceId ?? (await latestAnsweredAnalysis(db, incidentId));
  if (rca === undefined || answeredBy !== run.id) {
    return { ok: false, reason: `A newer analysis of incident ${incidentId} replaced the answer of run ${run.id}` };
  }
  if (rca.method !== 'llm' || rca.causes.length === 0) {
    return { ok: false, reason: `Incident ${incidentId} has no stored LLM answer to judge` };
  }
  const evidence = new Map(
    (await loadEvidence(db, incidentId))?.evidence.map((item) => [item.id, evidenceLine(item)]) ?? []
  );
  const cited = [...new Set(rca.causes.flatMap((cause) => cause.evidence))];
  const changeIds = cited.filter((id) => !evidence.has(id));
  const changes = changeIds.length === 0 ? [] : await queryChanges(db, { ids: changeIds, limit: changeIds.length });
  const texts = new Map([...evidence, ...changes.map((change): [string, string] => [change.id, changeLine(change)])]);
  const payload = await loadPayload(db, incidentId);
  return {
    ok: true,
    input: {
      incidentId,
      title: payload?.title ?? incidentId,
      causes: rca.causes.map((cause) => ({
        service: cause.service,
        indicator: cause.indicator,
        explanation: cause.explanation,
        evidence: cause.evidence.map((id) => ({ id, text: texts.get(id) })),
      })),
    },
  };
}
