import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { LoyaltyError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The one place where errors become gRPC statuses. A LoyaltyError keeps its code and its
 * client-safe message; anything else is a bug or an outage we did not classify, answered as
 * INTERNAL with a generic message while the details go to the log only.
 */
export function toServiceError(err: unknown, logger: Logger, method: string): Partial<ServiceError> {
  if (err instanceof LoyaltyError) {
    const level = err.code === status.UNAVAILABLE || err.code === status.INTERNAL ? 'error' : 'debug';
    logger[level]({ method, code: status[err.code], err: err.cause ?? undefined }, err.message);
    return { code: err.code, details: err.message, metadata: new Metadata() };
  }
  logger.error({ method, err }, 'unexpected error');
  return { code: status.INTERNAL, details: 'internal error', metadata: new Metadata() };
}
