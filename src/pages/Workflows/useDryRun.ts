import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import { isOpenRun, loadRun, type RunDetail, startRun } from '../../services/workflowsRuns';

/** A dry run of one workflow: being started, going on (with its steps so far), finished, or refused/failed. */
export type DryRunView =
  | { phase: 'idle' }
  | { phase: 'starting'; workflow: string }
  | { phase: 'running'; workflow: string; runId: string; run?: RunDetail }
  | { phase: 'done'; workflow: string; run: RunDetail }
  | { phase: 'failed'; workflow: string; message: string };

/** How often a dry run's detail is read again while it goes on. */
export const DRY_RUN_POLL_MS = 1000;

/** Starts a dry run and follows it until it ends; starting another, or `reset`, drops the one before. */
export function useDryRun(lookup: DatasourceLookup, pollMs = DRY_RUN_POLL_MS) {
  const [view, setView] = useState<DryRunView>({ phase: 'idle' });
  // Each start or reset takes a new number: answers for an older run are dropped.
  const latest = useRef(0);

  useEffect(
    () => () => {
      latest.current += 1;
    },
    []
  );

  const follow = useCallback(
    async (id: number, workflow: string, runId: string) => {
      while (latest.current === id) {
        const result = await loadRun(lookup, runId);
        if (latest.current !== id) {
          return;
        }
        if (result.state !== 'ok') {
          const message = result.state === 'failed' ? result.message : 'No IntelOps datasource to read the run from.';
          setView({ phase: 'failed', workflow, message });
          return;
        }
        if (!isOpenRun(result.value.status)) {
          setView({ phase: 'done', workflow, run: result.value });
          return;
        }
        setView({ phase: 'running', workflow, runId, run: result.value });
        await new Promise((done) => setTimeout(done, pollMs));
      }
    },
    [lookup, pollMs]
  );

  const start = useCallback(
    async (workflow: string, inputs?: Record<string, unknown>) => {
      const id = ++latest.current;
      setView({ phase: 'starting', workflow });
      const result = await startRun(lookup, workflow, { dryRun: true, ...(inputs ? { inputs } : {}) });
      if (latest.current !== id) {
        return;
      }
      if (result.state !== 'ok') {
        const message = result.state === 'failed' ? result.message : 'No IntelOps datasource to start the run through.';
        setView({ phase: 'failed', workflow, message });
        return;
      }
      if (result.value.state === 'refused') {
        setView({ phase: 'failed', workflow, message: result.value.message });
        return;
      }
      setView({ phase: 'running', workflow, runId: result.value.id });
      await follow(id, workflow, result.value.id);
    },
    [lookup, follow]
  );

  const reset = useCallback(() => {
    latest.current += 1;
    setView({ phase: 'idle' });
  }, []);

  return { view, start, reset };
}
