import { ConfigError, loadConfig } from './config.ts';
import type { EngineConfig } from './config.ts';
import { openEngine } from './engine.ts';
import type { Engine } from './engine.ts';
import { createLogger } from './observability/logger.ts';
import { ENGINE_VERSION } from './version.ts';

/** How long in-flight requests get after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): EngineConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`intelops-engine: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const config = readConfig();
const logger = createLogger(config.logLevel);

if (config.token === undefined) {
  logger.warn(
    { insecure: true },
    '!!! INSECURE MODE: no API token is set and INTELOPS_INSECURE=true. Anyone who can reach this port can read and change everything under /api/v1. Set INTELOPS_TOKEN for any shared or networked use. !!!'
  );
}

let engine: Engine;
try {
  engine = await openEngine(config, logger);
  const url = await engine.listen();
  logger.info({ url, version: ENGINE_VERSION, store: config.store.kind }, 'IntelOps engine started');
} catch (error) {
  if (error instanceof ConfigError) {
    // A configured file that is wrong (a CMDB file) is a configuration error: one line naming it, exit code 2.
    process.stderr.write(`intelops-engine: ${error.message}\n`);
    process.exit(2);
  }
  logger.fatal({ err: error }, 'the engine could not start');
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn({ signal }, 'second signal: exiting without waiting');
    process.exit(1);
  }
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  const force = setTimeout(() => {
    logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still running after the grace period; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  try {
    await engine.close();
    logger.info('engine stopped');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'error while shutting down');
    process.exit(1);
  }
}

process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));
