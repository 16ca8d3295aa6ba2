import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { invalidInput } from '../invalidInput.ts';
import { parseTimeInput } from '../timeInput.ts';

/**
 * Changes (deploys, configuration changes, feature flags) as CI/CD pipelines and flag services post them. An
 * incident that starts while a change to one of its services is rolling out, or soon after, has it as a
 * candidate cause.
 */

export const CHANGE_KINDS = ['deploy', 'config', 'feature_flag', 'infrastructure', 'other'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });

export const ChangeInputSchema = Type.Object(
  {
    id: Type.Optional(Text(256, 'Your id for the change (a deploy id, a commit); posting the same id again updates it. Default: derived from service, kind, title and start')),
    kind: Type.Enum(CHANGE_KINDS, { description: 'deploy, config, feature_flag, infrastructure or other' }),
    service: Text(253, 'The service changed, as the CMDB and alerts name it'),
    title: Text(512, 'What changed, in a line: "checkout v2.4.1", "raise pool size to 50"'),
    description: Type.Optional(Type.String({ maxLength: 8192 })),
    startsAt: Text(64, 'When the change began rolling out: RFC 3339 or epoch milliseconds'),
    endsAt: Type.Optional(Text(64, 'When it finished; left out: a point in time')),
    author: Type.Optional(Text(256, 'Who made it')),
    version: Type.Optional(Text(256, 'The version deployed')),
    url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'Link to the pipeline run, pull request or flag' })),
    labels: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 1024 }), { maxProperties: 64 })),
  },
  { additionalProperties: false, title: 'ChangeInput' }
);
export type ChangeInput = Static<typeof ChangeInputSchema>;

export interface Change {
  id: string;
  kind: ChangeKind;
  service: string;
  title: string;
  description: string | undefined;
  startsAt: Date;
  endsAt: Date | undefined;
  author: string | undefined;
  version: string | undefined;
  url: string | undefined;
  labels: Record<string, string>;
}

/** A posted change as stored; `where` names it in errors (body/3). */
export function normalizeChange(input: ChangeInput, where: string): Change {
  const startsAt = parseTimeInput(input.startsAt, `${where}/startsAt`);
  const endsAt = input.endsAt === undefined ? undefined : parseTimeInput(input.endsAt, `${where}/endsAt`);
  if (endsAt !== undefined && endsAt < startsAt) {
    throw invalidInput(`${where}/endsAt must not be before ${where}/startsAt`);
  }
  const id = input.id ?? `chg_${createHash('sha256').update(`${input.service}\n${input.kind}\n${input.title}\n${startsAt}`).digest('hex').slice(0, 16)}`;
  return {
    id,
    kind: input.kind,
    service: input.service,
    title: input.title,
    description: input.description,
    startsAt: new Date(startsAt),
    endsAt: endsAt === undefined ? undefined : new Date(endsAt),
    author: input.author,
    version: input.version,
    url: input.url,
    labels: input.labels ?? {},
  };
}
