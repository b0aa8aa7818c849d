import type { ServerWritableStream } from '@grpc/grpc-js';
import { Errors } from '../errors.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { FeatureRow, RfmScores, RfmValues } from '../features/feature-set.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { OnlineFeatureStore } from '../features/online-store.js';
import type { GetRfmRequest__Output } from '../generated/loyalty/v1/GetRfmRequest.js';
import type { GetRfmResponse } from '../generated/loyalty/v1/GetRfmResponse.js';
import type { RfmResult } from '../generated/loyalty/v1/RfmResult.js';
import type { RfmScores as RfmScoresWire } from '../generated/loyalty/v1/RfmScores.js';
import type { ScoreCustomersRequest__Output } from '../generated/loyalty/v1/ScoreCustomersRequest.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import { scoreRfm } from '../rfm/rfm-scoring.js';
import { SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';
import { abortable, throwIfAborted } from './call-guard.js';
import { type Subject, validateSubjects } from './validation.js';
import { moneyFromCents, segmentFromWire, segmentToWire, timestampOfDate } from './wire.js';

/** Raw feature names GetRfm accepts for a customer not in the store. */
export const RFM_RAW_FEATURES = ['recency_days', 'frequency', 'monetary'] as const;

const STATUS_NOT_FOUND = 5;
const DEFAULT_CHUNK = 1_000;
const MAX_CHUNK = 10_000;
const TIER_PATTERN = /^[a-z0-9_-]{1,32}$/;

export interface RfmEndpointDeps {
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  store: OnlineFeatureStore;
  maxBatchSize: number;
}

/** Per-customer features of a request's subjects: store rows by id, fetched in one lookup. */
async function fetchRows(
  lookup: FeatureLookup,
  subjects: readonly Subject[],
  signal: AbortSignal,
): Promise<Map<string, FeatureRow | undefined>> {
  const ids = subjects.flatMap((s) => (s.kind === 'customer' ? [s.customerId] : []));
  if (ids.length === 0) return new Map();
  throwIfAborted(signal);
  return abortable(lookup.getMany(ids), signal);
}

function notFound(customerId: string) {
  return {
    code: STATUS_NOT_FOUND,
    reason: 'ERROR_REASON_CUSTOMER_NOT_FOUND' as const,
    message: `customer ${customerId} is not in the feature store`,
  };
}

function rfmToWire(values: RfmValues, scores: RfmScores, currency: string): RfmScoresWire {
  return {
    recencyScore: scores.r,
    frequencyScore: scores.f,
    monetaryScore: scores.m,
    segment: segmentToWire(scores.segment),
    segmentName: SEGMENT_DISPLAY_NAMES[scores.segment],
    recencyDays: values.recencyDays,
    frequency: values.frequency,
    monetary: moneyFromCents(values.monetaryCents, currency),
  };
}

/** The RPCs of LoyaltyService that need no model: RFM segmentation, single and streamed. */
export class RfmEndpoints {
  constructor(private readonly deps: RfmEndpointDeps) {}

  async getRfm(request: GetRfmRequest__Output, signal: AbortSignal): Promise<GetRfmResponse> {
    const subjects = validateSubjects(request.customers, this.deps.maxBatchSize, RFM_RAW_FEATURES);
    for (const [i, s] of subjects.entries()) {
      if (s.kind === 'raw' && [...s.values.values()].some((v) => v < 0)) {
        throw Errors.invalidArgument(`customers[${i}].features: RFM values must be zero or positive`);
      }
    }
    const { info, thresholds } = await abortable(this.deps.catalog.current(), signal);
    const rows = await fetchRows(this.deps.lookup, subjects, signal);
    const results = subjects.map((s): RfmResult => {
      if (s.kind === 'raw') {
        const values: RfmValues = {
          recencyDays: s.values.get('recency_days')!,
          frequency: s.values.get('frequency')!,
          monetaryCents: Math.round(s.values.get('monetary')! * 100),
        };
        return {
          customerId: s.reference,
          rfm: rfmToWire(values, scoreRfm(values, thresholds), info.currency),
          provenance: {},
        };
      }
      const row = rows.get(s.customerId);
      if (!row) return { customerId: s.customerId, error: notFound(s.customerId) };
      return {
        customerId: s.customerId,
        rfm: rfmToWire(row.rfm, row.scores, info.currency),
        provenance: { featuresAsOf: timestampOfDate(row.asOf) },
      };
    });
    return { results, thresholdsAsOf: timestampOfDate(thresholds.asOf) };
  }

  /** Streams the base (or a segment) in customer id order, honouring flow control. */
  async scoreCustomers(
    call: ServerWritableStream<ScoreCustomersRequest__Output, ScoreCustomersResponse>,
    signal: AbortSignal,
  ): Promise<void> {
    const request = call.request;
    const kind = String(request.kind);
    if (kind === 'SCORE_KIND_UNSPECIFIED') {
      throw Errors.invalidArgument('kind is unset: choose SCORE_KIND_RFM, _CHURN, _NBO or _LTV');
    }
    if (kind !== 'SCORE_KIND_RFM') {
      throw Errors.unimplemented(
        `ScoreCustomers for ${kind} is not implemented yet: it needs the inference core; SCORE_KIND_RFM works`,
      );
    }
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

    const { info } = await this.deps.catalog.current();
    let after = '';
    for (;;) {
      throwIfAborted(signal);
      const rows = await this.deps.store.scan(after, chunkSize, { segments, tiers });
      if (rows.length === 0) return;
      const message: ScoreCustomersResponse = {
        customers: rows.map((row) => ({
          customerId: row.customerId,
          rfm: rfmToWire(row.rfm, row.scores, info.currency),
        })),
      };
      if (!call.write(message)) await waitForDrain(call, signal);
      after = rows[rows.length - 1]!.customerId;
      if (rows.length < chunkSize) return;
    }
  }
}

function waitForDrain(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => call.once('drain', resolve)), signal);
}
