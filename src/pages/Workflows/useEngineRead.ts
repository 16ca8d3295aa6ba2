import { useCallback, useEffect, useState } from 'react';
import type { EngineDatasource } from '../../services/engineConnection';
import type { EngineRead } from '../../services/incidents';

/** One read from the engine as a page part shows it. */
export type ReadView<T> =
  | { phase: 'loading' }
  | { phase: 'no-datasource' }
  | { phase: 'error'; message: string; datasource?: EngineDatasource }
  /** `refreshError`: the last read again failed; what shows is from before it. */
  | { phase: 'data'; value: T; refreshError?: string };

export const LOADING = { phase: 'loading' } as const;

/** The view after a read: a failed refresh keeps what was shown and says why it is not newer. */
export function nextReadView<T>(previous: ReadView<T>, result: EngineRead<T>): ReadView<T> {
  switch (result.state) {
    case 'ok':
      return { phase: 'data', value: result.value };
    case 'no-datasource':
      return { phase: 'no-datasource' };
    case 'failed':
      return previous.phase === 'data'
        ? { phase: 'data', value: previous.value, refreshError: result.message }
        : { phase: 'error', message: result.message, datasource: result.datasource };
  }
}

interface Options<T> {
  /** Read again every this many milliseconds while `repeatWhile` holds for the value shown. */
  repeatMs?: number;
  repeatWhile?: (value: T) => boolean;
}

/**
 * Reads with `read` whenever it changes (a new request) or `reload` is called; a new request starts from the
 * loading state, a reload keeps what shows until the answer comes.
 */
export function useEngineRead<T>(read: (() => Promise<EngineRead<T>>) | undefined, options: Options<T> = {}) {
  const [shown, setShown] = useState<{ read: typeof read; view: ReadView<T> }>({ read, view: LOADING });
  const [round, setRound] = useState(0);
  const { repeatMs, repeatWhile } = options;

  useEffect(() => {
    if (read === undefined) {
      return undefined;
    }
    let current = true;
    read().then((result) => {
      if (current) {
        setShown((previous) => ({
          read,
          view: nextReadView(previous.read === read ? previous.view : LOADING, result),
        }));
      }
    });
    return () => {
      current = false;
    };
  }, [read, round]);

  const view: ReadView<T> = shown.read === read ? shown.view : LOADING;
  const repeating =
    repeatMs !== undefined && view.phase === 'data' && repeatWhile !== undefined && repeatWhile(view.value);

  useEffect(() => {
    if (!repeating) {
      return undefined;
    }
    const timer = setTimeout(() => setRound((n) => n + 1), repeatMs);
    return () => clearTimeout(timer);
  }, [repeating, repeatMs, view]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { view, reload };
}
