import type { HumanVerdictRecord } from '../observability/agentRuns/agentRun.ts';
import { listAgentRuns, setHumanVerdict } from '../store/agentRuns.ts';
import type { Queryable } from '../store/store.ts';

export interface VerdictInput {
  service: string;
  verdict: HumanVerdictRecord['verdict'];
  by: string | undefined;
  at: Date;
}

/** The latest analysis of the incident that answered: the one whose causes a person sees and judges. */
export async function latestAnsweredAnalysis(db: Queryable, incidentId: string): Promise<string | undefined> {
  const [run] = await listAgentRuns(db, { incidentId, kinds: ['analyze'], statuses: ['ok'], limit: 1 });
  return run?.id;
}

/**
 * Stores a person's verdict on the analysis run whose answer they judged (the one the answer names, else the
 * incident's latest), with the cause's rank in that answer (null when the service was not among its causes), so
 * accuracy can be computed per run. False when no analysis run was recorded.
 */
export async function recordHumanVerdict(
  db: Queryable,
  incidentId: string,
  input: VerdictInput,
  answer: { causes: ReadonlyArray<{ service: string }>; traceId?: string | undefined } | undefined
): Promise<boolean> {
  const causes = answer?.causes;
  const runId = answer?.traceId ?? (await latestAnsweredAnalysis(db, incidentId));
  if (runId === undefined) {
    return false;
  }
  const index = causes?.findIndex((cause) => cause.service === input.service) ?? -1;
  return setHumanVerdict(db, runId, {
    verdict: input.verdict,
    service: input.service,
    rank: index < 0 ? null : index + 1,
    by: input.by ?? 'anonymous',
    at: input.at.toISOString(),
  });
}
