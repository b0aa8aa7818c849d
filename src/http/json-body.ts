import type { IncomingMessage } from 'node:http';
import { Errors } from '../errors.js';
import { HttpError } from './responses.js';

/** A JSON body larger than this is refused (413) before it is read further. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Bytes of request bodies being read and parsed at once, over all requests, at most twice the
 * largest body. JSON.parse of a 16 MB body of small numbers held ~100 MB while it ran, and eight
 * at once took the server from 240 MB to 1,056 MB: past this budget a body is refused (429)
 * before it is read, not parsed and then shed.
 */
export const MAX_BODY_BYTES_IN_FLIGHT = 2 * MAX_BODY_BYTES;

/** The bytes of bodies in flight; one per server. */
export class BodyBudget {
  private used = 0;

  constructor(private readonly limit = MAX_BODY_BYTES_IN_FLIGHT) {}

  get inFlight(): number {
    return this.used;
  }

  /** Takes `bytes` of the budget or throws RESOURCE_EXHAUSTED (429). */
  take(bytes: number): void {
    if (this.used + bytes > this.limit) throw Errors.bodiesInFlight(Math.round(this.limit / 2 ** 20));
    this.used += bytes;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

/**
 * Reads and parses a JSON body within MAX_BODY_BYTES, its bytes counted in `budget` from the
 * first byte until the parse ends (a declared length is taken whole, before reading).
 */
export async function readJsonBody(req: IncomingMessage, budget: BodyBudget): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  let held = 0;
  const hold = (bytes: number) => {
    budget.take(bytes);
    held += bytes;
  };
  try {
    if (declared > 0) hold(declared);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
      if (size > held) hold(size - held);
      chunks.push(chunk as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw Errors.invalidArgument('the body is not valid JSON');
    }
  } finally {
    budget.give(held);
  }
}
