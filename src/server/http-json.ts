import type { IncomingMessage, ServerResponse } from 'node:http';
import { status } from '@grpc/grpc-js';
import { Errors, LoyaltyError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * JSON over HTTP for the server's HTTP port (the OIP's REST endpoints, the admin endpoints):
 * bounded bodies, errors as `{"error": message}` with the HTTP status of the gRPC code.
 */

/** A JSON body larger than this is refused (413) before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

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

export function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw Errors.invalidArgument('the path is not valid percent-encoding');
  }
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Errors.invalidArgument('the body is not valid JSON');
  }
}

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

export function fail(deps: { logger: Logger }, res: ServerResponse, err: unknown): void {
  if (err instanceof HttpError) send(res, err.httpStatus, { error: err.message });
  else if (err instanceof LoyaltyError) send(res, HTTP_STATUS[err.code] ?? 500, { error: err.message });
  else {
    deps.logger.error({ err }, 'REST call failed');
    send(res, 500, { error: 'internal error' });
  }
}
