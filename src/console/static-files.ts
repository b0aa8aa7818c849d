import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  '/console/console.css': { path: join(PUBLIC, 'console.css'), type: 'text/css; charset=utf-8' },
  '/console/vendor/uplot.js': {
    path: join(UPLOT, 'uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/console/vendor/uplot.css': { path: join(UPLOT, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Read once: small, and the same for the life of the process. */
const cache = new Map<string, Buffer>();

/**
 * Serves a console file, or answers false when the path names none. The page's policy allows
 * scripts, styles, images and requests of this origin only.
 */
export function serveConsoleFile(path: string, res: ServerResponse): boolean {
  const file = FILES[path];
  if (!file) return false;
  let body = cache.get(path);
  if (!body) {
    body = readFileSync(file.path);
    cache.set(path, body);
  }
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  });
  res.end(body);
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
        if (!serveConsoleFile(path, res))
          send(res, 404, { error: `no such endpoint: GET ${path.slice(0, 100)}` });
      },
    },
  ];
}
