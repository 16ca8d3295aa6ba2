// One entry for every shop service and the load generator: `node demo/shop/main.ts <service|load>` (or SHOP_SERVICE).
import { createLogger } from './logs.ts';
import { runLoad } from './load.ts';
import { startService } from './service.ts';
import { DEFAULT_PORTS, isShopService, SHOP_SERVICES, urlVariable } from './topology.ts';
import type { ShopService } from './topology.ts';
import { openTracing } from './tracing.ts';

const name = process.argv[2] ?? process.env.SHOP_SERVICE ?? '';

/** Where a service is reached: SHOP_<NAME>_URL, else its compose host name and default port. */
function downstreamUrls(): Record<ShopService, string> {
  const urls = {} as Record<ShopService, string>;
  for (const service of SHOP_SERVICES) {
    urls[service] = process.env[urlVariable(service)] ?? `http://${service}:${DEFAULT_PORTS[service]}`;
  }
  return urls;
}

function positiveNumber(variable: string, fallback: number): number {
  const text = process.env[variable];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${variable} must be a positive number, not ${JSON.stringify(text)}`);
  }
  return value;
}

async function main(): Promise<void> {
  if (name === 'load') {
    const controller = new AbortController();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => controller.abort());
    }
    const frontendUrl = downstreamUrls().frontend;
    const rate = positiveNumber('LOAD_RATE', 5);
    process.stdout.write(
      `${JSON.stringify({ level: 'info', service: 'load', msg: `sending ${rate} visits/s to ${frontendUrl}` })}\n`
    );
    await runLoad({ frontendUrl, rate, signal: controller.signal });
    return;
  }
  if (!isShopService(name)) {
    throw new Error(
      `say which service to run: one of ${SHOP_SERVICES.join(', ')} or load (got ${JSON.stringify(name)})`
    );
  }
  const tracing = openTracing(name);
  const logger = createLogger({ service: name, lokiUrl: process.env.LOKI_URL || undefined });
  const port = process.env.PORT === undefined ? DEFAULT_PORTS[name] : Number(process.env.PORT);
  const running = await startService({
    service: name,
    port,
    host: process.env.HOST,
    downstream: downstreamUrls(),
    tracer: tracing.tracer,
    logger,
  });
  logger.log(
    'info',
    `${name} listening on port ${new URL(running.url).port}`,
    { traces: tracing.exporting ? 'otlp' : 'off' },
    true
  );
  const stop = async () => {
    await running.close();
    await tracing.close();
    await logger.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void stop());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
