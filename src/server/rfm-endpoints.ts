import type { ServerWritableStream } from '@grpc/grpc-js';
import { Errors } from '../errors.js';
import type { FeatureLookup } from '../features/feature-lookup.js';
import type { RfmScores, RfmValues } from '../features/feature-set.js';
import type { FeatureSetCatalog } from '../features/feature-set-catalog.js';
import type { CustomerFilter, OnlineFeatureStore } from '../features/online-store.js';
import type { GetRfmRequest__Output } from '../generated/loyalty/v1/GetRfmRequest.js';
import type { GetRfmResponse } from '../generated/loyalty/v1/GetRfmResponse.js';
import type { RfmResult } from '../generated/loyalty/v1/RfmResult.js';
import type { RfmScores as RfmScoresWire } from '../generated/loyalty/v1/RfmScores.js';
import type { ScoreCustomersRequest__Output } from '../generated/loyalty/v1/ScoreCustomersRequest.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import { scoreRfm } from '../rfm/rfm-scoring.js';
import { SEGMENT_DISPLAY_NAMES } from '../rfm/segments.js';
import { abortable, throwIfAborted } from './call-guard.js';
import { fetchRows, notFound } from './subjects.js';
import { validateSubjects } from './validation.js';
import { moneyFromCents, segmentToWire, timestampOfDate } from './wire.js';

/** Raw feature names GetRfm accepts for a customer not in the store. */
export const RFM_RAW_FEATURES = ['recency_days', 'frequency', 'monetary'] as const;

export interface RfmEndpointDeps {
  lookup: FeatureLookup;
  catalog: FeatureSetCatalog;
  store: OnlineFeatureStore;
  maxBatchSize: number;
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

  /** Streams the base (or a filter of it) in customer id order, honouring flow control. */
  async scoreCustomers(
    call: ServerWritableStream<ScoreCustomersRequest__Output, ScoreCustomersResponse>,
    chunkSize: number,
    filter: CustomerFilter,
    signal: AbortSignal,
  ): Promise<void> {
    const { info } = await this.deps.catalog.current();
    let after = '';
    for (;;) {
      throwIfAborted(signal);
      const rows = await this.deps.store.scan(after, chunkSize, filter);
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
