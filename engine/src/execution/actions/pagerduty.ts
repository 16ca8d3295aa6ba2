import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { ActionDefinition } from '../types.ts';
import { compact } from './chat.ts';
import { ActionFailed, excerpt, SecretName, sendJson } from './outbound.ts';
import type { DryRunOutput } from './outbound.ts';

/** PagerDuty Events API v2: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ */

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;

/** IntelOps and common severity words → the four PagerDuty accepts. */
const SEVERITY: Record<string, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  major: 'error',
  error: 'error',
  warning: 'warning',
  medium: 'warning',
  minor: 'warning',
  low: 'info',
  info: 'info',
};

export const PagerDutyInputSchema = Type.Object(
  {
    routingKeySecret: { ...SecretName, description: 'The secret holding the integration (routing) key' },
    action: Type.Optional(
      Type.Union([Type.Literal('trigger'), Type.Literal('acknowledge'), Type.Literal('resolve')], {
        description: 'Default trigger',
      })
    ),
    dedupKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_DEDUP_KEY,
        description: "Default: the step's idempotency key; acknowledge and resolve need the trigger's",
      })
    ),
    summary: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: 'Needed to trigger; cut to 1024 characters' })
    ),
    source: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'The affected system (default intelops)' })
    ),
    severity: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        description: `Default error; one of ${Object.keys(SEVERITY).join(', ')}`,
      })
    ),
    component: Type.Optional(Type.String({ maxLength: 255 })),
    group: Type.Optional(Type.String({ maxLength: 255 })),
    class: Type.Optional(Type.String({ maxLength: 255 })),
    customDetails: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    links: Type.Optional(
      Type.Array(
        Type.Object(
          {
            href: Type.String({ minLength: 1, maxLength: 2048 }),
            text: Type.Optional(Type.String({ maxLength: 256 })),
          },
          { additionalProperties: false }
        ),
        { maxItems: 20 }
      )
    ),
    client: Type.Optional(Type.String({ maxLength: 255 })),
    clientUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    url: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description: `Default ${PAGERDUTY_EVENTS_URL} (EU accounts: https://events.eu.pagerduty.com/v2/enqueue)`,
      })
    ),
  },
  { additionalProperties: false, title: 'pagerduty' }
);
export type PagerDutyInput = Static<typeof PagerDutyInputSchema>;

export interface PagerDutyOutput {
  status: number;
  dedupKey: string;
  message: string | undefined;
}

export function pagerDutySeverity(severity: string | undefined): 'critical' | 'error' | 'warning' | 'info' {
  const mapped = SEVERITY[(severity ?? 'error').trim().toLowerCase()];
  if (mapped === undefined) {
    throw new ActionFailed(
      `pagerduty: severity ${JSON.stringify(severity)} is not one of ${Object.keys(SEVERITY).join(', ')}`,
      false
    );
  }
  return mapped;
}

/** PagerDuty keys are at most 255 characters: a longer idempotency key is hashed, still stable per step. */
function dedupKeyOf(input: PagerDutyInput, idempotencyKey: string): string {
  if (input.dedupKey !== undefined) {
    return input.dedupKey;
  }
  if ((input.action ?? 'trigger') !== 'trigger') {
    throw new ActionFailed(
      `pagerduty: ${input.action ?? ''} needs the dedupKey of the alert it acts on (e.g. the trigger step's output.dedupKey)`,
      false
    );
  }
  return idempotencyKey.length <= MAX_DEDUP_KEY
    ? idempotencyKey
    : createHash('sha256').update(idempotencyKey).digest('hex');
}

function eventBody(input: PagerDutyInput, dedupKey: string, routingKey: string): Record<string, unknown> {
  const action = input.action ?? 'trigger';
  const event: Record<string, unknown> = { routing_key: routingKey, event_action: action, dedup_key: dedupKey };
  if (action !== 'trigger') {
    return event;
  }
  if (input.summary === undefined) {
    throw new ActionFailed('pagerduty: trigger needs a summary', false);
  }
  const summary = input.summary.length > MAX_SUMMARY ? `${input.summary.slice(0, MAX_SUMMARY - 1)}…` : input.summary;
  return compact({
    ...event,
    payload: compact({
      summary,
      source: input.source ?? 'intelops',
      severity: pagerDutySeverity(input.severity),
      component: input.component,
      group: input.group,
      class: input.class,
      custom_details: input.customDetails,
    }),
    links: input.links,
    client: input.client ?? 'IntelOps',
    client_url: input.clientUrl,
  });
}

export const pagerDutyAction: ActionDefinition<PagerDutyInput, DryRunOutput | PagerDutyOutput> = {
  name: 'pagerduty',
  description:
    'Trigger, acknowledge or resolve a PagerDuty alert (Events API v2); the dedup key defaults to the step idempotency key',
  sideEffect: true,
  input: PagerDutyInputSchema,
  describe: (input) => {
    const action = input.action ?? 'trigger';
    const what =
      action === 'trigger'
        ? `a ${pagerDutySeverity(input.severity)} alert ${excerpt(input.summary ?? '')}`
        : `alert ${input.dedupKey ?? '(no dedupKey given)'}`;
    return `${action[0]?.toUpperCase() ?? ''}${action.slice(1)} PagerDuty ${what} (routing key in secret ${input.routingKeySecret})`;
  },
  run: async (input, context) => {
    const dedupKey = dedupKeyOf(input, context.idempotencyKey);
    const sent = await sendJson(
      {
        action: 'pagerduty',
        method: 'POST',
        target: { url: input.url ?? PAGERDUTY_EVENTS_URL },
        body: (reveal) => eventBody(input, dedupKey, reveal(input.routingKeySecret)),
      },
      context
    );
    if ('dryRun' in sent) {
      return sent;
    }
    const answer = typeof sent.body === 'object' && sent.body !== null ? sent.body : {};
    const answered = 'dedup_key' in answer && typeof answer.dedup_key === 'string' ? answer.dedup_key : dedupKey;
    const message = 'message' in answer && typeof answer.message === 'string' ? answer.message : undefined;
    return { status: sent.status, dedupKey: answered, message };
  },
};
