import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { EngineMetrics } from '../observability/metrics.ts';

export interface HttpMetricsPluginOptions {
  metrics: EngineMetrics;
}

/** Times every reply; labels use the route pattern, never the raw URL, so series stay bounded. */
const httpMetrics: FastifyPluginAsync<HttpMetricsPluginOptions> = async (app, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000
    );
  });
};

export const httpMetricsPlugin = fp(httpMetrics, { name: 'intelops-http-metrics' });
