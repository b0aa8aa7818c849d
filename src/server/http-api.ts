import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConsoleApi } from '../console/console-api.js';
import { serveConsoleFile } from '../console/static-files.js';
import type { Logger } from '../logger.js';
import type { CallerAuth } from '../security/caller-auth.js';
import type { HttpsTls } from '../security/https-context.js';
import { fail, HttpError, send } from './http-json.js';
import { type OipRestDeps, REQUEST_TIMEOUT_MS, routeOip } from './oip-rest.js';
import { type PolicyAdminDeps, routeAdmin } from './policy-admin.js';

export interface HttpApiServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The server's HTTP port: the Open Inference Protocol's REST endpoints under /v2, the admin
 * endpoints under /admin and the web console under /console, each a thin adapter over the
 * components the gRPC services use.
 */
export async function startHttpApi(
  deps: OipRestDeps &
    PolicyAdminDeps & {
      logger: Logger;
      console: ConsoleApi;
      auth: CallerAuth | undefined;
      /** HTTPS (with client certificates under mTLS) when the gRPC port has TLS. */
      tls: HttpsTls | undefined;
    },
  host: string,
  port: number,
): Promise<HttpApiServer> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    route(path)
      .then(() => undefined)
      .catch((err: unknown) => fail(deps, res, err));

    async function route(path: string): Promise<void> {
      if (path.startsWith('/admin/')) return routeAdmin(deps, req, res, path);
      if (path === '/v2' || path.startsWith('/v2/')) {
        const method = oipMethod(path);
        const caller = deps.auth && method ? deps.auth.authorizeHttp(req, method) : undefined;
        return routeOip(deps, req, res, caller);
      }
      if (path.startsWith('/console/api/')) {
        deps.auth?.authorizeHttp(req, CONSOLE_READ);
        return deps.console.route(req, res, path);
      }
      if (path === '/') {
        res.writeHead(302, { location: '/console/' }).end();
        return;
      }
      if (path === '/console' || path.startsWith('/console/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          throw new HttpError(405, `${req.method} is not allowed on ${path.slice(0, 100)}`);
        if (serveConsoleFile(path, res)) return;
      }
      send(res, 404, { error: `no such endpoint: ${req.method} ${path.slice(0, 100)}` });
    }
  };
  let server: Server;
  let stopWatching: (() => void) | undefined;
  if (deps.tls) {
    const https = createHttpsServer(deps.tls.options(), handler);
    stopWatching = deps.tls.watch(
      (options) => {
        https.setSecureContext(options);
        deps.logger.info('HTTP port: new TLS certificate in use');
      },
      (err) =>
        deps.logger.warn(
          { err: err.message },
          'HTTP port: TLS files not usable yet; keeping the current ones',
        ),
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

/** The console's JSON reads, as a method of the access policy. */
export const CONSOLE_READ = 'console/Read';

/**
 * The OIP method a REST path is, for the access policy (the same names as over gRPC); undefined
 * for the health endpoints, which stay open for probes.
 */
function oipMethod(path: string): string | undefined {
  const service = 'inference.GRPCInferenceService';
  if (path.startsWith('/v2/health/')) return undefined;
  if (path === '/v2' || path === '/v2/') return `${service}/ServerMetadata`;
  if (path.endsWith('/infer')) return `${service}/ModelInfer`;
  if (path.endsWith('/ready')) return `${service}/ModelReady`;
  return `${service}/ModelMetadata`;
}
