import { Errors } from '../errors.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { RfmScores, RfmValues } from '../features/feature-set.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { CustomerFilter, OnlineFeatureStore } from '../features/online-store.js';
import type { GetRfmRequest__Output } from '../generated/loyalty/v1/GetRfmRequest.js';
import type { GetRfmResponse } from '../generated/loyalty/v1/GetRfmResponse.js';
import type { RfmResult } from '../generated/loyalty/v1/RfmResult.js';
import type { RfmScores as RfmScoresWire } from '../generated/loyalty/v1/RfmScores.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import { scoreRfm } from '../rfm/rfm-scoring.js';
import { SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';
import { abortable } from './call-guard.js';
import { type MessageSink, type StreamStats, streamCustomers } from './paced-stream.js';
import { fetchRows, notFound } from './subjects.js';
import { validateSubjects } from './validation.js';
import { moneyFromCents, segmentToWire, timestampOfDate } from './wire.js';

/** Raw feature names GetRfm accepts for a customer not in the store. */
export const RFM_RAW_FEATURES = ['recency_days', 'frequency', 'monetary'] as const;

/**
 * Largest raw RFM values: a century of days, a billion purchases, and ten trillion in currency
 * units, below which an amount in cents is still an exact integer (Money's units is an int64,
 * but a double holds whole cents exactly only up to 2^53).
 */
const RFM_RAW_MAX: Record<(typeof RFM_RAW_FEATURES)[number], number> = {
  recency_days: 36_600,
  frequency: 1e9,
  monetary: 1e13,
};

export interface RfmEndpointDeps {
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  store: OnlineFeatureStore;
  maxBatchSize: number;
  streamStats: StreamStats;
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
      if (s.kind !== 'raw') continue;
      for (const name of RFM_RAW_FEATURES) {
        const v = s.values.get(name)!;
        if (v < 0 || v > RFM_RAW_MAX[name]) {
          throw Errors.invalidArgument(
            `customers[${i}].features.${name} is ${v}; it must be from 0 to ${RFM_RAW_MAX[name]}`,
          );
        }
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

  /** Streams the base (or a filter of it) in customer id order, honouring flow control. */
  async scoreCustomers(
    call: MessageSink<ScoreCustomersResponse>,
    chunkSize: number,
    filter: CustomerFilter,
    signal: AbortSignal,
  ): Promise<void> {
    const { info } = await this.deps.catalog.current();
    await streamCustomers(
      call,
      { store: this.deps.store, chunkSize, filter },
      (rows) => ({
        customers: rows.map((row) => ({
          customerId: row.customerId,
          rfm: rfmToWire(row.rfm, row.scores, info.currency),
        })),
      }),
      this.deps.streamStats,
      signal,
    );
  }
}
