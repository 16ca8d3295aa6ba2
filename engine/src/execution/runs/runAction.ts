import type { ActionContext, ActionDefinition } from '../types.ts';

/** One attempt took longer than the step's timeout. */
export class StepTimeoutError extends Error {
  override name = 'StepTimeoutError';
}

/**
 * Runs one attempt of an action, aborting it after `timeoutMs` or when `stop` fires (shutdown, lost claim). The
 * answer does not wait for an action that ignores its signal: the attempt ends at the abort either way.
 */
export function runAction(
  action: ActionDefinition,
  input: unknown,
  context: Omit<ActionContext, 'signal'>,
  timeoutMs: number,
  stop: AbortSignal
): Promise<unknown> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new StepTimeoutError(`${action.name} timed out after ${timeoutMs} ms`)), timeoutMs);
  const signal = AbortSignal.any([timeout.signal, stop]);
  return new Promise<unknown>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error(`${action.name} was aborted`));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => action.run(input, { ...context, signal }))
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      });
  });
}
