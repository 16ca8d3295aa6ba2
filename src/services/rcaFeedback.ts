import { createContext } from 'react';
import { config } from '@grafana/runtime';
import { EngineClient, type EngineFetch } from '../datasource/engineClient';
import { describeEngineFailure } from '../datasource/engineStatus';
import { postFeedback, type Verdict } from '../datasource/rootCauses';

/** One cause's confirm/reject button pair: waiting, sent, or failed with the reason. */
export type FeedbackState =
  | { phase: 'idle' }
  | { phase: 'pending'; verdict: Verdict }
  | { phase: 'done'; verdict: Verdict }
  | { phase: 'error'; verdict: Verdict; message: string };

/** Feedback states by service. */
export type FeedbackStates = Record<string, FeedbackState>;

export type FeedbackEvent =
  | { type: 'send'; service: string; verdict: Verdict }
  | { type: 'sent'; service: string; verdict: Verdict }
  | { type: 'failed'; service: string; verdict: Verdict; message: string };

export const IDLE: FeedbackState = { phase: 'idle' };

export function feedbackReducer(states: FeedbackStates, event: FeedbackEvent): FeedbackStates {
  switch (event.type) {
    case 'send':
      // A second click while one is in flight is ignored: the engine keeps every verdict.
      return states[event.service]?.phase === 'pending'
        ? states
        : { ...states, [event.service]: { phase: 'pending', verdict: event.verdict } };
    case 'sent':
      return { ...states, [event.service]: { phase: 'done', verdict: event.verdict } };
    case 'failed':
      return { ...states, [event.service]: { phase: 'error', verdict: event.verdict, message: event.message } };
  }
}

export function feedbackStatusText(state: FeedbackState): string {
  switch (state.phase) {
    case 'idle':
      return '';
    case 'pending':
      return state.verdict === 'confirm' ? 'Confirming…' : 'Rejecting…';
    case 'done':
      return state.verdict === 'confirm' ? 'Confirmed' : 'Rejected';
    case 'error':
      return `Not saved: ${state.message}`;
  }
}

/** The signed-in Grafana user's login, recorded with a verdict; undefined outside Grafana. */
export function currentUserLogin(): string | undefined {
  const user: unknown = config.bootData?.user;
  const login: unknown = typeof user === 'object' && user !== null ? Reflect.get(user, 'login') : undefined;
  return typeof login === 'string' && login !== '' ? login : undefined;
}

/** How requests reach Grafana's data proxy: getBackendSrv().fetch unless a test or the browser harness provides one. */
export const EngineFetchContext = createContext<EngineFetch | undefined>(undefined);

/** Sends one verdict through the IntelOps datasource's engine route; a failure becomes a sentence. */
export function feedbackSender(
  target: { engineUrl: string; incidentId: string; engineName: string },
  send: EngineFetch | undefined,
  login: string | undefined
) {
  const client = new EngineClient(target.engineUrl, send);
  return async (service: string, verdict: Verdict): Promise<string | undefined> => {
    try {
      await postFeedback(client, target.incidentId, { service, verdict, ...(login ? { by: login } : {}) });
      return undefined;
    } catch (error) {
      return describeEngineFailure(error, target.engineName);
    }
  };
}
