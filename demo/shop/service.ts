import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { FAULT_KINDS, FaultInputError, FaultState, isFaultKind, parseFaultRequest } from './faults.ts';
import type { ShopLogger } from './logs.ts';
import { matchesPath, ROUTES } from './topology.ts';
import type { DownstreamCall, Route, ShopService } from './topology.ts';

export interface ServiceOptions {
  service: ShopService;
  port: number;
  host?: string;
  /** Base URLs of the services this one calls. */
  downstream: Partial<Record<ShopService, string>>;
  tracer: Tracer;
  logger: ShopLogger;
  random?: () => number;
}

export interface RunningService {
  url: string;
  faults: FaultState;
  registry: Registry;
  close(): Promise<void>;
}

/** What a failing service says, in its own words (the errors fault picks it). */
const FAILURES: Record<ShopService, string> = {
  frontend: 'render failed: template product-grid threw TypeError: cannot read properties of undefined',
  checkout: 'order store write failed: deadlock detected while placing order',
  payment: 'charge failed: card processor answered 503 Service Unavailable',
  cart: 'cart store read failed: connection reset by redis-cart:6379',
  productcatalog: 'catalog query failed: too many connections to catalog-db',
};

const PRODUCT_IDS = ['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N', '0PUK6V6EV0', 'LS4PSXUNUM'];
const DOWNSTREAM_TIMEOUT_MS = 10_000;
// Requests slower than this are logged as slow.
const SLOW_MS = 1000;

class RequestFailure extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Starts one shop service: its routes, /metrics, and the fault control endpoints under /-/. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { service, tracer, logger } = options;
  const random = options.random ?? Math.random;
  const faults = new FaultState();
  const registry = new Registry();
  // Both names: Tempo's span metrics say `service`, OpenTelemetry's Prometheus conventions `service_name`.
  registry.setDefaultLabels({ service, service_name: service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration)',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const clientDuration = new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of HTTP client requests to other shop services (OpenTelemetry http.client.request.duration)',
    labelNames: ['server_service', 'http_request_method', 'http_response_status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) {
      throw new Error('pick from an empty list');
    }
    return item;
  };

  async function call(target: DownstreamCall): Promise<unknown> {
    const base = options.downstream[target.service];
    if (base === undefined) {
      throw new RequestFailure(500, `no address for ${target.service}`);
    }
    const path = target.path.replace(':id', pick(PRODUCT_IDS));
    const span = tracer.startSpan(`${target.method} ${target.path}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': target.method,
        'url.full': `${base}${path}`,
        'peer.service': target.service,
        'server.address': target.service,
      },
    });
    const started = performance.now();
    let status = 0;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      propagation.inject(trace.setSpan(context.active(), span), headers);
      const response = await fetch(`${base}${path}`, {
        method: target.method,
        headers,
        body: target.method === 'POST' ? JSON.stringify({ from: service }) : undefined,
        signal: AbortSignal.timeout(DOWNSTREAM_TIMEOUT_MS),
      });
      status = response.status;
      span.setAttribute('http.response.status_code', status);
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        throw new RequestFailure(
          502,
          `call to ${target.service} ${target.method} ${target.path} failed with ${status}`
        );
      }
      return body;
    } catch (error) {
      const failure =
        error instanceof RequestFailure
          ? error
          : new RequestFailure(
              502,
              `call to ${target.service} ${target.method} ${target.path} failed: ${String(error)}`
            );
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw failure;
    } finally {
      span.end();
      clientDuration.observe(
        {
          server_service: target.service,
          http_request_method: target.method,
          http_response_status_code: String(status),
        },
        (performance.now() - started) / 1000
      );
    }
  }

  async function serve(route: Route, span: Span): Promise<unknown> {
    const delay = faults.delayFor(random());
    if (delay > 0) {
      await sleep(delay);
    }
    const [min, max] = route.workMs;
    await sleep(min + random() * (max - min));
    if (faults.failsFor(random())) {
      throw new RequestFailure(500, FAILURES[service]);
    }
    const answers: unknown[] = [];
    for (const target of route.calls) {
      answers.push(await call(target));
    }
    span.setAttribute('shop.calls', route.calls.length);
    return { service, route: route.path, ok: true, downstream: answers.length };
  }

  async function handleRoute(request: IncomingMessage, response: ServerResponse, route: Route, path: string) {
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${route.method} ${route.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': route.method, 'http.route': route.path, 'url.path': path },
      },
      parent
    );
    const started = performance.now();
    let status = 200;
    let body: unknown;
    await context.with(trace.setSpan(parent, span), async () => {
      try {
        body = await serve(route, span);
      } catch (error) {
        const failure = error instanceof RequestFailure ? error : new RequestFailure(500, String(error));
        status = failure.status;
        body = { error: failure.message };
        span.recordException(failure);
        span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
        const { traceId, spanId } = span.spanContext();
        logger.log('error', failure.message, { route: route.path, status, trace_id: traceId, span_id: spanId });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    span.setAttribute('http.response.status_code', status);
    span.end();
    duration.observe(
      { http_request_method: route.method, http_route: route.path, http_response_status_code: String(status) },
      seconds
    );
    const { traceId, spanId } = span.spanContext();
    const fields = {
      method: route.method,
      route: route.path,
      status,
      duration_ms: Math.round(seconds * 1000),
      trace_id: traceId,
      span_id: spanId,
    };
    if (seconds * 1000 > SLOW_MS) {
      logger.log('warn', `slow request ${route.method} ${path} took ${Math.round(seconds * 1000)} ms`, fields);
    } else {
      logger.log('info', `${route.method} ${path} ${status}`, fields);
    }
    send(response, status, body);
  }

  async function handleControl(request: IncomingMessage, response: ServerResponse, url: URL) {
    if (url.pathname === '/-/healthy') {
      send(response, 200, { service, ok: true });
      return;
    }
    if (url.pathname !== '/-/faults') {
      send(response, 404, { error: `no control endpoint ${url.pathname}; use /-/faults or /-/healthy` });
      return;
    }
    if (request.method === 'GET') {
      send(response, 200, { service, faults: faults.list() });
    } else if (request.method === 'POST') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readBody(request));
      } catch {
        send(response, 400, { error: 'body must be JSON' });
        return;
      }
      try {
        const fault = faults.start(parseFaultRequest(parsed));
        logger.log('warn', `fault injected: ${fault.kind} for ${fault.durationSeconds} s`, { fault: fault.kind }, true);
        send(response, 200, { service, fault });
      } catch (error) {
        send(response, error instanceof FaultInputError ? 400 : 500, {
          error: String(error instanceof Error ? error.message : error),
        });
      }
    } else if (request.method === 'DELETE') {
      const kind = url.searchParams.get('kind') ?? undefined;
      if (kind !== undefined && !isFaultKind(kind)) {
        send(response, 400, { error: `kind must be one of ${FAULT_KINDS.join(', ')}` });
        return;
      }
      const cleared = faults.clear(kind);
      logger.log('info', `faults cleared: ${cleared}`, {}, true);
      send(response, 200, { service, cleared });
    } else {
      send(response, 405, { error: `${request.method} /-/faults: use GET, POST or DELETE` });
    }
  }

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://shop');
    const handled = (async () => {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(await registry.metrics());
        return;
      }
      if (url.pathname.startsWith('/-/')) {
        await handleControl(request, response, url);
        return;
      }
      const route = ROUTES[service].find((one) => one.method === request.method && matchesPath(one.path, url.pathname));
      if (route === undefined) {
        send(response, 404, { error: `${service} has no route ${request.method} ${url.pathname}` });
        return;
      }
      await readBody(request);
      await handleRoute(request, response, route, url.pathname);
    })();
    handled.catch((error: unknown) => {
      logger.log('error', `unhandled: ${String(error)}`);
      if (!response.headersSent) {
        send(response, 500, { error: 'internal error' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    faults,
    registry,
    async close() {
      faults.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
