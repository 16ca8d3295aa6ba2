import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import { type Approval, type Decision, decideApproval, type DecisionOutcome } from '../../services/workflowsRuns';

/** One approval's Approve/Reject: being sent, decided (the engine's answer), or refused/failed with the reason. */
export type DecisionState =
  | { phase: 'sending'; decision: Decision }
  | { phase: 'decided'; approval: Approval }
  | { phase: 'failed'; decision: Decision; message: string };

export type DecisionStates = Record<string, DecisionState>;

/** The approvals still pending after the decisions made on this page. */
export function stillPending(approvals: Approval[], decisions: DecisionStates): Approval[] {
  return approvals.filter((approval) => approval.state === 'pending' && decisions[approval.id]?.phase !== 'decided');
}

/** The pending approvals, then the ones decided on this page (the engine lists only pending ones). */
export function approvalsShown(pending: Approval[], decisions: DecisionStates): Approval[] {
  const decided = Object.values(decisions).flatMap((state) =>
    state.phase === 'decided' && !pending.some((approval) => approval.id === state.approval.id) ? [state.approval] : []
  );
  return [...pending, ...decided];
}

/** What a decision came to, from the engine's answer. */
export function decisionState(decision: Decision, result: EngineRead<DecisionOutcome>): DecisionState {
  if (result.state === 'no-datasource') {
    return { phase: 'failed', decision, message: 'No IntelOps datasource to send it through.' };
  }
  if (result.state === 'failed') {
    return { phase: 'failed', decision, message: result.message };
  }
  const outcome = result.value;
  return outcome.state === 'decided'
    ? { phase: 'decided', approval: outcome.approval }
    : { phase: 'failed', decision, message: outcome.message };
}

/** Sends Approve or Reject with a reason; one request per approval at a time. */
export function useApprovalDecisions(lookup: DatasourceLookup, onDecided: () => void) {
  const [decisions, setDecisions] = useState<DecisionStates>({});
  const mounted = useRef(true);
  const sending = useRef(new Set<string>());

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const decide = useCallback(
    (id: string, decision: Decision, reason: string) => {
      if (sending.current.has(id)) {
        return;
      }
      sending.current.add(id);
      setDecisions((states) => ({ ...states, [id]: { phase: 'sending', decision } }));
      decideApproval(lookup, id, decision, reason).then((result) => {
        sending.current.delete(id);
        if (!mounted.current) {
          return;
        }
        const state = decisionState(decision, result);
        setDecisions((states) => ({ ...states, [id]: state }));
        if (state.phase === 'decided') {
          onDecided();
        }
      });
    },
    [lookup, onDecided]
  );

  return { decisions, decide };
}
