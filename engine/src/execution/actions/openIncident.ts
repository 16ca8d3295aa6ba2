import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { IntakeOverloadedError } from '../../perception/alerts/intake.ts';
import type { RawAlert } from '../../perception/alerts/normalize.ts';
import { SEVERITIES } from '../../perception/alerts/types.ts';
import { parseTimeInput } from '../../timeInput.ts';
import type { ActionDefinition } from '../types.ts';
import { ActionFailed } from './outbound.ts';

/** Hands an alert to the engine's own intake, as a webhook would; answers the incidents it is in and whether it was new. */
export type IncidentOpener = (alert: RawAlert) => Promise<{ incidents: string[]; created: number }>;

export const OpenIncidentInputSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 512, description: 'e.g. "Degraded after deploy checkout v2.4.1"' }),
    service: Type.String({ minLength: 1, maxLength: 253, description: 'The affected service (CMDB name or a label value naming it)' }),
    severity: Type.Optional(Type.Enum(SEVERITIES, { description: 'Default warning' })),
    description: Type.Optional(Type.String({ maxLength: 8192 })),
    startsAt: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 64 })], {
        description: 'When the problem began (epoch ms or RFC 3339), e.g. "{{ change.startsAt }}"; default now. A fixed time keeps a retried step from opening a second one',
      })
    ),
    changeId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'A change this is about; the analysis ranks changes to the service in its window as candidate causes' })),
    labels: Type.Optional(Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String({ maxLength: 1024 }), { description: 'More alert labels, for grouping and tag rules' })),
  },
  { additionalProperties: false, title: 'open_incident' }
);
export type OpenIncidentInput = Static<typeof OpenIncidentInputSchema>;

export interface OpenIncidentOutput {
  incidentId: string | null;
  /** False when this step's alert was already stored (a retry): the incident is the one it opened before. */
  created: boolean;
  fingerprint: string;
}

/**
 * Opens an incident in IntelOps (no outbound call): a firing alert from source `generic` with alertname
 * `IntelOpsWorkflow`, grouped like any other, so the incident's own workflows and analysis follow. Its fingerprint
 * comes from the step's idempotency key, so a retry is a redelivery, not a second alert.
 */
export function openIncidentAction(open: IncidentOpener): ActionDefinition<OpenIncidentInput, OpenIncidentOutput> {
  return {
    name: 'open_incident',
    description: 'Open an incident in IntelOps (e.g. for a change that degraded its service), as an alert grouped like any other',
    sideEffect: false,
    input: OpenIncidentInputSchema,
    describe(input) {
      const change = input.changeId === undefined ? '' : ` about change ${input.changeId}`;
      return `open a ${input.severity ?? 'warning'} incident "${input.title}" on ${input.service}${change}`;
    },
    async run(input, context) {
      const fingerprint = createHash('sha256').update(`open_incident\u0000${context.idempotencyKey}`).digest('hex').slice(0, 16);
      const startsAt = new Date(input.startsAt === undefined ? Date.now() : parseTimeInput(input.startsAt, 'open_incident startsAt'));
      const receipt = await open({
        status: 'firing',
        fingerprint,
        startsAt,
        endsAt: undefined,
        title: input.title,
        severity: input.severity ?? 'warning',
        service: input.service,
        labels: {
          ...input.labels,
          alertname: 'IntelOpsWorkflow',
          service: input.service,
          ...(input.changeId === undefined ? {} : { change_id: input.changeId }),
        },
        annotations: { summary: input.title, ...(input.description === undefined ? {} : { description: input.description }) },
      }).catch((error: unknown) => {
        // A full intake queue empties within seconds: worth a retry, like a 503 from a webhook.
        throw error instanceof IntakeOverloadedError ? new ActionFailed(`open_incident: ${error.message}`, true) : error;
      });
      return { incidentId: receipt.incidents[0] ?? null, created: receipt.created > 0, fingerprint };
    },
  };
}
