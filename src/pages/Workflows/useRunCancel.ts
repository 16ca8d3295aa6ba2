import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import { type CancelOutcome, cancelRun } from '../../services/workflowsRuns';

/** Cancelling one run: being sent, done, or refused (409: it already ended; 404) or failed, in the engine's words. */
export type CancelView =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'cancelled' }
  | { phase: 'refused'; message: string }
  | { phase: 'failed'; message: string };

export function cancelView(result: EngineRead<CancelOutcome>): CancelView {
  switch (result.state) {
    case 'no-datasource':
      return { phase: 'failed', message: 'No IntelOps datasource to send it through.' };
    case 'failed':
      return { phase: 'failed', message: result.message };
    case 'ok':
      return result.value.state === 'cancelled'
        ? { phase: 'cancelled' }
        : { phase: 'refused', message: result.value.message };
  }
}

/**
 * Cancels the run shown; `onDone` reads the run and the list again, after a cancel and after a refusal alike
 * (a 409 means the run ended meanwhile). What shows belongs to one run: another run starts idle.
 */
export function useRunCancel(lookup: DatasourceLookup, runId: string | undefined, onDone: () => void) {
  const [state, setState] = useState<{ runId?: string; view: CancelView }>({ view: { phase: 'idle' } });
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const view: CancelView = state.runId === runId ? state.view : { phase: 'idle' };
  const sending = view.phase === 'sending';

  const cancel = useCallback(
    (reason: string) => {
      if (runId === undefined || sending) {
        return;
      }
      setState({ runId, view: { phase: 'sending' } });
      cancelRun(lookup, runId, reason).then((result) => {
        if (!mounted.current) {
          return;
        }
        setState({ runId, view: cancelView(result) });
        onDone();
      });
    },
    [lookup, runId, sending, onDone]
  );

  return { view, cancel };
}
