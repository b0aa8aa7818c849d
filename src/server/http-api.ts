import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { fail, send } from './http-json.js';
import { type OipRestDeps, REQUEST_TIMEOUT_MS, routeOip } from './oip-rest.js';
import { type PolicyAdminDeps, routeAdmin } from './policy-admin.js';

export interface HttpApiServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The server's HTTP port: the Open Inference Protocol's REST endpoints under /v2 and the admin
 * endpoints under /admin, each a thin adapter over the components the gRPC services use.
 */
export async function startHttpApi(
  deps: OipRestDeps & PolicyAdminDeps & { logger: Logger },
  host: string,
  port: number,
): Promise<HttpApiServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const handled = path.startsWith('/admin/')
      ? routeAdmin(deps, req, res, path)
      : path === '/v2' || path.startsWith('/v2/')
        ? routeOip(deps, req, res)
        : Promise.resolve(send(res, 404, { error: `no such endpoint: ${req.method} ${path.slice(0, 100)}` }));
    handled.catch((err: unknown) => fail(deps, res, err));
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
