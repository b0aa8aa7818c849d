import type { IncomingMessage, ServerResponse } from 'node:http';

/** Who made a change with caller authorization off (from the server's own host). */
export const ANONYMOUS = 'anonymous (caller authorization off)';

/** What a route's handler gets: the request, its answer, the path's groups (decoded), the caller. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  query: URLSearchParams;
  /** The authorized caller; undefined with caller authorization off or on an open route. */
  caller: string | undefined;
}

/**
 * One endpoint of the HTTP port. Every route says who may call it: `access` lists the access
 * policy's methods any of which lets a caller in ('open' only for health probes and the
 * console's static files, which hold no data).
 */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Matched against the whole path; its groups become `params`, percent-decoded. */
  path: RegExp;
  access: 'open' | readonly string[];
  /**
   * Changes server state: refused unless the Host header names this server (not a name a
   * browser was tricked into resolving here) and an Origin, when sent, is that same host; with
   * caller authorization off, only from a loopback peer.
   */
  changesState?: boolean;
  handle(ctx: RouteContext): Promise<void> | void;
}
