import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { Store } from '../../store/store.ts';

export interface HealthRoutesOptions {
  store: Store;
  registry: Registry;
  /** How long /readyz waits for the store before answering 503. */
  readyTimeoutMs?: number;
}

/** Probes and scrapes arrive every few seconds: log them only when something is wrong. */
const PROBE_LOG_LEVEL = 'warn';

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  store: Type.String(),
  message: Type.Optional(Type.String()),
});

/** Liveness, readiness and Prometheus metrics: no token, so orchestrators and scrapers can reach them. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, options) => {
  const { store, registry, readyTimeoutMs = 2000 } = options;

  app.get(
    '/healthz',
    {
      logLevel: PROBE_LOG_LEVEL,
      schema: {
        summary: 'Liveness: the process is up',
        tags: ['health'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const })
  );

  app.get(
    '/readyz',
    {
      logLevel: PROBE_LOG_LEVEL,
      schema: {
        summary: 'Readiness: the store answers a query',
        tags: ['health'],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(store.query('select 1'), readyTimeoutMs);
        return { status: 'ready' as const, store: store.kind };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        const message = `The ${store.kind} store did not answer: ${error instanceof Error ? error.message : String(error)}`;
        return reply.code(503).send({ status: 'unavailable' as const, store: store.kind, message });
      }
    }
  );

  app.get(
    '/metrics',
    {
      logLevel: PROBE_LOG_LEVEL,
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        tags: ['health'],
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    }
  );
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
