import type { ServedModel } from './served-model.js';
import { CANARY_SCALE, canaryBucket } from './serving-policy.js';

/**
 * Where the rows of one call go. A call that names a version has only a primary; one that names
 * none also gets the policy's canary (for its share of customers) and shadow, when they are loaded
 * and differ from the primary.
 */
export interface Route {
  /** The version a call named, or the policy's default. */
  primary: ServedModel;
  /** The canary and the buckets (of CANARY_SCALE) of customers it takes. */
  canary: { model: ServedModel; buckets: number } | undefined;
  /** Scored on the primary's rows after the answer, never returned. */
  shadow: ServedModel | undefined;
}

/** The version that scores a customer: the canary for its share of ids, else the primary. */
export function versionFor(route: Route, customerId: string | undefined): ServedModel {
  const canary = route.canary;
  if (!canary || canary.buckets === 0) return route.primary;
  if (canary.buckets >= CANARY_SCALE) return canary.model;
  // Rows with no customer (raw features) have nothing to stick to: the primary answers them.
  if (customerId === undefined) return route.primary;
  return canaryBucket(route.primary.name, customerId) < canary.buckets ? canary.model : route.primary;
}
