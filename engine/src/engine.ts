import type { EngineConfig } from './config.ts';
import { ConfigError, ENV_VARS, redactDatabaseUrl } from './config.ts';
import type { Cmdb } from './context/cmdb.ts';
import { loadCmdbFiles } from './context/cmdbFiles.ts';
import type { EngineLogger } from './observability/logger.ts';
import { OnlineEvals } from './evals/onlineEvals.ts';
import { createMetrics } from './observability/metrics.ts';
import { configSecrets, openTracing } from './observability/tracing/openTracing.ts';
import type { EngineTracing } from './observability/tracing/openTracing.ts';
import { ENGINE_VERSION } from './version.ts';
import { AlertIntake } from './perception/alerts/intake.ts';
import { TemplateLibrary } from './perception/logs/templateLibrary.ts';
import { EventDispatcher } from './execution/events/eventDispatcher.ts';
import { openExecution } from './execution/openExecution.ts';
import type { Execution } from './execution/openExecution.ts';
import { loadKnowledgeBase } from './reasoning/knowledge/loadKnowledgeBase.ts';
import { RunbookError } from './reasoning/knowledge/runbooks.ts';
import { createLlmClient } from './reasoning/llm/client.ts';
import { llmResolver } from './reasoning/llm/llmFromSettings.ts';
import { openaiEmbedder } from './reasoning/llm/openaiEmbedder.ts';
import { analysisInputs } from './reasoning/analyze/analysisInputs.ts';
import { RcaService } from './reasoning/analyze/rcaService.ts';
import type { IntakeOptions } from './perception/alerts/intake.ts';
import { buildApp } from './server/app.ts';
import type { EngineApp } from './server/app.ts';
import { migrate } from './store/migrations.ts';
import { openStore } from './store/open.ts';
import { provisionSettings, readSettingsFile } from './settings/provisionSettings.ts';
import type { Store } from './store/store.ts';

export interface Engine {
  app: EngineApp;
  store: Store;
  intake: AlertIntake;
  /** Hands incident, analysis and change events from the outbox to their subscribers. */
  events: EventDispatcher;
  /** Workflows, their runs and approvals. */
  execution: Execution;
  /** Starts listening on config.host:config.port; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the store. */
  close(): Promise<void>;
}

/** What tests change beyond the configuration. */
export interface EngineOptions {
  clock?: () => Date;
  intake?: Omit<IntakeOptions, 'store' | 'logger' | 'metrics' | 'clock'>;
}

/** Wires the engine together: store, migrations, alert intake, HTTP app. main.ts and the tests both start it this way. */
/** The CMDB files of INTELOPS_CMDB_DIR; a bad file stops the start with its name and line. */
async function readCmdbFiles(config: EngineConfig, logger: EngineLogger): Promise<Cmdb | undefined> {
  if (config.cmdbDir === undefined) {
    return undefined;
  }
  try {
    const { cmdb, warnings } = await loadCmdbFiles(config.cmdbDir);
    for (const warning of warnings) {
      logger.warn({ warning }, 'CMDB file');
    }
    logger.info({ dir: config.cmdbDir, services: cmdb.services.length }, 'CMDB files loaded');
    return cmdb;
  } catch (error) {
    throw new ConfigError(`${ENV_VARS.cmdbDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function openEngine(config: EngineConfig, logger: EngineLogger, options: EngineOptions = {}): Promise<Engine> {
  const cmdbFiles = await readCmdbFiles(config, logger);
  const provisioned =
    config.settingsFile === undefined
      ? undefined
      : await readSettingsFile(config.settingsFile).catch((error: unknown) => {
          throw new ConfigError(`${ENV_VARS.settingsFile}: ${error instanceof Error ? error.message : String(error)}`);
        });
  const where = config.store.kind === 'postgres' ? redactDatabaseUrl(config.store.databaseUrl) : config.store.dataDir;
  logger.info({ store: config.store.kind, where }, 'opening store');
  const store = await openStore(config.store, {
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  });
  let app: EngineApp;
  let intake: AlertIntake | undefined;
  let events: EventDispatcher;
  let execution: Execution;
  let tracing: EngineTracing | undefined;
  // The online evals turn each recorded run into metrics and judge a sample; created once the LLM is known.
  let evals: OnlineEvals | undefined;
  let rca: RcaService | undefined;
  try {
    const { applied, alreadyApplied } = await migrate(store);
    logger.info({ applied, alreadyApplied }, applied.length > 0 ? 'migrations applied' : 'database schema up to date');
    if (provisioned !== undefined) {
      const added = await provisionSettings(store, provisioned);
      logger.info({ file: config.settingsFile, added }, added.length > 0 ? 'provisioned settings added' : 'provisioned settings already saved');
    }
    const metrics = createMetrics();
    // One tracer provider per engine: analyses, questions, drafts and workflow runs become agent runs (store + OTLP).
    tracing = openTracing({
      store,
      logger,
      version: ENGINE_VERSION,
      secrets: configSecrets(config),
      retentionMs: config.agentRunRetentionMs,
      onRunRecorded: (run, spans) => evals?.onRunRecorded(run, spans),
      costOf: (model, inputTokens, outputTokens) => evals?.costOf(model, inputTokens, outputTokens) ?? null,
    });
    intake = new AlertIntake({ ...options.intake, store, logger, metrics: metrics.alerts, clock: options.clock, cmdbFiles });
    await intake.start();
    events = new EventDispatcher({
      store,
      logger,
      clock: options.clock,
      onDispatched: (event) => metrics.execution.eventsDispatched.inc({ kind: event.kind }),
    });
    const sourceSecrets = { prometheusAuth: config.prometheusAuth, lokiAuth: config.lokiAuth, tempoAuth: config.tempoAuth };
    const llm = llmResolver(config, logger);
    evals = new OnlineEvals({ store, metrics: metrics.ai, logger, llm, configuredModels: [config.llm?.model], tracing, clock: options.clock });
    await evals.start();
    const library = await TemplateLibrary.open(store, metrics.perception);
    logger.info({ templates: library.size }, 'log templates loaded');
    // Embeddings index the knowledge base at start, so their endpoint is the configured one, not a setting.
    const embeddingModel = config.llm?.embeddingModel;
    const knowledge = await loadKnowledgeBase({
      db: store,
      runbooksDir: config.runbooksDir,
      embedder: config.llm === undefined || embeddingModel === undefined ? undefined : openaiEmbedder(createLlmClient(config.llm, { logger }), embeddingModel),
      onEmbeddingError: (error) => logger.warn({ err: error }, 'embeddings failed; knowledge search falls back to full text'),
    }).catch((error: unknown) => {
      // A runbook that cannot be read is named with its file and line, like any configuration error.
      throw error instanceof RunbookError ? new ConfigError(`${ENV_VARS.runbooksDir}: ${error.message}`) : error;
    });
    logger.info({ documents: knowledge.size, embeddings: embeddingModel !== undefined }, 'knowledge base loaded');
    const rcaService = new RcaService({
      store,
      knowledge,
      inputs: analysisInputs({ store, library, knowledge, sourceSecrets, cmdbFiles, grafanaToken: config.grafanaToken, llm, logger }),
      clock: options.clock ?? (() => new Date()),
      logger,
      metrics: metrics.reasoning,
      tracing,
    });
    rca = rcaService;
    // Workflows analyse incidents too (analyze_incident), as the Analyze button does.
    const analyze = async (incidentId: string) => {
      const incident = await rcaService.incident(incidentId);
      return incident === undefined ? undefined : rcaService.analyze(incident);
    };
    execution = await openExecution({ config, store, logger, events, sourceSecrets, clock: options.clock, llm, metrics: metrics.execution, intake, tracing, analyze });
    app = await buildApp({
      store,
      logger,
      metrics,
      token: config.token,
      bodyLimitBytes: config.bodyLimitBytes,
      secrets: { llmApiKeySet: config.llmApiKey !== undefined },
      startedAt: new Date(),
      intake,
      webhookToken: config.webhookToken,
      grafanaHmacSecret: config.grafanaHmacSecret,
      sourceSecrets,
      execution,
      library,
      knowledge,
      llm,
      cmdbFiles,
      grafanaToken: config.grafanaToken,
      clock: options.clock,
      tracing,
      evals,
      rca: rcaService,
    });
  } catch (error) {
    await intake?.close();
    await evals?.close();
    await tracing?.close();
    await store.close();
    throw error;
  }
  const traces = tracing;
  const judge = evals;
  const analyses = rca;
  const running = intake;
  const dispatcher = events;
  const workflows = execution;
  return {
    app,
    store,
    intake: running,
    events: dispatcher,
    execution: workflows,
    async listen() {
      const url = await app.listen({ host: config.host, port: config.port });
      dispatcher.start();
      await workflows.start();
      return url;
    },
    async close() {
      try {
        // Requests in flight wait for their intake batch, so the intake stops after the server.
        await app.close();
        await running.close();
        await dispatcher.stop();
        await workflows.close();
      } finally {
        // Analyses in flight (started with ?async=true or by a workflow) finish before the store closes.
        await analyses.idle();
        // Judgements in flight finish and are traced, and runs still being written are stored, before the store closes.
        await judge.close();
        await traces.close();
        await store.close();
      }
    },
  };
}
