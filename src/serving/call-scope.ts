import { randomUUID } from 'node:crypto';

/** Who made a call and under which request id: what the prediction log records of it. */
export interface CallScope {
  readonly requestId: string;
  /** The authorized caller; undefined with caller authorization off. */
  caller: string | undefined;
}

// Keyed by the call's abort signal, which every layer of the prediction core already receives:
// no async-context machinery on the request path, and an entry goes when its call does.
const scopes = new WeakMap<AbortSignal, CallScope>();

export function setCallScope(signal: AbortSignal, scope: CallScope): void {
  scopes.set(signal, scope);
}

export function callScopeOf(signal: AbortSignal): CallScope | undefined {
  return scopes.get(signal);
}

/**
 * A call's scope. The request id is the caller's (`x-request-id`) when it is 1-128 printable
 * ASCII characters, else a new one: a caller cannot put anything else into the log. It is worked
 * out when first read, so calls that nothing logs pay for no id.
 */
export function callScope(requestIdHeader: unknown, caller: string | undefined): CallScope {
  let requestId: string | undefined;
  return {
    caller,
    get requestId() {
      requestId ??=
        typeof requestIdHeader === 'string' && /^[\x21-\x7e]{1,128}$/.test(requestIdHeader)
          ? requestIdHeader
          : randomUUID();
      return requestId;
    },
  };
}
