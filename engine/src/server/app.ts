import Fastify from 'fastify';
import type { FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EngineLogger } from '../observability/logger.ts';
import type { EngineMetrics } from '../observability/metrics.ts';
import type { OnlineEvals } from '../evals/onlineEvals.ts';
import type { AgentTracing } from '../observability/tracing/spans.ts';
import type { AlertIntake } from '../perception/alerts/intake.ts';
import type { TemplateLibrary } from '../perception/logs/templateLibrary.ts';
import { incidentQuestions } from '../reasoning/analyze/askIncident.ts';
import type { RcaService } from '../reasoning/analyze/rcaService.ts';
import type { Cmdb } from '../context/cmdb.ts';
import type { Execution } from '../execution/openExecution.ts';
import type { KnowledgeBase } from '../reasoning/knowledge/knowledgeBase.ts';
import type { LlmChoice } from '../reasoning/llm/llmFromSettings.ts';
import { sourcesFromSettings } from '../sources/fromSettings.ts';
import type { SourceSecrets } from '../sources/fromSettings.ts';
import { loadSettings } from '../store/settings.ts';
import type { SecretFlags, Settings } from '../settings/settings.ts';
import type { Store } from '../store/store.ts';
import { ENGINE_VERSION } from '../version.ts';
import { API_PREFIX, authPlugin } from './auth.ts';
import { bodiesPlugin } from './bodies.ts';
import { errorsPlugin, formatValidationError } from './errors.ts';
import { httpMetricsPlugin } from './http-metrics.ts';
import { openapiPlugin } from './openapi.ts';
import { createValidatorCompiler } from './validation.ts';
import { agentRunRoutes } from './routes/agentRuns.ts';
import { evalsRoutes } from './routes/evals.ts';
import { alertRoutes } from './routes/alerts.ts';
import { cmdbRoutes } from './routes/cmdb.ts';
import { healthRoutes } from './routes/health.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { changeRoutes } from './routes/changes.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { queryRoutes } from './routes/query.ts';
import { rcaRoutes } from './routes/rca.ts';
import { askRoutes } from './routes/ask.ts';
import { llmTestRoutes } from './routes/llmTest.ts';
import { tagRulesRoutes } from './routes/tagRules.ts';
import { workflowRunRoutes } from './routes/workflowRuns.ts';
import { workflowDraftRoutes } from './routes/workflowDraft.ts';
import { workflowsRoutes } from './routes/workflows.ts';
import { settingsRoutes } from './routes/settings.ts';
import { statusRoutes } from './routes/status.ts';

export type EngineApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  EngineLogger,
  TypeBoxTypeProvider
>;

export interface AppDeps {
  store: Store;
  logger: EngineLogger;
  metrics: EngineMetrics;
  /** undefined only in insecure mode. */
  token: string | undefined;
  bodyLimitBytes: number;
  secrets: SecretFlags;
  startedAt: Date;
  intake: AlertIntake;
  /** Accepted on the alert intake routes besides the API token. */
  webhookToken?: string;
  grafanaHmacSecret?: string;
  /** Credentials for Prometheus, Loki and Tempo; their URLs come from the stored settings. */
  sourceSecrets: SourceSecrets;
  library: TemplateLibrary;
  /** Runbooks and resolved incidents. */
  knowledge: KnowledgeBase;
  /** The CMDB from INTELOPS_CMDB_DIR, under the one saved through the API. */
  cmdbFiles?: Cmdb | undefined;
  /** Reads change annotations from Grafana. */
  grafanaToken?: string | undefined;
  /** The LLM reasoning uses, from the settings over the configuration, or why there is none. */
  llm: (settings: Settings['llm']) => LlmChoice;
  /** Workflows, their runs and approvals. */
  execution: Execution;
  /** Root-cause analyses (shared with workflows' analyze_incident). */
  rca: RcaService;
  /** The engine's clock; tests pass their own. */
  clock?: () => Date;
  /** Analyses, questions and drafts become agent runs (traces) when given. */
  tracing?: AgentTracing | undefined;
  /** Online evals: judges runs on demand and follows the settings' prices and thresholds. */
  evals: OnlineEvals;
}

/** The HTTP layer: one plugin per concern, then the routes per resource. Does not listen. */
export async function buildApp(deps: AppDeps): Promise<EngineApp> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    schemaErrorFormatter: formatValidationError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(createValidatorCompiler());

  const clock = deps.clock ?? (() => new Date());
  await app.register(errorsPlugin, { bodyLimitBytes: deps.bodyLimitBytes });
  await app.register(bodiesPlugin);
  await app.register(httpMetricsPlugin, { metrics: deps.metrics });
  await app.register(authPlugin, {
    token: deps.token,
    webhookToken: deps.webhookToken,
    grafanaHmacSecret: deps.grafanaHmacSecret,
    now: () => clock().getTime(),
  });
  await app.register(openapiPlugin, { version: ENGINE_VERSION });

  await app.register(healthRoutes, { store: deps.store, registry: deps.metrics.registry });
  await app.register(statusRoutes, { prefix: API_PREFIX, storeKind: deps.store.kind, startedAt: deps.startedAt });
  const contextChanged = () => deps.intake.contextChanged();
  const settingsSaved = () => {
    contextChanged();
    // Prices and model names apply to the next recorded run.
    deps.evals.settingsChanged().catch((error: unknown) => deps.logger.warn({ err: error }, 'the evals could not re-read the settings'));
  };
  await app.register(settingsRoutes, { prefix: API_PREFIX, store: deps.store, secrets: deps.secrets, onSaved: settingsSaved });
  await app.register(alertRoutes, { prefix: API_PREFIX, intake: deps.intake, store: deps.store, metrics: deps.metrics.alerts });
  await app.register(incidentRoutes, { prefix: API_PREFIX, store: deps.store, clock });
  await app.register(cmdbRoutes, { prefix: API_PREFIX, store: deps.store, onSaved: contextChanged, cmdbFiles: deps.cmdbFiles });
  await app.register(changeRoutes, { prefix: API_PREFIX, store: deps.store, clock });
  await app.register(tagRulesRoutes, { prefix: API_PREFIX, store: deps.store });
  const { catalog, runner } = deps.execution;
  // Schedules follow edits made through the API at once (files are read at start).
  await app.register(workflowsRoutes, { prefix: API_PREFIX, catalog, onChanged: () => deps.execution.workflowsChanged() });
  await app.register(workflowDraftRoutes, { prefix: API_PREFIX, store: deps.store, llm: deps.llm, actions: deps.execution.actions, tracing: deps.tracing });
  await app.register(workflowRunRoutes, {
    prefix: API_PREFIX,
    runner,
    workflow: async (name) => {
      const found = await catalog.get(name);
      return found !== undefined && 'workflow' in found ? found.workflow : undefined;
    },
  });
  // Clients follow the settings: a URL saved with PUT /api/v1/settings applies to the next query.
  const perception = async () => {
    const settings = await loadSettings(deps.store);
    return { sources: sourcesFromSettings(settings, deps.sourceSecrets), goldenSignals: settings.goldenSignals };
  };
  const sources = async () => (await perception()).sources;
  await app.register(queryRoutes, { prefix: API_PREFIX, sources, library: deps.library });
  await app.register(evidenceRoutes, { prefix: API_PREFIX, store: deps.store, perception, library: deps.library, clock, metrics: deps.metrics.perception });
  await app.register(rcaRoutes, { prefix: API_PREFIX, rca: deps.rca });
  await app.register(askRoutes, { prefix: API_PREFIX, ask: incidentQuestions({ ...deps, clock, metrics: deps.metrics.reasoning }) });
  await app.register(llmTestRoutes, { prefix: API_PREFIX, store: deps.store, llm: deps.llm });
  await app.register(agentRunRoutes, { prefix: API_PREFIX, store: deps.store });
  await app.register(evalsRoutes, { prefix: API_PREFIX, store: deps.store, clock, judge: (runId) => deps.evals.judge(runId) });
  return app;
}
