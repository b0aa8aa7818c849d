import * as grpc from '@grpc/grpc-js';
import type { HealthImplementation } from 'grpc-health-check';

/** Longest service name a health check looks up; a longer one is refused, never echoed. */
export const MAX_HEALTH_SERVICE_NAME = 256;

type Handler = (call: { request: { service?: unknown } }, ...rest: unknown[]) => unknown;

/**
 * Adds grpc.health.v1 to a server with the service name bounded before the library sees it:
 * the library echoes the name into its NOT_FOUND message (a 1,000,042-character answer, which
 * clients with default limits read as RESOURCE_EXHAUSTED) and keys Watch's watchers by it. A name
 * over MAX_HEALTH_SERVICE_NAME characters is INVALID_ARGUMENT, saying only its length.
 */
export function addBoundedHealth(health: HealthImplementation, server: grpc.Server): void {
  const bounded = {
    addService(service: grpc.ServiceDefinition, implementation: Record<string, Handler>) {
      const guarded = Object.fromEntries(
        Object.entries(implementation).map(([method, handler]) => [method, guard(method, handler)]),
      );
      server.addService(service, guarded as grpc.UntypedServiceImplementation);
    },
  };
  health.addToServer(bounded as unknown as grpc.Server);
}

function guard(method: string, handler: Handler): Handler {
  return (call, ...rest) => {
    const name = call.request.service;
    if (typeof name !== 'string' || name.length <= MAX_HEALTH_SERVICE_NAME) return handler(call, ...rest);
    const error = {
      code: grpc.status.INVALID_ARGUMENT,
      details: `the service name has ${name.length} characters; at most ${MAX_HEALTH_SERVICE_NAME}`,
    };
    if (method === 'watch')
      (call as unknown as grpc.ServerWritableStream<unknown, unknown>).emit('error', error);
    else (rest[0] as grpc.sendUnaryData<unknown>)(error);
    return undefined;
  };
}
