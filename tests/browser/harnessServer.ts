import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { answerEngine } from './engineDouble';

const ROOT = resolve(__dirname, '..', '..');
const ENTRY = join(__dirname, 'harness', 'harness.tsx');
// Grafana UI's icons load at run time from <public path>build/img/icons/; @grafana/ui ships them.
const ICONS_URL = '/public/build/img/icons/';
const ICONS_DIR = join(ROOT, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.png': 'image/png',
};

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>IntelOps panel harness</title>
    <link rel="stylesheet" href="/harness.css" />
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/harness.js"></script>
  </body>
</html>
`;

/** Bundles the panel harness (the real panel code, @grafana/ui and @grafana/data) into `outdir`. */
export async function bundleHarness(outdir: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outdir,
    entryNames: 'harness',
    bundle: true,
    // ESM with splitting keeps @grafana/ui's lazy parts (Monaco) in chunks the panels never load.
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'chrome120',
    jsx: 'transform',
    tsconfig: join(ROOT, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.png': 'file' },
    minify: true,
    logLevel: 'error',
  });
  // esbuild writes harness.css only when something imports CSS; the page links it either way.
  await writeFile(join(outdir, 'harness.css'), '', { flag: 'a' });
  await writeFile(join(outdir, 'index.html'), INDEX_HTML);
}

// App pages live below /dark/... and /light/...: the browser router needs index.html there.
const APP_PAGE = /^\/(dark|light)\/[\w-]+\/a\//;

/**
 * The request's body as the engine would read it: JSON parsed; YAML (a workflow) as its text; undefined when there
 * is none or a JSON body does not parse.
 */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') {
    return undefined;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (/yaml/.test(request.headers['content-type'] ?? '')) {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Serves `dir` on 127.0.0.1 at a free port, with the engine double on the data-proxy paths. */
export async function serveDirectory(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const engine = answerEngine(path, url.searchParams, Date.now(), request.method, await readJsonBody(request));
    if (engine) {
      await new Promise((done) => setTimeout(done, engine.delayMs));
      response.writeHead(engine.status, { 'content-type': 'application/json' }).end(JSON.stringify(engine.body));
      return;
    }
    const [root, relative] = path.startsWith(ICONS_URL)
      ? [ICONS_DIR, path.slice(ICONS_URL.length)]
      : [dir, path === '/' || APP_PAGE.test(path) ? 'index.html' : path];
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address: AddressInfo | string | null = server.address();
  if (typeof address !== 'object' || address === null) {
    throw new Error('the harness server has no TCP address');
  }
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export async function startHarness(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'intelops-harness-'));
  await bundleHarness(dir);
  const { server, url } = await serveDirectory(dir);
  return {
    url,
    stop: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
