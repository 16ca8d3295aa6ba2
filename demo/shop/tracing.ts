import { context, propagation } from '@opentelemetry/api';
import type { Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { SHOP_VERSION } from './version.ts';

export interface ShopTracing {
  tracer: Tracer;
  /** Whether spans leave over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT or …_TRACES_ENDPOINT is set). */
  exporting: boolean;
  close(): Promise<void>;
}

/**
 * The process's tracing: W3C trace context in and out, spans batched to the OTLP/HTTP endpoint the standard
 * variables name (the exporter reads them itself), or kept nowhere when none is set.
 */
export function openTracing(
  service: string,
  env: Readonly<Record<string, string | undefined>> = process.env
): ShopTracing {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporting = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].some(
    (name) => (env[name] ?? '').trim() !== ''
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: service,
      [ATTR_SERVICE_VERSION]: SHOP_VERSION,
      'deployment.environment.name': 'demo',
    }),
    spanProcessors: exporting
      ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), scheduledDelayMillis: 1000 })]
      : [],
  });
  return {
    tracer: provider.getTracer('intelops-demo-shop', SHOP_VERSION),
    exporting,
    close: () => provider.shutdown(),
  };
}
