import { createServer } from 'node:http';

/** One request as the API handlers read it: GET query parameters and POST form fields together. */
export interface ApiRequest {
  method: string;
  path: string;
  params: URLSearchParams;
}

export interface ApiReply {
  status?: number;
  /** JSON unless it is a string (sent as text). */
  body: unknown;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a free port unless given) answering each request with `handle`; a throw is a 500. */
export async function startApiServer(name: string, handle: (request: ApiRequest) => ApiReply | Promise<ApiReply>, port = 0): Promise<ApiServer> {
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const url = new URL(incoming.url ?? '/', 'http://replay');
      const params = new URLSearchParams(url.searchParams);
      if ((incoming.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
          params.append(key, value);
        }
      }
      let reply: ApiReply;
      try {
        reply = await handle({ method: incoming.method ?? 'GET', path: url.pathname, params });
      } catch (error) {
        reply = { status: 500, body: `${name}: ${error instanceof Error ? error.message : String(error)}` };
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status ?? 200, {
        'content-type': typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      response.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A time parameter as Prometheus, Loki and Tempo take it: RFC 3339, or a number of seconds (or of ns, when huge). */
export function timeParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null || text === '') {
    return fallback;
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const number = Number(text);
    // Loki takes nanoseconds; seconds since 1970 stay below 1e11 for millennia.
    return number > 1e15 ? number / 1e6 : number * 1000;
  }
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) {
    throw new BadParameter(`invalid parameter ${JSON.stringify(name)}: cannot parse ${JSON.stringify(text)} to a valid timestamp`);
  }
  return parsed;
}

/** A parameter the client got wrong: answered 400 by the API handlers. */
export class BadParameter extends Error {
  override name = 'BadParameter';
}
