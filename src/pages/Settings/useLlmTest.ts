import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasourceLookup } from '../../services/engineConnection';
import type { SourceSettingsValues } from '../../services/engineSettings';
import type { EngineRead } from '../../services/incidents';
import { type LlmTestOutcome, testLlm } from '../../services/llmTest';

/** The "Test LLM" button's state: not run, a call in flight, or what the last call came to. */
export type LlmTestView =
  { phase: 'idle' } | { phase: 'testing' } | { phase: 'done'; result: EngineRead<LlmTestOutcome> };

/** Runs the engine's LLM test call with the form's values; an edit of those values clears the result. */
export function useLlmTest(lookup: DatasourceLookup) {
  const [view, setView] = useState<LlmTestView>({ phase: 'idle' });
  // Each run or reset takes a new number: an answer for an older one is dropped.
  const latest = useRef(0);

  useEffect(
    () => () => {
      latest.current += 1;
    },
    []
  );

  const run = useCallback(
    (values: Pick<SourceSettingsValues, 'llmBaseUrl' | 'llmModel'>) => {
      const id = ++latest.current;
      setView({ phase: 'testing' });
      testLlm(lookup, values).then((result) => {
        if (latest.current === id) {
          setView({ phase: 'done', result });
        }
      });
    },
    [lookup]
  );

  const reset = useCallback(() => {
    latest.current += 1;
    setView({ phase: 'idle' });
  }, []);

  return { view, run, reset };
}
