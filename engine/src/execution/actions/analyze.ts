import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { CauseIndicator, RcaResult } from '../../reasoning/rootCause.ts';
import type { ActionDefinition } from '../types.ts';
import { ActionFailed } from './outbound.ts';

/** Runs the engine's root-cause analysis of an incident, as POST …/analyze does; undefined when no such incident. */
export type IncidentAnalyzer = (incidentId: string) => Promise<RcaResult | undefined>;

export const AnalyzeInputSchema = Type.Object(
  {
    incidentId: Type.String({ minLength: 1, maxLength: 256, description: 'The incident, e.g. "{{ incident.id }}"' }),
  },
  { additionalProperties: false, title: 'analyze_incident' }
);
export type AnalyzeInput = Static<typeof AnalyzeInputSchema>;

export interface AnalyzeOutput {
  incidentId: string;
  method: RcaResult['method'];
  causes: Array<{ service: string; indicator: CauseIndicator; confidence: number }>;
  /** The analysis' agent run (GET /api/v1/runs/{id}). */
  traceId: string | null;
}

/**
 * Analyses an incident in the engine (no outbound call): evidence collected again, the top 3 root causes ranked and
 * stored, and rca.ready raised, so the incident's own workflows (incident response) follow. An analysis of the same
 * incident already running is joined, not repeated.
 */
export function analyzeAction(analyze: IncidentAnalyzer): ActionDefinition<AnalyzeInput, AnalyzeOutput> {
  return {
    name: 'analyze_incident',
    description: "Rank an incident's root causes now, as the Analyze button does; rca.ready follows",
    sideEffect: false,
    input: AnalyzeInputSchema,
    describe: (input) => `analyse incident ${input.incidentId} (evidence, top 3 root causes)`,
    async run(input) {
      const result = await analyze(input.incidentId);
      if (result === undefined) {
        throw new ActionFailed(`analyze_incident: no incident with id ${JSON.stringify(input.incidentId)}`, false);
      }
      return {
        incidentId: result.incidentId,
        method: result.method,
        causes: result.causes.map(({ service, indicator, confidence }) => ({ service, indicator, confidence })),
        traceId: result.traceId ?? null,
      };
    },
  };
}
