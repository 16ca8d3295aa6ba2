import { Type } from 'typebox';
import type { Static } from 'typebox';
import { parseTimeInput } from '../../timeInput.ts';
import type { ActionDefinition } from '../types.ts';
import { compact } from './chat.ts';
import { ActionFailed, excerpt, SecretName, sendJson } from './outbound.ts';
import type { DryRunOutput } from './outbound.ts';

/** A Grafana annotation through POST /api/annotations, authorized by a service-account token. */

const Time = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })], {
  description: 'Epoch milliseconds or an RFC 3339 time',
});

export const GrafanaAnnotationInputSchema = Type.Object(
  {
    grafanaUrl: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description: "Grafana's base URL; default the engine's Grafana setting",
      })
    ),
    tokenSecret: { ...SecretName, description: 'The secret holding a service-account token with annotations:write' },
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 30 })),
    time: Type.Optional(Time),
    timeEnd: Type.Optional(Time),
    dashboardUID: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'Without it the annotation is an organization one' })
    ),
    panelId: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false, title: 'grafana_annotation' }
);
export type GrafanaAnnotationInput = Static<typeof GrafanaAnnotationInputSchema>;

export interface GrafanaAnnotationOutput {
  status: number;
  /** The annotation's id, as Grafana answered it. */
  id: number | undefined;
}

export interface GrafanaAnnotationOptions {
  /** The Grafana URL from the engine's settings, read at run time so a settings change applies. */
  grafanaUrl?: () => string | undefined;
}

function baseUrl(input: GrafanaAnnotationInput, options: GrafanaAnnotationOptions): string {
  const url = input.grafanaUrl ?? options.grafanaUrl?.();
  if (url === undefined) {
    throw new ActionFailed(
      'grafana_annotation: no Grafana URL; give grafanaUrl or set the Grafana URL in Settings',
      false
    );
  }
  return url.replace(/\/+$/, '');
}

export function grafanaAnnotationAction(
  options: GrafanaAnnotationOptions = {}
): ActionDefinition<GrafanaAnnotationInput, DryRunOutput | GrafanaAnnotationOutput> {
  return {
    name: 'grafana_annotation',
    description: 'Add an annotation in Grafana (organization-wide, or on a dashboard and panel)',
    sideEffect: true,
    input: GrafanaAnnotationInputSchema,
    describe: (input) => {
      const where =
        input.dashboardUID === undefined
          ? ''
          : ` on dashboard ${input.dashboardUID}${input.panelId === undefined ? '' : ` panel ${input.panelId}`}`;
      const tags = input.tags === undefined || input.tags.length === 0 ? '' : ` tagged ${input.tags.join(', ')}`;
      return `Add a Grafana annotation${where}${tags}: ${excerpt(input.text)}`;
    },
    run: async (input, context) => {
      const time = input.time === undefined ? undefined : parseTimeInput(input.time, 'grafana_annotation time');
      const timeEnd =
        input.timeEnd === undefined ? undefined : parseTimeInput(input.timeEnd, 'grafana_annotation timeEnd');
      const sent = await sendJson(
        {
          action: 'grafana_annotation',
          method: 'POST',
          target: { url: `${baseUrl(input, options)}/api/annotations` },
          headers: { Authorization: { secret: input.tokenSecret, prefix: 'Bearer ' } },
          body: () =>
            compact({
              text: input.text,
              tags: input.tags,
              time,
              timeEnd,
              dashboardUID: input.dashboardUID,
              panelId: input.panelId,
            }),
        },
        context
      );
      if ('dryRun' in sent) {
        return sent;
      }
      const id =
        typeof sent.body === 'object' && sent.body !== null && 'id' in sent.body && typeof sent.body.id === 'number'
          ? sent.body.id
          : undefined;
      return { status: sent.status, id };
    },
  };
}
