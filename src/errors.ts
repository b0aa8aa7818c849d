import { status } from '@grpc/grpc-js';

/**
 * Every error the server raises on purpose carries its gRPC status code from the moment it is
 * made; server/status.ts turns it into a ServiceError. `message` is safe to show to clients:
 * it says what was wrong and what is accepted, never SQL, stack traces or file paths. Details
 * for the operator go in `cause`, which is logged and never sent.
 */
export class LoyaltyError extends Error {
  constructor(
    readonly code: status,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LoyaltyError';
  }
}

export const Errors = {
  invalidArgument: (message: string) => new LoyaltyError(status.INVALID_ARGUMENT, message),
  failedPrecondition: (message: string) => new LoyaltyError(status.FAILED_PRECONDITION, message),
  storeUnavailable: (cause: unknown) =>
    new LoyaltyError(status.UNAVAILABLE, 'the feature store is unavailable; retry later', { cause }),
  deadlineExceeded: (stage: string) =>
    new LoyaltyError(status.DEADLINE_EXCEEDED, `deadline exceeded while ${stage}`),
  cancelled: () => new LoyaltyError(status.CANCELLED, 'call cancelled by the client'),
  overloaded: (limit: number) =>
    new LoyaltyError(
      status.RESOURCE_EXHAUSTED,
      `server overloaded: more than ${limit} calls in flight; retry with backoff`,
    ),
  shed: (expectedMs: number, allowedMs: number) =>
    new LoyaltyError(
      status.RESOURCE_EXHAUSTED,
      `server overloaded: expected wait ${Math.round(expectedMs)} ms exceeds ${Math.max(0, Math.round(allowedMs))} ms (the wait budget or the call's deadline); retry with backoff`,
    ),
  notMaterialized: () =>
    new LoyaltyError(
      status.FAILED_PRECONDITION,
      'the feature store has no materialized features yet; run the materialization job',
    ),
  staleMaterialization: (missing: readonly string[]) =>
    new LoyaltyError(
      status.FAILED_PRECONDITION,
      `the feature store was materialized by a version with other features${missing.length ? ` (it lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''})` : ''}; re-materialize it (run the materialization job again, e.g. make seed-mysql for the demo base)`,
    ),
  cannotExplain: (model: string, version: string) =>
    new LoyaltyError(
      status.FAILED_PRECONDITION,
      `model ${model} version ${version} cannot explain: its manifest has no explanation background (train it with the pipeline: make models)`,
    ),
  inferenceFailed: (cause: unknown) =>
    new LoyaltyError(status.UNAVAILABLE, 'an inference worker failed twice on this batch; retry', { cause }),
  inferenceTimeout: (ms: number, cause: unknown) =>
    new LoyaltyError(
      status.UNAVAILABLE,
      `inference took longer than ${ms} ms; the worker was replaced; retry`,
      { cause },
    ),
  queueFull: (model: string, limit: number) =>
    new LoyaltyError(
      status.RESOURCE_EXHAUSTED,
      `the batching queue of model ${model} is full (${limit} rows waiting); retry with backoff`,
    ),
  modelNotFound: (name: string, version: string | undefined, available: string[]) =>
    new LoyaltyError(
      status.NOT_FOUND,
      `model ${name}${version ? ` version ${version}` : ''} is not loaded; loaded: ${available.length ? available.join(', ') : 'none'}`,
    ),
  unauthenticated: (why: string) =>
    new LoyaltyError(
      status.UNAUTHENTICATED,
      `${why}: present a client certificate the server trusts or "authorization: Bearer <token>"`,
    ),
  permissionDenied: (caller: string, method: string) =>
    new LoyaltyError(status.PERMISSION_DENIED, `caller ${caller} may not call ${method}`),
  bodiesInFlight: (megabytes: number) =>
    new LoyaltyError(
      status.RESOURCE_EXHAUSTED,
      `server busy: more than ${megabytes} MB of request bodies are being read; retry with backoff`,
    ),
  shuttingDown: () =>
    new LoyaltyError(status.UNAVAILABLE, 'server is shutting down; retry on another instance'),
};
