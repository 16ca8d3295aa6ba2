import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { ChangeInputSchema, normalizeChange } from '../../context/changes.ts';
import type { Change } from '../../context/changes.ts';
import type { ActionDefinition } from '../types.ts';

/** Stores a change as POST /api/v1/changes does (a new one starts change.created workflows); answers whether it was new. */
export type ChangeRecorder = (change: Change) => Promise<{ created: number }>;

const { id, startsAt, ...changeFields } = ChangeInputSchema.properties;

export const RecordChangeInputSchema = Type.Object(
  {
    ...changeFields,
    id: Type.Optional({ ...id, description: "The change's id; default derived from the step, so a retried step updates the same change" }),
    startsAt: Type.Optional({ ...startsAt, description: 'When the change began (RFC 3339 or epoch ms); default now' }),
  },
  { additionalProperties: false, title: 'record_change' }
);
export type RecordChangeInput = Static<typeof RecordChangeInputSchema>;

export interface RecordChangeOutput {
  changeId: string;
  /** False when a retry (or a second run with the same id) updated the change stored before. */
  created: boolean;
}

/**
 * Records a change in IntelOps (no outbound call), e.g. the rollback or restart a remediation just made, so later
 * analyses rank it as a candidate cause and change.created workflows (change assessment) start for it.
 */
export function recordChangeAction(record: ChangeRecorder): ActionDefinition<RecordChangeInput, RecordChangeOutput> {
  return {
    name: 'record_change',
    description: 'Record a deploy, configuration change or feature flag in IntelOps, as POST /api/v1/changes does',
    sideEffect: false,
    input: RecordChangeInputSchema,
    describe: (input) => `record the ${input.kind.replace('_', ' ')} "${input.title}" on ${input.service}`,
    async run(input, context) {
      const changeId =
        input.id ?? `workflow-${createHash('sha256').update(`record_change\u0000${context.idempotencyKey}`).digest('hex').slice(0, 16)}`;
      const change = normalizeChange({ ...input, id: changeId, startsAt: input.startsAt ?? new Date().toISOString() }, 'with');
      const saved = await record(change);
      return { changeId, created: saved.created > 0 };
    },
  };
}
