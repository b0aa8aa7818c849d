import * as grpc from '@grpc/grpc-js';
import { type App, startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openBackend } from '../../src/features/open-store.js';
import { createLogger } from '../../src/logger.js';
import { loadContract } from '../../src/server/proto.js';

/** A real server on a loopback port, configured as from the environment given. */
export async function startTestServer(env: Record<string, string>): Promise<App> {
  const config = loadConfig({
    LOYALTY_GRPC_HOST: '127.0.0.1',
    LOYALTY_GRPC_PORT: '0',
    LOYALTY_SHUTDOWN_GRACE_MS: '2000',
    ...env,
  });
  return startApp(config, openBackend(config.store), createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
}

export function loyaltyClient(port: number) {
  const { grpcObject } = loadContract();
  return new grpcObject.loyalty.v1.LoyaltyService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

export function modelClient(port: number) {
  const { grpcObject } = loadContract();
  return new grpcObject.loyalty.v1.ModelService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** Calls a unary method and settles with its response or its ServiceError. */
export function call<Req, Res>(
  fn: (
    req: Req,
    options: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, res?: Res) => void,
  ) => unknown,
  request: Req,
  options: grpc.CallOptions = {},
): Promise<{ error: grpc.ServiceError | null; response: Res | undefined }> {
  return new Promise((resolve) => {
    fn(request, options, (error, response) => resolve({ error, response }));
  });
}

export const inSeconds = (s: number) => Date.now() + s * 1000;
