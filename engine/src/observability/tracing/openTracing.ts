import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { EngineConfig } from '../../config.ts';
import type { UpstreamAuth } from '../../sources/http.ts';
import { pruneAgentRuns } from '../../store/agentRuns.ts';
import type { Store } from '../../store/store.ts';
import type { EngineLogger } from '../logger.ts';
import { ENGINE_SERVICE_NAME, SERVICE_NAME, SERVICE_VERSION } from './conventions.ts';
import { AgentRunRecorder } from './recorder.ts';
import type { RecorderOptions } from './recorder.ts';
import { EVENT_TEXT_CAP, secretRedactor } from './spans.ts';
import type { AgentTracing } from './spans.ts';

/** The standard variables that turn on export over OTLP/HTTP (the exporter reads them, and OTEL_EXPORTER_OTLP_HEADERS…). */
export const OTLP_ENDPOINT_VARS = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'] as const;

/** How long agent runs are kept by default, and how many at most. */
export const DEFAULT_RETENTION_MS = 14 * 24 * 3600_000;
export const DEFAULT_MAX_RUNS = 100_000;
// Pruning runs this often (and once soon after start).
const PRUNE_INTERVAL_MS = 3600_000;
const FIRST_PRUNE_MS = 10_000;

export interface TracingOptions {
  store: Store;
  logger: EngineLogger;
  /** service.version of the resource. */
  version: string;
  /** Values scrubbed from every span (the LLM key, the API and webhook tokens, source credentials…). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Further redaction, after the secrets (e.g. the workflow secret store's). */
  redact?: ((text: string) => string) | undefined;
  onRunRecorded?: RecorderOptions['onRunRecorded'];
  costOf?: RecorderOptions['costOf'];
  maxSpansPerRun?: number | undefined;
  /** Runs older than this are deleted (INTELOPS_AGENT_RUN_RETENTION; default 14 days). */
  retentionMs?: number | undefined;
  /** At most this many runs are kept, newest first (default 100,000). */
  maxRuns?: number | undefined;
  /** Where spans are exported besides the store; default: OTLP/HTTP when an OTLP endpoint variable is set. */
  exporter?: SpanExporter | undefined;
  /** The environment the OTLP variables are read from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: () => Date;
}

/** One engine's tracing: its own tracer provider, the run recorder and, when configured, the OTLP exporter. */
export interface EngineTracing extends AgentTracing {
  recorder: AgentRunRecorder;
  /** Whether spans also leave for an OTLP endpoint. */
  exporting: boolean;
  /** Waits until every finished run is stored and every span exported. */
  flush(): Promise<void>;
  /** Deletes runs past the retention limits now; returns how many. */
  prune(): Promise<number>;
  /** Stops pruning, flushes and shuts the provider down (before the store closes). */
  close(): Promise<void>;
}

let contextManagerSet = false;

/** Children find their run through AsyncLocalStorage: one context manager per process, set once. */
function registerAsyncContext(): void {
  if (!contextManagerSet) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
}

/** Whether the environment names an OTLP endpoint for traces. */
export function otlpConfigured(env: Readonly<Record<string, string | undefined>>): boolean {
  return OTLP_ENDPOINT_VARS.some((name) => (env[name] ?? '').trim() !== '');
}

/**
 * Opens the engine's tracing. Never registers a global tracer provider: tests start several engines in one process,
 * each with its own provider, store and recorder.
 */
export function openTracing(options: TracingOptions): EngineTracing {
  registerAsyncContext();
  const { store, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const recorder = new AgentRunRecorder({
    store,
    logger,
    onRunRecorded: options.onRunRecorded,
    costOf: options.costOf,
    maxSpansPerRun: options.maxSpansPerRun,
  });
  const exporter =
    options.exporter ?? (otlpConfigured(options.env ?? process.env) ? new OTLPTraceExporter() : undefined);
  const processors: SpanProcessor[] = [recorder];
  if (exporter !== undefined) {
    processors.push(new BatchSpanProcessor({ exporter }));
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [SERVICE_NAME]: ENGINE_SERVICE_NAME, [SERVICE_VERSION]: options.version }),
    // Our own caps are smaller; this one stops anything that bypasses them.
    spanLimits: { attributeValueLengthLimit: EVENT_TEXT_CAP * 2 },
    spanProcessors: processors,
  });
  const secrets = secretRedactor(options.secrets ?? []);
  const extra = options.redact;
  const redact = extra === undefined ? secrets : (text: string) => extra(secrets(text));
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;

  let pruning: Promise<number> | undefined;
  const prune = () => {
    pruning ??= pruneAgentRuns(store, { before: new Date(clock().getTime() - retentionMs), maxRuns }).finally(() => {
      pruning = undefined;
    });
    return pruning;
  };
  const pruneInBackground = () => {
    prune().then(
      (deleted) => {
        if (deleted > 0) {
          logger.info({ deleted, retentionMs, maxRuns }, 'old agent runs deleted');
        }
      },
      (error: unknown) => logger.warn({ err: error }, 'deleting old agent runs failed; trying again later')
    );
  };
  const first = setTimeout(pruneInBackground, FIRST_PRUNE_MS);
  const timer = setInterval(pruneInBackground, PRUNE_INTERVAL_MS);
  first.unref();
  timer.unref();
  logger.info({ otlp: exporter !== undefined, retentionMs, maxRuns }, 'agent tracing ready');

  return {
    tracer: provider.getTracer('intelops-engine', options.version),
    redact,
    recorder,
    exporting: exporter !== undefined,
    async flush() {
      await provider.forceFlush();
    },
    prune,
    async close() {
      clearTimeout(first);
      clearInterval(timer);
      await pruning?.catch(() => 0);
      // Shutting down flushes: runs still being written are stored, spans still queued exported.
      await provider.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'closing the tracing failed'));
    },
  };
}

/** The secret values of the configuration, for `secrets`: every key, token and credential the engine holds. */
export function configSecrets(config: EngineConfig): string[] {
  const auth = (value: UpstreamAuth | undefined) =>
    value === undefined
      ? []
      : value.kind === 'basic'
        ? [value.password, `${value.username}:${value.password}`]
        : [value.token];
  return [
    config.llmApiKey,
    config.llm?.apiKey,
    config.token,
    config.webhookToken,
    config.grafanaHmacSecret,
    config.grafanaToken,
    ...auth(config.prometheusAuth),
    ...auth(config.lokiAuth),
    ...auth(config.tempoAuth),
  ].filter((secret): secret is string => secret !== undefined && secret !== '');
}
