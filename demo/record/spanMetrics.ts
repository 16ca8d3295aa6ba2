import { Counter, Histogram, Registry } from 'prom-client';
import type { CapturedSpan } from './sinks.ts';

const BUCKETS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];
// A client span waits this long for its server span (they arrive from different processes), and the other way round.
const PAIR_WAIT_MS = 30_000;

interface Pending {
  span: CapturedSpan;
  seenAt: number;
}

/**
 * What Tempo's metrics generator makes of the spans (span-metrics and service-graphs processors), under Tempo's
 * names and labels, so a recording made without Tempo carries the series the compose stack has.
 */
export class SpanMetrics {
  private readonly registry = new Registry();
  private readonly calls = new Counter({
    name: 'traces_spanmetrics_calls_total',
    help: 'Spans by service, name, kind and status (Tempo span-metrics)',
    labelNames: ['service', 'span_name', 'span_kind', 'status_code'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'traces_spanmetrics_latency',
    help: 'Span duration in seconds (Tempo span-metrics)',
    labelNames: ['service', 'span_name', 'span_kind', 'status_code'],
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly edges = new Counter({
    name: 'traces_service_graph_request_total',
    help: 'Requests between two services (Tempo service-graphs)',
    labelNames: ['client', 'server'],
    registers: [this.registry],
  });
  private readonly failedEdges = new Counter({
    name: 'traces_service_graph_request_failed_total',
    help: 'Failed requests between two services (Tempo service-graphs)',
    labelNames: ['client', 'server'],
    registers: [this.registry],
  });
  private readonly serverSeconds = new Histogram({
    name: 'traces_service_graph_request_server_seconds',
    help: 'Server-side duration of requests between two services (Tempo service-graphs)',
    labelNames: ['client', 'server'],
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly clientSeconds = new Histogram({
    name: 'traces_service_graph_request_client_seconds',
    help: 'Client-side duration of requests between two services (Tempo service-graphs)',
    labelNames: ['client', 'server'],
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly clients = new Map<string, Pending>();
  // Server spans waiting for their client span, by the client span's id (their parent).
  private readonly servers = new Map<string, Pending>();

  get contentType(): string {
    return this.registry.contentType;
  }

  observe(spans: readonly CapturedSpan[], now = Date.now()): void {
    for (const span of spans) {
      const status = `STATUS_CODE_${span.status.toUpperCase()}`;
      const labels = {
        service: span.service,
        span_name: span.name,
        span_kind: `SPAN_KIND_${span.kind.toUpperCase()}`,
        status_code: status,
      };
      this.calls.inc(labels);
      this.latency.observe(labels, span.durationMs / 1000);
      if (span.kind === 'client') {
        const server = this.servers.get(span.spanId);
        if (server === undefined) {
          this.clients.set(span.spanId, { span, seenAt: now });
        } else {
          this.servers.delete(span.spanId);
          this.edge(span, server.span);
        }
      } else if (span.kind === 'server' && span.parentSpanId !== undefined) {
        const client = this.clients.get(span.parentSpanId);
        if (client === undefined) {
          this.servers.set(span.parentSpanId, { span, seenAt: now });
        } else {
          this.clients.delete(span.parentSpanId);
          this.edge(client.span, span);
        }
      }
    }
    for (const pending of [this.clients, this.servers]) {
      for (const [id, { seenAt }] of pending) {
        if (now - seenAt > PAIR_WAIT_MS) {
          pending.delete(id);
        }
      }
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  private edge(client: CapturedSpan, server: CapturedSpan): void {
    const labels = { client: client.service, server: server.service };
    this.edges.inc(labels);
    if (client.status === 'error' || server.status === 'error') {
      this.failedEdges.inc(labels);
    }
    this.serverSeconds.observe(labels, server.durationMs / 1000);
    this.clientSeconds.observe(labels, client.durationMs / 1000);
  }
}
