import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { ActionDefinition } from '../types.ts';
import { ActionFailed, HeaderValuesSchema, HttpMethodSchema, SecretName, sendJson, shownTarget } from './outbound.ts';
import type { DryRunOutput, SentOutput, Target } from './outbound.ts';

/** The generic JSON webhook (Jira, ServiceNow and the like) and the remediation call share their request fields. */
const Request = {
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'The URL, when it holds no secret' })),
  urlSecret: Type.Optional({ ...SecretName, description: 'The secret holding the URL, when the URL carries a token' }),
  method: Type.Optional({ ...HttpMethodSchema, description: 'Default POST' }),
  headers: Type.Optional(HeaderValuesSchema),
  body: Type.Optional(Type.Unknown({ description: 'Sent as JSON' })),
};

export const WebhookInputSchema = Type.Object(Request, { additionalProperties: false, title: 'webhook' });
export type WebhookInput = Static<typeof WebhookInputSchema>;

export const RemediationInputSchema = Type.Object(
  {
    ...Request,
    expectStatus: Type.Optional(
      Type.Union(
        [
          Type.Integer({ minimum: 100, maximum: 599 }),
          Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, maxItems: 16 }),
        ],
        {
          description: 'The status (or statuses) that mean the automation accepted the job; default any 2xx',
        }
      )
    ),
  },
  { additionalProperties: false, title: 'remediation' }
);
export type RemediationInput = Static<typeof RemediationInputSchema>;

/** Exactly one of url and urlSecret. */
export function targetOf(input: { url?: string | undefined; urlSecret?: string | undefined }, action: string): Target {
  if (input.url !== undefined && input.urlSecret === undefined) {
    return { url: input.url };
  }
  if (input.urlSecret !== undefined && input.url === undefined) {
    return { secret: input.urlSecret };
  }
  throw new ActionFailed(`${action}: give either url or urlSecret (exactly one)`, false);
}

function describeRequest(verb: string, input: WebhookInput): string {
  const target =
    input.url === undefined && input.urlSecret === undefined ? '(no URL given)' : shownTarget(targetOf(input, verb));
  const secrets = Object.values(input.headers ?? {}).flatMap((value) =>
    typeof value === 'string' ? [] : [value.secret]
  );
  const auth =
    secrets.length === 0 ? '' : ` with secret${secrets.length > 1 ? 's' : ''} ${secrets.join(', ')} in headers`;
  return `${verb} ${input.method ?? 'POST'} ${target}${input.body === undefined ? '' : ' with a JSON body'}${auth}`;
}

export const webhookAction: ActionDefinition<WebhookInput, DryRunOutput | SentOutput> = {
  name: 'webhook',
  description: 'Send JSON to a URL (Jira, ServiceNow or any tool with an HTTP API); headers may carry secrets by name',
  sideEffect: true,
  input: WebhookInputSchema,
  describe: (input) => describeRequest('Send', input),
  run: async (input, context) =>
    sendJson(
      {
        action: 'webhook',
        method: input.method ?? 'POST',
        target: targetOf(input, 'webhook'),
        headers: input.headers,
        body: input.body === undefined ? undefined : () => input.body,
      },
      context
    ),
};

export const remediationAction: ActionDefinition<RemediationInput, DryRunOutput | SentOutput> = {
  name: 'remediation',
  description: 'Start a script or runbook automation over HTTP and return what it answered (parsed when JSON)',
  sideEffect: true,
  input: RemediationInputSchema,
  describe: (input) => {
    const expected =
      input.expectStatus === undefined ? '' : `, expecting HTTP ${[input.expectStatus].flat().join(' or ')}`;
    return `${describeRequest('Run remediation:', input)}${expected}`;
  },
  run: async (input, context) => {
    const expected = input.expectStatus === undefined ? undefined : new Set([input.expectStatus].flat());
    return sendJson(
      {
        action: 'remediation',
        method: input.method ?? 'POST',
        target: targetOf(input, 'remediation'),
        headers: input.headers,
        body: input.body === undefined ? undefined : () => input.body,
        accept: expected === undefined ? undefined : (status) => expected.has(status),
      },
      context
    );
  },
};
