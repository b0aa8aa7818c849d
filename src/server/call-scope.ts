import { randomUUID } from 'node:crypto';

/** Who made a call and under which request id: what the prediction log records of it. */
export interface CallScope {
  requestId: string;
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
 * The caller's request id (`x-request-id`) when it is 1-128 printable ASCII characters, else a
 * new one: a caller cannot put anything else into the log.
 */
export function requestIdFrom(value: unknown): string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value) ? value : randomUUID();
}
