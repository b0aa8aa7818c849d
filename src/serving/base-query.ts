import { Errors } from '../errors.js';
import { MAX_TIER_FILTER } from '../features/online-store.js';
import { isSegmentName, type RfmSegmentName } from '../rfm/segments.js';

const DEFAULT_CHUNK = 1_000;
const MAX_CHUNK = 10_000;
const TIER_PATTERN = /^[a-z0-9_-]{1,32}$/;
const MAX_TOP_K = 1_000;

/** How a stream reads the base: its chunk size, its segment/tier filter, and labels per answer. */
export interface BaseQuery {
  chunkSize: number;
  filter: { segments: RfmSegmentName[]; tiers: string[] };
  topK: number;
}

/**
 * Validates what a caller asked of a stream over the base (segments by their names in
 * vocabulary.ts: a front end maps its own spelling first). chunkSize 0 takes the default.
 */
export function validateBaseQuery(q: {
  chunkSize: number;
  segments: readonly string[];
  tiers: readonly string[];
  topK: number;
}): BaseQuery {
  if (!Number.isInteger(q.topK) || q.topK < 0 || q.topK > MAX_TOP_K)
    throw Errors.invalidArgument(`top_k is ${q.topK}; at most ${MAX_TOP_K}`);
  const chunkSize = q.chunkSize === 0 ? DEFAULT_CHUNK : q.chunkSize;
  if (!Number.isInteger(chunkSize) || chunkSize < 0 || chunkSize > MAX_CHUNK)
    throw Errors.invalidArgument(`chunk_size ${chunkSize} is over the maximum ${MAX_CHUNK}`);
  const segments = q.segments.map((value, i) => {
    if (!isSegmentName(value)) throw Errors.invalidArgument(`filter.segments[${i}] is not a segment`);
    return value;
  });
  q.tiers.forEach((tier, i) => {
    if (!TIER_PATTERN.test(tier))
      throw Errors.invalidArgument(`filter.tiers[${i}] is malformed: tiers are 1-32 of a-z, 0-9, _ and -`);
  });
  const tiers = [...new Set(q.tiers)];
  if (tiers.length > MAX_TIER_FILTER) {
    throw Errors.invalidArgument(
      `filter.tiers has ${tiers.length} distinct tiers; at most ${MAX_TIER_FILTER} are accepted`,
    );
  }
  return { chunkSize, filter: { segments: [...new Set(segments)], tiers }, topK: q.topK };
}
