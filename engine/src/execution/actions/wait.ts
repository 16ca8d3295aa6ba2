import { Type } from 'typebox';
import type { Static } from 'typebox';
import { parseTimeInput } from '../../timeInput.ts';
import type { ActionDefinition } from '../types.ts';
import { parseDuration } from './inspection.ts';
import { ActionFailed } from './outbound.ts';

/** Longer holds are more likely a typo (15d for 15m) than a plan; a schedule trigger fits those better. */
export const MAX_HOLD_MS = 7 * 86_400_000;

export const WaitInputSchema = Type.Object(
  {
    for: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}(s|m|h|d)$', description: 'How long to wait, e.g. 15m; after `until` when both are given' })),
    until: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })], {
        description: 'A time to wait for (epoch ms or RFC 3339), e.g. "{{ change.endsAt }}"; a time already past does not wait',
      })
    ),
  },
  { additionalProperties: false, minProperties: 1, title: 'wait' }
);
export type WaitInput = Static<typeof WaitInputSchema>;

function holdUntil(input: WaitInput, firstLook: Date): Date {
  const base = input.until === undefined ? firstLook.getTime() : parseTimeInput(input.until, 'wait until');
  const until = base + (input.for === undefined ? 0 : parseDuration(input.for));
  if (until - firstLook.getTime() > MAX_HOLD_MS) {
    throw new ActionFailed(`wait: ${new Date(until).toISOString()} is more than 7 days away; use a schedule trigger for longer`, false);
  }
  return new Date(until);
}

/**
 * Holds the run, e.g. to let a change settle before checking it. The run is parked in the store, not in a timer:
 * no worker is held, and a restart resumes it at the same time.
 */
export const waitAction: ActionDefinition<WaitInput, { resumedAt: string }> = {
  name: 'wait',
  description: 'Wait for a while or until a time before the next step (durable across restarts)',
  sideEffect: false,
  input: WaitInputSchema,
  describe(input) {
    const until = input.until === undefined ? '' : ` until ${typeof input.until === 'number' ? new Date(input.until).toISOString() : input.until}`;
    const extra = input.for === undefined ? '' : input.until === undefined ? ` ${input.for}` : ` and ${input.for} more`;
    return `wait${until}${extra}`;
  },
  holdUntil,
  run() {
    return Promise.resolve({ resumedAt: new Date().toISOString() });
  },
};
