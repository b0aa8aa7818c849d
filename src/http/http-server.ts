import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, isIP } from 'node:net';
import { status } from '@grpc/grpc-js';
import { LoyaltyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallerAuth } from '../security/caller-auth.js';
import type { HttpsTls } from '../security/https-context.js';
import { decodeSegment, fail, HttpError, send } from './responses.js';
import type { HttpRoute } from './route-table.js';

/** A REST inference may take at most this long (REST has no deadline header). */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpServerOptions {
  logger: Logger;
  auth: CallerAuth | undefined;
  /** HTTPS (with client certificates under mTLS) when the gRPC port has TLS. */
  tls: HttpsTls | undefined;
  /** Host names (besides loopback ones) that state-changing requests may name in Host. */
  allowedHosts: readonly string[];
}

export interface HttpApiServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The server's HTTP port over one route table: each request is matched to its route (404 for
 * no path, 405 for a path without that method), authorized as the route says, checked for its
 * Host and Origin when it changes state, then handled; errors answer JSON with their status.
 */
export async function startHttpServer(
  routes: readonly HttpRoute[],
  options: HttpServerOptions,
  host: string,
  port: number,
): Promise<HttpApiServer> {
  const { logger } = options;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    dispatch(routes, options, req, res).catch((err: unknown) => fail(logger, res, err));
  };
  let server: Server;
  let stopWatching: (() => void) | undefined;
  if (options.tls) {
    const https = createHttpsServer(options.tls.options(), handler);
    stopWatching = options.tls.watch(
      (tlsOptions) => {
        https.setSecureContext(tlsOptions);
        logger.info('HTTP port: new TLS certificate in use');
      },
      (err) =>
        logger.warn({ err: err.message }, 'HTTP port: TLS files not usable yet; keeping the current ones'),
    );
    server = https;
  } else server = createServer(handler);
  server.requestTimeout = REQUEST_TIMEOUT_MS + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        stopWatching?.();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function dispatch(
  routes: readonly HttpRoute[],
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://server');
  const path = url.pathname;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  let pathMatched = false;
  for (const route of routes) {
    const m = route.path.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const caller = authorize(options.auth, req, route.access);
    if (route.changesState) checkStateChange(req, options);
    const params = m.slice(1).map((p) => (p === undefined ? '' : decodeSegment(p)));
    return route.handle({ req, res, params, query: url.searchParams, caller });
  }
  if (pathMatched) throw new HttpError(405, `${req.method} is not allowed on ${path.slice(0, 100)}`);
  send(res, 404, { error: `no such endpoint: ${req.method} ${path.slice(0, 100)}` });
}

/** The caller, allowed any of the route's methods (UNAUTHENTICATED / PERMISSION_DENIED otherwise). */
function authorize(auth: CallerAuth | undefined, req: IncomingMessage, access: HttpRoute['access']) {
  if (access === 'open' || !auth) return undefined;
  let denied: unknown;
  for (const method of access) {
    try {
      return auth.authorizeHttp(req, method);
    } catch (err) {
      if (!(err instanceof LoyaltyError && err.code === status.PERMISSION_DENIED)) throw err;
      denied = err;
    }
  }
  throw denied;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * A state-changing request must name this server in Host (a loopback name, or one the operator
 * allowed) and, when the browser sends an Origin, come from that same host: a page of another
 * site, even one whose name was made to resolve to this machine (DNS rebinding), is refused.
 * With caller authorization off, the peer must also be on this host.
 */
function checkStateChange(req: IncomingMessage, options: HttpServerOptions): void {
  if (!options.auth && !fromLoopback(req))
    throw new HttpError(
      403,
      'changes are accepted only from the server host (or, with caller authorization on, from an allowed caller)',
    );
  const hostHeader = req.headers.host ?? '';
  const hostName = hostOf(hostHeader);
  const allowed =
    hostName !== undefined &&
    (LOOPBACK_NAMES.has(hostName) || hostName.startsWith('127.') || options.allowedHosts.includes(hostName));
  if (!allowed)
    throw new HttpError(
      403,
      'changes are accepted only for a Host naming this server (see LOYALTY_HTTP_ALLOWED_HOSTS)',
    );
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== hostHeader.toLowerCase())
      throw new HttpError(
        403,
        'changes are accepted only from pages of this server (the Origin is another site)',
      );
  }
}

/** The host name of a Host header, lower case (IPv6 in brackets); undefined when malformed. */
function hostOf(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function fromLoopback(req: IncomingMessage): boolean {
  const peer = req.socket.remoteAddress ?? '';
  const v4 = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
  return (isIP(v4) === 4 && v4.startsWith('127.')) || peer === '::1';
}
