import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { quote } from '../../invalidInput.ts';
import type { PerceptionMetrics } from '../../observability/metrics.ts';
import { findIncidents } from '../../perception/alerts/incidentsQuery.ts';
import { collectEvidence, UNCONFIGURED } from '../../perception/collectEvidence.ts';
import type { SourceState, SourceStates } from '../../perception/collectEvidence.ts';
import type { TemplateLibrary } from '../../perception/logs/templateLibrary.ts';
import type { GoldenSignalsConfig } from '../../perception/metrics/goldenSignals.ts';
import type { Sources } from '../../sources/fromSettings.ts';
import { loadEvidence, saveEvidence } from '../../store/evidence.ts';
import type { Store } from '../../store/store.ts';
import { ErrorResponseSchema, errorBody } from '../errors.ts';

export interface EvidenceRoutesOptions {
  store: Store;
  /** The source clients and golden-signal queries, from the current settings. */
  perception: () => Promise<{ sources: Sources; goldenSignals: GoldenSignalsConfig | undefined }>;
  library: TemplateLibrary;
  clock: () => Date;
  metrics: PerceptionMetrics;
}

const SourceStateSchema = Type.Object({
  state: Type.String({ enum: ['ok', 'unconfigured', 'error'], description: 'ok: configured (and answered, once collected)' }),
  message: Type.Optional(Type.String()),
});

export const EvidenceSchema = Type.Object(
  {
    id: Type.String({ description: 'Stable id that reasoning cites' }),
    kind: Type.String({ enum: ['log_template', 'metric_anomaly', 'trace_errors', 'trace_latency'] }),
    service: Type.Optional(Type.String()),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    summary: Type.String(),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    link: Type.Object({
      datasource: Type.String({ enum: ['prometheus', 'loki', 'tempo'] }),
      query: Type.String({ description: 'PromQL, LogQL or TraceQL that reproduces it in Explore' }),
    }),
    details: Type.Object({}, { additionalProperties: true, description: 'Per kind: template and counts, signal and onset, edges and trace ids' }),
  },
  { title: 'Evidence' }
);

const EvidenceListSchema = Type.Object(
  {
    incidentId: Type.String(),
    collectedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null until evidence is first collected' }),
    sources: Type.Object({ prometheus: SourceStateSchema, loki: SourceStateSchema, tempo: SourceStateSchema }),
    evidence: Type.Array(EvidenceSchema, { description: 'Strongest first' }),
  },
  { title: 'IncidentEvidence' }
);

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

function configured(sources: Sources): SourceStates {
  const state = (client: unknown): SourceState => (client === undefined ? UNCONFIGURED : { state: 'ok' });
  return { prometheus: state(sources.prometheus), loki: state(sources.loki), tempo: state(sources.tempo) };
}

/** GET and POST /api/v1/incidents/{id}/evidence: the stored evidence, and collecting it (again). */
export const evidenceRoutes: FastifyPluginAsyncTypebox<EvidenceRoutesOptions> = async (app, { store, perception, library, clock, metrics }) => {
  const findIncident = async (id: string) => (await findIncidents(store, { ids: [id], limit: 1, withAlerts: false }, clock())).incidents[0];
  const notFound = (id: string) => errorBody(404, `No incident with id ${quote(id)}`);

  app.get(
    '/incidents/:id/evidence',
    {
      schema: {
        summary: 'The evidence collected for an incident',
        tags: ['incidents'],
        params: Params,
        response: { 200: EvidenceListSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((await findIncident(id)) === undefined) {
        return reply.code(404).send(notFound(id));
      }
      const stored = await loadEvidence(store, id);
      if (stored === undefined) {
        return { incidentId: id, collectedAt: null, sources: configured((await perception()).sources), evidence: [] };
      }
      return { incidentId: id, collectedAt: stored.collectedAt.toISOString(), sources: stored.sources, evidence: stored.evidence };
    }
  );

  app.post(
    '/incidents/:id/evidence',
    {
      schema: {
        summary: 'Collect the incident’s evidence from Loki, Prometheus and Tempo now, replacing what was stored',
        tags: ['incidents'],
        params: Params,
        response: { 200: EvidenceListSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const found = await findIncident(id);
      if (found === undefined) {
        return reply.code(404).send(notFound(id));
      }
      const { incident } = found;
      const { sources, goldenSignals } = await perception();
      const stopTimer = metrics.evidenceDuration.startTimer();
      const collected = await collectEvidence(
        { id, services: incident.services, startsAt: incident.startsAt, endsAt: incident.endsAt },
        { sources, library, goldenSignals },
        clock()
      );
      stopTimer();
      for (const [source, { state }] of Object.entries(collected.sources)) {
        metrics.evidenceCollections.inc({ source, state });
      }
      await saveEvidence(store, id, collected);
      return { incidentId: id, collectedAt: collected.collectedAt.toISOString(), sources: collected.sources, evidence: collected.evidence };
    }
  );
};
