import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { InvalidInput } from '../invalidInput.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for checks over its exact bytes (webhook signatures). */
    rawBody: Buffer | undefined;
  }
}

/**
 * The body as UTF-8 text, or a 400 naming the first bad byte: JSON must be UTF-8 (RFC 8259), and
 * Node's lenient decoding would otherwise turn bad bytes into U+FFFD silently.
 */
export function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new InvalidInput(`Request body is not valid UTF-8 (bad byte sequence near offset ${firstInvalidOffset(body)}); send UTF-8 JSON`);
  }
}

/** Where UTF-8 decoding fails: the end of the longest prefix that decodes (an unfinished last character allowed). */
function firstInvalidOffset(body: Buffer): number {
  let low = 0;
  let high = body.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodesAsPrefix(body.subarray(0, middle))) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

function decodesAsPrefix(prefix: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces Fastify's JSON parser with one that rejects non-UTF-8 bodies with a 400 and keeps the raw
 * bytes on the request. Parsing itself (and its prototype-poisoning protection) stays Fastify's.
 */
const bodies: FastifyPluginAsync = async (app) => {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.decorateRequest('rawBody', undefined);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
    request.rawBody = buffer;
    let text: string;
    try {
      text = decodeUtf8(buffer);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
      return;
    }
    parseJson(request, text, (error, value) => {
      const nul = error ? undefined : nulPath(value, 'body');
      done(nul === undefined ? error : new InvalidInput(`${nul} must not contain the NUL character (\\u0000): PostgreSQL cannot store it`), value);
    });
  });
};

/** Where the first NUL character sits in a parsed JSON value (a key or a string), if anywhere. */
export function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = key.includes('\u0000') ? `${path}/${key.replaceAll('\u0000', '\\u0000')}` : nulPath(item, `${path}/${key}`);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

export const bodiesPlugin = fp(bodies, { name: 'intelops-bodies' });
