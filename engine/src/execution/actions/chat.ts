import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { ActionDefinition } from '../types.ts';
import { excerpt, SecretName, sendJson } from './outbound.ts';
import type { DryRunOutput, SentOutput } from './outbound.ts';

/**
 * Chat messages through incoming webhooks. The webhook URL is itself the credential (its path holds the token), so
 * it is always given as a secret name.
 */

const WebhookSecret = { ...SecretName, description: 'The secret holding the incoming webhook URL' };
const Text = Type.String({ minLength: 1, maxLength: 40_000 });
const Link = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 200 }), url: Type.String({ minLength: 1, maxLength: 2048 }) },
  { additionalProperties: false }
);

export const SlackInputSchema = Type.Object(
  {
    webhookSecret: WebhookSecret,
    text: { ...Text, description: 'The message (mrkdwn); also the notification text when blocks are given' },
    blocks: Type.Optional(
      Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 50, description: 'Block Kit blocks' })
    ),
    attachments: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 })),
    unfurlLinks: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, title: 'slack' }
);
export type SlackInput = Static<typeof SlackInputSchema>;

export const MattermostInputSchema = Type.Object(
  {
    webhookSecret: WebhookSecret,
    text: { ...Text, description: 'The message (Markdown)' },
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'Overrides the webhook channel when the webhook allows it',
      })
    ),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    iconUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    iconEmoji: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    attachments: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 })),
    props: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, title: 'mattermost' }
);
export type MattermostInput = Static<typeof MattermostInputSchema>;

export const TeamsInputSchema = Type.Object(
  {
    webhookSecret: WebhookSecret,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    text: { ...Text, description: 'The message (Markdown)' },
    facts: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String({ maxLength: 200 }), value: Type.String({ maxLength: 2000 }) },
          { additionalProperties: false }
        ),
        { maxItems: 30 }
      )
    ),
    links: Type.Optional(Type.Array(Link, { maxItems: 6 })),
    format: Type.Optional(
      Type.Union([Type.Literal('adaptive_card'), Type.Literal('message_card')], {
        description: 'adaptive_card (default; Teams Workflows webhooks) or message_card (legacy Office 365 connectors)',
      })
    ),
    themeColor: Type.Optional(Type.String({ pattern: '^#?[0-9A-Fa-f]{6}$', description: 'MessageCard accent colour' })),
  },
  { additionalProperties: false, title: 'teams' }
);
export type TeamsInput = Static<typeof TeamsInputSchema>;

type ChatOutput = DryRunOutput | SentOutput;

export const slackAction: ActionDefinition<SlackInput, ChatOutput> = {
  name: 'slack',
  description: 'Post a message to Slack through an incoming webhook',
  sideEffect: true,
  input: SlackInputSchema,
  describe: (input) =>
    `Post to Slack (webhook in secret ${input.webhookSecret}): ${excerpt(input.text)}${input.blocks === undefined ? '' : ` with ${input.blocks.length} blocks`}`,
  run: async (input, context) =>
    sendJson(
      {
        action: 'slack',
        method: 'POST',
        target: { secret: input.webhookSecret },
        body: () =>
          compact({
            text: input.text,
            blocks: input.blocks,
            attachments: input.attachments,
            unfurl_links: input.unfurlLinks,
          }),
      },
      context
    ),
};

export const mattermostAction: ActionDefinition<MattermostInput, ChatOutput> = {
  name: 'mattermost',
  description: 'Post a message to Mattermost through an incoming webhook',
  sideEffect: true,
  input: MattermostInputSchema,
  describe: (input) =>
    `Post to Mattermost${input.channel === undefined ? '' : ` channel ${input.channel}`} (webhook in secret ${input.webhookSecret}): ${excerpt(input.text)}`,
  run: async (input, context) =>
    sendJson(
      {
        action: 'mattermost',
        method: 'POST',
        target: { secret: input.webhookSecret },
        body: () =>
          compact({
            text: input.text,
            channel: input.channel,
            username: input.username,
            icon_url: input.iconUrl,
            icon_emoji: input.iconEmoji,
            attachments: input.attachments,
            props: input.props,
          }),
      },
      context
    ),
};

export const teamsAction: ActionDefinition<TeamsInput, ChatOutput> = {
  name: 'teams',
  description: 'Post a card to Microsoft Teams through an incoming webhook (Adaptive Card or legacy MessageCard)',
  sideEffect: true,
  input: TeamsInputSchema,
  describe: (input) =>
    `Post a Teams ${input.format === 'message_card' ? 'MessageCard' : 'Adaptive Card'} (webhook in secret ${input.webhookSecret}): ${excerpt(input.title ?? input.text)}`,
  run: async (input, context) =>
    sendJson(
      {
        action: 'teams',
        method: 'POST',
        target: { secret: input.webhookSecret },
        body: () => (input.format === 'message_card' ? messageCard(input) : adaptiveCardMessage(input)),
      },
      context
    ),
};

/** The legacy connector format: https://learn.microsoft.com/outlook/actionable-messages/message-card-reference */
export function messageCard(input: TeamsInput): Record<string, unknown> {
  return compact({
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: (input.title ?? input.text).slice(0, 256),
    themeColor: input.themeColor?.replace(/^#/, ''),
    title: input.title,
    text: input.text,
    sections: input.facts === undefined ? undefined : [{ facts: input.facts }],
    potentialAction: input.links?.map((link) => ({
      '@type': 'OpenUri',
      name: link.title,
      targets: [{ os: 'default', uri: link.url }],
    })),
  });
}

/** The message envelope Teams Workflows webhooks take, holding one Adaptive Card. */
export function adaptiveCardMessage(input: TeamsInput): Record<string, unknown> {
  const body: Array<Record<string, unknown>> = [];
  if (input.title !== undefined) {
    body.push({ type: 'TextBlock', text: input.title, weight: 'Bolder', size: 'Medium', wrap: true });
  }
  body.push({ type: 'TextBlock', text: input.text, wrap: true });
  if (input.facts !== undefined) {
    body.push({ type: 'FactSet', facts: input.facts.map((fact) => ({ title: fact.name, value: fact.value })) });
  }
  const card = compact({
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions: input.links?.map((link) => ({ type: 'Action.OpenUrl', title: link.title, url: link.url })),
  });
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

/** Drops undefined fields, so the receiver sees only what was given. */
export function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
