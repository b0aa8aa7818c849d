import type { ServerResponse } from 'node:http';
import { status } from '@grpc/grpc-js';
import { Errors, LoyaltyError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * JSON answers of the HTTP port: errors are `{"error": message}` with the HTTP status of the
 * gRPC code they carry (one table for every route).
 */

const HTTP_STATUS: Partial<Record<status, number>> = {
  [status.INVALID_ARGUMENT]: 400,
  [status.NOT_FOUND]: 404,
  [status.FAILED_PRECONDITION]: 400,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.UNAVAILABLE]: 503,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.CANCELLED]: 499,
  [status.UNAUTHENTICATED]: 401,
  [status.PERMISSION_DENIED]: 403,
};

/** An error that is an HTTP status only (404, 405, 413, ...). */
export class HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function fail(logger: Logger, res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) send(res, err.httpStatus, { error: err.message });
  else if (err instanceof LoyaltyError) send(res, HTTP_STATUS[err.code] ?? 500, { error: err.message });
  else {
    logger.error({ err }, 'HTTP call failed');
    send(res, 500, { error: 'internal error' });
  }
}

/** A path segment, percent-decoded (INVALID_ARGUMENT when it is not valid percent-encoding). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw Errors.invalidArgument('the path is not valid percent-encoding');
  }
}
