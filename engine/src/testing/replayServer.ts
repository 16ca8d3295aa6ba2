import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** What the server answers to one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string or bytes as is; anything else as JSON. */
  body?: unknown;
  /** Wait this long before answering (to hit a client timeout). */
  delayMs?: number;
  /** Close the connection without answering (a network error for the client). */
  drop?: boolean;
  /** Send the body in chunks without Content-Length, as a streaming upstream does. */
  chunked?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The form fields of a POST body, or the query parameters of a GET. */
  params: URLSearchParams;
}

/** A reply, a list answered in order (the last one repeats), or a function of the request. */
export type Responder = Reply | Reply[] | ((request: RecordedRequest) => Reply);

export interface ReplayServer {
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Answers requests to `path` (and `match`, when given); later registrations win. */
  on(path: string, responder: Responder, match?: (request: RecordedRequest) => boolean): void;
  reset(): void;
  close(): Promise<void>;
}

interface Route {
  path: string;
  match: ((request: RecordedRequest) => boolean) | undefined;
  responder: Responder;
  served: number;
}

/** A local HTTP server that replays registered upstream responses and records what it was sent. */
export async function startReplayServer(): Promise<ReplayServer> {
  let routes: Route[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://replay');
      const body = Buffer.concat(chunks).toString('utf8');
      const isForm = (incoming.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body,
        params: isForm ? new URLSearchParams(body) : url.searchParams,
      };
      requests.push(request);
      const route = routes.findLast(
        (candidate) => candidate.path === request.path && (candidate.match === undefined || candidate.match(request))
      );
      if (route === undefined) {
        answer(response, { status: 404, body: `no reply registered for ${request.method} ${request.path}` });
        return;
      }
      const reply = pick(route, request);
      route.served += 1;
      if (reply.drop === true) {
        incoming.socket.destroy();
        return;
      }
      const timer = setTimeout(() => answer(response, reply), reply.delayMs ?? 0);
      response.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(path, responder, match) {
      routes.push({ path, responder, match, served: 0 });
    },
    reset() {
      routes = [];
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function pick(route: Route, request: RecordedRequest): Reply {
  const { responder } = route;
  if (typeof responder === 'function') {
    return responder(request);
  }
  if (Array.isArray(responder)) {
    return responder[Math.min(route.served, responder.length - 1)] ?? {};
  }
  return responder;
}

function answer(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) {
    return;
  }
  const isText = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
  const body =
    reply.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(isText ? String(reply.body) : JSON.stringify(reply.body));
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json';
  response.writeHead(reply.status ?? 200, {
    'content-type': contentType,
    ...(reply.chunked === true ? {} : { 'content-length': String(body.length) }),
    ...reply.headers,
  });
  if (reply.chunked !== true) {
    response.end(body);
    return;
  }
  const CHUNK = 16 * 1024;
  for (let offset = 0; offset < body.length; offset += CHUNK) {
    response.write(body.subarray(offset, offset + CHUNK));
  }
  response.end();
}
