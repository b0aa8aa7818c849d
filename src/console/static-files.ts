import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { send } from '../http/responses.js';
import type { HttpRoute } from '../http/route-table.js';

/** The console's files, from src/console/public whether this module runs from src/ or dist/. */
const PUBLIC = fileURLToPath(new URL('../../src/console/public/', import.meta.url));
const UPLOT = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

/** Every file the console serves, by path: nothing else under /console is read from disk. */
const FILES: Record<string, { path: string; type: string }> = {
  '/console': { path: join(PUBLIC, 'index.html'), type: 'text/html; charset=utf-8' },
  '/console/': { path: join(PUBLIC, 'index.html'), type: 'text/html; charset=utf-8' },
  // The page's modules: every .js file of public/js, read once at start (no list to keep in step).
  ...Object.fromEntries(
    readdirSync(join(PUBLIC, 'js'))
      .filter((f) => /^[a-z-]+\.js$/.test(f))
      .map((f) => [
        `/console/js/${f}`,
        { path: join(PUBLIC, 'js', f), type: 'text/javascript; charset=utf-8' },
      ]),
  ),
  // The stylesheets: console.css (the frame and shared parts), pages.css (each page's own).
  ...Object.fromEntries(
    readdirSync(PUBLIC)
      .filter((f) => /^[a-z-]+\.css$/.test(f))
      .map((f) => [`/console/${f}`, { path: join(PUBLIC, f), type: 'text/css; charset=utf-8' }]),
  ),
  '/console/vendor/uplot.js': {
    path: join(UPLOT, 'uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/console/vendor/uplot.css': { path: join(UPLOT, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Read once: small, and the same for the life of the process. */
/** A file as sent: its bytes, gzipped once, and a tag of its content for revalidation. */
interface Prepared {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}
const cache = new Map<string, Prepared>();

/**
 * The page with a modulepreload link for every module: the browser fetches them all at once
 * instead of level by level as imports are found (four levels: ~60 ms each on a reload).
 */
function withPreloads(html: Buffer): Buffer {
  const links = Object.keys(FILES)
    .filter((p) => p.startsWith('/console/js/'))
    .map((p) => `  <link rel="modulepreload" href="${p}">`)
    .join('\n');
  return Buffer.from(html.toString('utf8').replace('</head>', `${links}\n</head>`));
}

function prepare(path: string, file: { path: string; type: string }): Prepared {
  let prepared = cache.get(path);
  if (!prepared) {
    const raw = readFileSync(file.path);
    const body = file.type.startsWith('text/html') ? withPreloads(raw) : raw;
    prepared = {
      body,
      gzipped: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    };
    cache.set(path, prepared);
  }
  return prepared;
}

/**
 * Serves a console file, or answers false when the path names none. The page's policy allows
 * scripts, styles, images and requests of this origin only. Gzipped when the browser accepts it;
 * revalidated by its tag (304 when unchanged), so a reload fetches no file twice.
 */
export function serveConsoleFile(path: string, res: ServerResponse, req?: IncomingMessage): boolean {
  const file = FILES[path];
  if (!file) return false;
  const { body, gzipped, etag } = prepare(path, file);
  const headers = {
    'content-type': file.type,
    'cache-control': 'no-cache',
    etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  };
  if (req?.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = /\bgzip\b/.test(String(req?.headers['accept-encoding'] ?? ''));
  const sent = gzip ? gzipped : body;
  res.writeHead(200, {
    ...headers,
    'content-length': sent.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(sent);
  return true;
}

/**
 * The console's own files: open (they hold no data; the JSON under /console/api is what callers
 * must be allowed to read). Only the files above; any other path under /console is a 404.
 */
export function consoleFileRoutes(): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: /^\/console(?:\/(?!api\/).*)?$/,
      access: 'open',
      handle: ({ req, res }) => {
        const path = new URL(req.url ?? '/', 'http://console').pathname;
        if (!serveConsoleFile(path, res, req))
          send(res, 404, { error: `no such endpoint: GET ${path.slice(0, 100)}` });
      },
    },
  ];
}
