import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Errors } from '../../src/errors.js';
import { type HttpApiServer, startHttpServer } from '../../src/http/http-server.js';
import { send } from '../../src/http/responses.js';
import type { HttpRoute } from '../../src/http/route-table.js';
import { createLogger } from '../../src/logger.js';
import type { CallerAuth } from '../../src/security/caller-auth.js';

/**
 * The HTTP port's one route table on a loopback port, with fake routes and a fake caller policy:
 * how a request is matched, authorized and checked before any handler runs.
 */
const seen: string[] = [];
const routes: HttpRoute[] = [
  { method: 'GET', path: /^\/open$/, access: 'open', handle: ({ res }) => send(res, 200, { ok: true }) },
  {
    method: 'GET',
    path: /^\/items\/([^/]+)$/,
    access: ['items/Read', 'items/Write'],
    handle: ({ res, params, caller }) => {
      seen.push(`read ${params[0]} by ${caller}`);
      send(res, 200, { item: params[0] });
    },
  },
  {
    method: 'PUT',
    path: /^\/items\/([^/]+)$/,
    access: ['items/Write'],
    changesState: true,
    handle: ({ res, params }) => {
      seen.push(`write ${params[0]}`);
      send(res, 200, { written: params[0] });
    },
  },
];

/** Bearer tokens name callers: "reader" may read, "writer" may write (and so read). */
const auth = {
  authorizeHttp(req: { headers: Record<string, string | string[] | undefined> }, method: string) {
    const caller = /^Bearer (\w+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!caller) throw Errors.unauthenticated('no credentials');
    const allowed = caller === 'writer' || (caller === 'reader' && method === 'items/Read');
    if (!allowed) throw Errors.permissionDenied(caller, method);
    return caller;
  },
} as unknown as CallerAuth;

let open: HttpApiServer;
let guarded: HttpApiServer;
const options = { logger: createLogger('silent'), tls: undefined, allowedHosts: ['loyalty.internal'] };

beforeAll(async () => {
  open = await startHttpServer(routes, { ...options, auth: undefined }, '127.0.0.1', 0);
  guarded = await startHttpServer(routes, { ...options, auth }, '127.0.0.1', 0);
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
});

function call(server: HttpApiServer, method: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP route table', () => {
  it('answers 404 for no route, 405 for a route without that method, decoding path segments', async () => {
    expect((await call(open, 'GET', '/nope')).status).toBe(404);
    expect((await call(open, 'DELETE', '/items/a')).status).toBe(405);
    expect((await call(open, 'GET', '/items/a%20b')).body).toBe('{"item":"a b"}');
    expect((await call(open, 'GET', '/items/%E0%A4%A')).status).toBe(400);
  });

  it('authorizes every route but the open ones, by any of its methods', async () => {
    expect((await call(guarded, 'GET', '/open')).status).toBe(200);
    expect((await call(guarded, 'GET', '/items/a')).status).toBe(401);
    expect((await call(guarded, 'GET', '/items/a', { authorization: 'Bearer reader' })).status).toBe(200);
    expect((await call(guarded, 'GET', '/items/a', { authorization: 'Bearer writer' })).status).toBe(200);
    expect((await call(guarded, 'PUT', '/items/a', { authorization: 'Bearer reader' })).status).toBe(403);
    expect(seen).toContain('read a by writer');
  });

  it('accepts a change only for a Host naming this server and an Origin of that host', async () => {
    seen.length = 0;
    const put = (headers: Record<string, string>) =>
      call(guarded, 'PUT', '/items/x', { authorization: 'Bearer writer', ...headers });
    const port = guarded.port;
    expect((await put({ host: `evil.example:${port}` })).status).toBe(403);
    expect((await put({ host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await put({ host: `127.0.0.1:${port}`, origin: 'null' })).status).toBe(403);
    expect(seen).toEqual([]);
    expect((await put({ host: `127.0.0.1:${port}` })).status).toBe(200);
    expect((await put({ host: `[::1]:${port}`, origin: `http://[::1]:${port}` })).status).toBe(200);
    expect((await put({ host: `loyalty.internal:${port}` })).status).toBe(200);
    expect((await put({ host: `localhost:${port}`, origin: `http://localhost:${port}` })).status).toBe(200);
    expect(seen).toHaveLength(4);
  });
});
