import { findIncidents } from '../../../perception/alerts/incidentsQuery.ts';
import { AlertIntake } from '../../../perception/alerts/intake.ts';
import { TemplateLibrary } from '../../../perception/logs/templateLibrary.ts';
import { analysisInputs } from '../../../reasoning/analyze/analysisInputs.ts';
import { RcaService } from '../../../reasoning/analyze/rcaService.ts';
import { loadKnowledgeBase } from '../../../reasoning/knowledge/loadKnowledgeBase.ts';
import type { KnowledgeBase } from '../../../reasoning/knowledge/knowledgeBase.ts';
import { llmResolver } from '../../../reasoning/llm/llmFromSettings.ts';
import { saveChanges } from '../../../store/changes.ts';
import type { IncidentRecord } from '../../../store/incidents.ts';
import { migrate } from '../../../store/migrations.ts';
import { openStore } from '../../../store/open.ts';
import type { Store } from '../../../store/store.ts';
import { startOpenAiServer, testLlmConfig } from '../../../testing/openaiServer.ts';
import type { OpenAiServer, ScriptedReply } from '../../../testing/openaiServer.ts';
import { freshPgliteStore } from '../../../testing/stores.ts';
import { createLogger } from '../../logger.ts';
import type { EngineLogger } from '../../logger.ts';
import { createMetrics } from '../../metrics.ts';
import type { AgentTracing } from '../spans.ts';

/**
 * One checkout incident with a deploy five minutes before it, the shipped runbooks, and a local OpenAI-compatible
 * server scripted to answer an analysis in two rounds (a search_runbooks call, then causes: one citing the deploy,
 * one citing evidence that does not exist, which the guard drops). Tests and bench:tracing analyse it through the
 * real RcaService, with or without tracing.
 */

// An hour ago, on the minute: recent enough for a real Prometheus to hold series backfilled around it.
export const INCIDENT_START = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
export const NOW = new Date(INCIDENT_START + 30 * 60_000);
export const CHANGE_ID = 'deploy-42';
/** Token usage the scripted rounds report, in order. */
export const ROUND_USAGE = [
  { promptTokens: 910, completionTokens: 42 },
  { promptTokens: 1260, completionTokens: 88 },
] as const;

export interface AnalysisFixture {
  store: Store;
  llm: OpenAiServer;
  knowledge: KnowledgeBase;
  incident: IncidentRecord;
  logger: EngineLogger;
  /** An RcaService over the fixture (sources from the stored settings); `withLlm: false` leaves the answer to the ranking. */
  service(tracing: AgentTracing | undefined, options?: { withLlm?: boolean }): RcaService;
  /** Queues the LLM's two rounds for the next analysis. */
  scriptAnalysis(extra?: { content?: string }): void;
  close(): Promise<void>;
}

export interface AnalysisFixtureOptions {
  /** The LLM key the client sends (and the tracing must never show). */
  apiKey?: string;
  /** Appended to the alert's title, which reaches the prompt (to check redaction of secrets in prompts). */
  titleSuffix?: string;
  /** Services of the incident besides checkout. */
  services?: string[];
}

export async function analysisFixture(options: AnalysisFixtureOptions = {}): Promise<AnalysisFixture> {
  const fresh = await freshPgliteStore();
  const store = await openStore(fresh.config);
  const logger = createLogger('silent');
  const clock = () => NOW;
  let llm: OpenAiServer | undefined;
  try {
    await migrate(store);
    const intake = new AlertIntake({ store, logger, metrics: createMetrics().alerts, clock });
    await intake.start();
    const services = ['checkout', ...(options.services ?? [])];
    await intake.submit(
      'generic',
      services.map((service) => ({
        status: 'firing',
        labels: { alertname: `${service} errors high`, service },
        annotations: { summary: `${service} error rate above 5%${options.titleSuffix ?? ''}` },
        startsAt: new Date(INCIDENT_START),
        endsAt: undefined,
      }))
    );
    await intake.close();
    const incident = (await findIncidents(store, { limit: 1, withAlerts: false }, NOW)).incidents[0]?.incident;
    if (incident === undefined) {
      throw new Error('the fixture incident was not stored');
    }
    await saveChanges(
      store,
      [
        {
          id: CHANGE_ID,
          kind: 'deploy',
          service: 'checkout',
          title: 'checkout v2.4.1',
          description: 'New payment retry policy',
          startsAt: new Date(INCIDENT_START - 5 * 60_000),
          endsAt: undefined,
          author: 'ci',
          version: 'v2.4.1',
          url: undefined,
          labels: {},
        },
      ],
      NOW
    );
    const library = await TemplateLibrary.open(store);
    const knowledge = await loadKnowledgeBase({ db: store });
    const server = await startOpenAiServer();
    llm = server;
    const resolve = llmResolver(
      { llm: testLlmConfig(server.baseUrl, { apiKey: options.apiKey }), llmApiKey: options.apiKey },
      logger
    );
    const metrics = createMetrics().reasoning;
    const inputs = analysisInputs({ store, library, knowledge, sourceSecrets: {}, llm: resolve, logger });
    return {
      store,
      llm: server,
      knowledge,
      incident,
      logger,
      service: (tracing, { withLlm = true } = {}) =>
        new RcaService({
          store,
          knowledge,
          inputs: withLlm
            ? inputs
            : async () => ({ ...(await inputs()), llm: undefined, llmUnavailable: 'the deterministic ranking only' }),
          clock,
          logger,
          metrics,
          tracing,
        }),
      scriptAnalysis(extra = {}) {
        server.enqueue(
          {
            toolCalls: [
              { name: 'search_runbooks', arguments: JSON.stringify({ query: 'checkout errors after deploy' }) },
            ],
            usage: ROUND_USAGE[0],
          },
          {
            content:
              extra.content ??
              JSON.stringify({
                causes: [
                  {
                    service: 'checkout',
                    indicator: 'change',
                    confidence: 0.8,
                    evidence: [CHANGE_ID],
                    explanation: 'The deploy preceded the error rise.',
                    actions: ['Roll back checkout to v2.4.0'],
                  },
                  {
                    service: 'checkout',
                    indicator: 'errors',
                    confidence: 0.5,
                    evidence: ['ev_does_not_exist'],
                    explanation: 'Errors rose.',
                    actions: [],
                  },
                ],
              }),
            usage: ROUND_USAGE[1],
          }
        );
      },
      async close() {
        await server.close();
        await store.close();
        await fresh.remove();
      },
    };
  } catch (error) {
    await llm?.close();
    await store.close();
    await fresh.remove();
    throw error;
  }
}
