import type * as grpc from '@grpc/grpc-js';
import { Errors } from '../errors.js';

const MALFORMED = Symbol('malformed-request');

interface MalformedRequest {
  [MALFORMED]: string;
}

/**
 * The service with request decoding that cannot fail: grpc-js answers INTERNAL, the code of a
 * server bug, for bytes that do not decode, so a request that does not parse is handed to the
 * handler as a marker instead, which `checkDecoded` answers with INVALID_ARGUMENT.
 */
export function withTolerantDecoding(service: grpc.ServiceDefinition): grpc.ServiceDefinition {
  return Object.fromEntries(
    Object.entries(service).map(([name, method]) => [
      name,
      {
        ...method,
        requestDeserialize: (bytes: Buffer): unknown => {
          try {
            return method.requestDeserialize(bytes);
          } catch (err) {
            return {
              [MALFORMED]: err instanceof Error ? err.message : String(err),
            } satisfies MalformedRequest;
          }
        },
      },
    ]),
  );
}

/** Throws INVALID_ARGUMENT when the request did not decode as its message type. */
export function checkDecoded(request: unknown): void {
  if (request !== null && typeof request === 'object' && MALFORMED in request) {
    const reason = (request as MalformedRequest)[MALFORMED].slice(0, 100);
    throw Errors.invalidArgument(`the request is not a valid protobuf message of this method (${reason})`);
  }
}
