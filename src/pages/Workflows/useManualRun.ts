import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';
import { startRun, type StartOutcome } from '../../services/workflowsRuns';

/** A run a person starts by hand: being sent, or refused (the engine's 400 names the input) or failed. */
export type ManualRunView =
  | { phase: 'idle' }
  | { phase: 'sending' }
  | { phase: 'refused'; message: string }
  | { phase: 'failed'; message: string };

/** What a start came to: the new run's id, or what the form shows. */
export function manualRunOutcome(result: EngineRead<StartOutcome>): { id: string } | ManualRunView {
  switch (result.state) {
    case 'no-datasource':
      return { phase: 'failed', message: 'No IntelOps datasource to start the run through.' };
    case 'failed':
      return { phase: 'failed', message: result.message };
    case 'ok':
      return result.value.state === 'started'
        ? { id: result.value.id }
        : { phase: 'refused', message: result.value.message };
  }
}

/** Starts a real run with inputs (POST …/runs); `onStarted` gets the new run's id. One start at a time. */
export function useManualRun(lookup: DatasourceLookup, onStarted: (id: string) => void) {
  const [view, setView] = useState<ManualRunView>({ phase: 'idle' });
  const mounted = useRef(true);
  const sending = useRef(false);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const start = useCallback(
    (workflow: string, inputs: Record<string, unknown>) => {
      if (sending.current) {
        return;
      }
      sending.current = true;
      setView({ phase: 'sending' });
      startRun(lookup, workflow, { dryRun: false, inputs }).then((result) => {
        sending.current = false;
        if (!mounted.current) {
          return;
        }
        const outcome = manualRunOutcome(result);
        if ('id' in outcome) {
          setView({ phase: 'idle' });
          onStarted(outcome.id);
        } else {
          setView(outcome);
        }
      });
    },
    [lookup, onStarted]
  );

  const reset = useCallback(() => setView({ phase: 'idle' }), []);
  return { view, start, reset };
}
