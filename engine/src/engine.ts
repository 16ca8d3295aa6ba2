import type { EngineConfig } from './config.ts';
import { redactDatabaseUrl } from './config.ts';
import type { EngineLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { AlertIntake } from './perception/alerts/intake.ts';
import { TemplateLibrary } from './perception/logs/templateLibrary.ts';
import type { IntakeOptions } from './perception/alerts/intake.ts';
import { buildApp } from './server/app.ts';
import type { EngineApp } from './server/app.ts';
import { migrate } from './store/migrations.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';

export interface Engine {
  app: EngineApp;
  store: Store;
  intake: AlertIntake;
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
export async function openEngine(config: EngineConfig, logger: EngineLogger, options: EngineOptions = {}): Promise<Engine> {
  const where = config.store.kind === 'postgres' ? redactDatabaseUrl(config.store.databaseUrl) : config.store.dataDir;
  logger.info({ store: config.store.kind, where }, 'opening store');
  const store = await openStore(config.store, {
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  });
  let app: EngineApp;
  let intake: AlertIntake | undefined;
  try {
    const { applied, alreadyApplied } = await migrate(store);
    logger.info({ applied, alreadyApplied }, applied.length > 0 ? 'migrations applied' : 'database schema up to date');
    const metrics = createMetrics();
    intake = new AlertIntake({ ...options.intake, store, logger, metrics: metrics.alerts, clock: options.clock });
    await intake.start();
    const library = await TemplateLibrary.open(store, metrics.perception);
    logger.info({ templates: library.size }, 'log templates loaded');
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
      sourceSecrets: { prometheusAuth: config.prometheusAuth, lokiAuth: config.lokiAuth, tempoAuth: config.tempoAuth },
      library,
      clock: options.clock,
    });
  } catch (error) {
    await intake?.close();
    await store.close();
    throw error;
  }
  const running = intake;
  return {
    app,
    store,
    intake: running,
    listen: () => app.listen({ host: config.host, port: config.port }),
    async close() {
      try {
        // Requests in flight wait for their intake batch, so the intake stops after the server.
        await app.close();
        await running.close();
      } finally {
        await store.close();
      }
    },
  };
}
