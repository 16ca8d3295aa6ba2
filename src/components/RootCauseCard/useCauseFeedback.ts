import { useCallback, useReducer } from 'react';
import type { Verdict } from '../../datasource/rootCauses';
import { feedbackReducer, IDLE, type FeedbackState } from '../../services/rcaFeedback';

/** Sends a verdict and answers undefined, or the reason it was not saved. */
export type SendVerdict = (service: string, verdict: Verdict) => Promise<string | undefined>;

/** Each cause's feedback state, and the function the confirm/reject buttons call. */
export function useCauseFeedback(send: SendVerdict | undefined) {
  const [states, dispatch] = useReducer(feedbackReducer, {});
  const give = useCallback(
    (service: string, verdict: Verdict) => {
      if (!send) {
        return;
      }
      dispatch({ type: 'send', service, verdict });
      send(service, verdict).then((message) =>
        dispatch(
          message === undefined ? { type: 'sent', service, verdict } : { type: 'failed', service, verdict, message }
        )
      );
    },
    [send]
  );
  const stateOf = useCallback((service: string): FeedbackState => states[service] ?? IDLE, [states]);
  return { stateOf, give };
}
