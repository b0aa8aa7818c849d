import { Errors } from '../errors.js';
import { MAX_TIER_FILTER } from '../features/online-store.js';
import type { ScoreCustomersRequest__Output } from '../generated/loyalty/v1/ScoreCustomersRequest.js';
import { validateModelRef } from './validation.js';
import { segmentFromWire } from './wire.js';

const DEFAULT_CHUNK = 1_000;
const MAX_CHUNK = 10_000;
const TIER_PATTERN = /^[a-z0-9_-]{1,32}$/;
const MAX_TOP_K = 1_000;

export type ScoreKind = 'rfm' | 'churn' | 'nbo' | 'ltv';

/** What a stream computes: RFM, a named kind's model, or any model by name. */
export type ScoreTarget =
  | { kind: ScoreKind }
  | { model: { name: string; version: string | undefined }; topK: number };

export interface ScoreRequest {
  target: ScoreTarget;
  chunkSize: number;
  filter: { segments: string[]; tiers: string[] };
}

/** Validates a ScoreCustomers request. */
export function parseScoreRequest(request: ScoreCustomersRequest__Output): ScoreRequest {
  const kinds: Record<string, ScoreKind> = {
    SCORE_KIND_RFM: 'rfm',
    SCORE_KIND_CHURN: 'churn',
    SCORE_KIND_NBO: 'nbo',
    SCORE_KIND_LTV: 'ltv',
  };
  const kind = kinds[String(request.kind)];
  if (kind && request.modelName)
    throw Errors.invalidArgument('kind and model_name are both set: set one of them');
  if (!kind && !request.modelName)
    throw Errors.invalidArgument(
      'kind and model_name are unset: choose SCORE_KIND_RFM, SCORE_KIND_CHURN, SCORE_KIND_NBO or SCORE_KIND_LTV, or name a model',
    );
  if (request.topK > MAX_TOP_K)
    throw Errors.invalidArgument(`top_k is ${request.topK}; at most ${MAX_TOP_K}`);
  const target: ScoreTarget = kind
    ? { kind }
    : { model: validateModelRef(request.modelName, request.version, 'model_name'), topK: request.topK };
  const chunkSize = request.chunkSize === 0 ? DEFAULT_CHUNK : request.chunkSize;
  if (chunkSize > MAX_CHUNK)
    throw Errors.invalidArgument(`chunk_size ${chunkSize} is over the maximum ${MAX_CHUNK}`);
  const segments = (request.filter?.segments ?? []).map((value, i) => {
    const segment = segmentFromWire(value);
    if (!segment) throw Errors.invalidArgument(`filter.segments[${i}] is not a segment`);
    return segment;
  });
  const tiers = request.filter?.tiers ?? [];
  tiers.forEach((tier, i) => {
    if (!TIER_PATTERN.test(tier))
      throw Errors.invalidArgument(`filter.tiers[${i}] is malformed: tiers are 1-32 of a-z, 0-9, _ and -`);
  });
  const distinctTiers = [...new Set(tiers)];
  if (distinctTiers.length > MAX_TIER_FILTER) {
    throw Errors.invalidArgument(
      `filter.tiers has ${distinctTiers.length} distinct tiers; at most ${MAX_TIER_FILTER} are accepted`,
    );
  }
  return { target, chunkSize, filter: { segments: [...new Set(segments)], tiers: distinctTiers } };
}
