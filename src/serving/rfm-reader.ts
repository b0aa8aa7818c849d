import { Errors } from '../errors.js';
import type { FeatureSetState } from '../features/feature-set-catalog.js';
import type { CustomerFilter } from '../features/online-store.js';
import { type RfmScores, type RfmValues, scoreRfm } from '../rfm/rfm-scoring.js';
import { type BaseSource, type ChunkSink, type StreamStats, streamBase } from './base-stream.js';
import type { ItemError } from './prediction.js';
import { fetchRows, type RowSource } from './row-fetch.js';
import { abortable } from './signals.js';
import { notFound, type SubjectRef, validateSubjects } from './subjects.js';

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

/** One customer's RFM: values (monetary in cents of `currency`), scores and segment. */
export interface RfmReading {
  values: RfmValues;
  scores: RfmScores;
  currency: string;
}

export type RfmResult =
  | { id: string; rfm: RfmReading; featuresAsOf: string | undefined }
  | { id: string; error: ItemError };

export interface RfmReaderDeps {
  rows: RowSource;
  catalog: { current(): Promise<FeatureSetState> };
  store: BaseSource;
  maxBatchSize: number;
  streamStats: StreamStats;
}

/** RFM segmentation, which needs no model: of store customers or of raw values, single and streamed. */
export class RfmReader {
  constructor(private readonly deps: RfmReaderDeps) {}

  async read(
    refs: readonly SubjectRef[],
    signal: AbortSignal,
  ): Promise<{ results: RfmResult[]; thresholdsAsOf: string }> {
    const subjects = validateSubjects(refs, this.deps.maxBatchSize, RFM_RAW_FEATURES);
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
    const rows = await fetchRows(this.deps.rows, subjects, signal);
    const results = subjects.map((s): RfmResult => {
      if (s.kind === 'raw') {
        const values: RfmValues = {
          recencyDays: s.values.get('recency_days')!,
          frequency: s.values.get('frequency')!,
          monetaryCents: Math.round(s.values.get('monetary')! * 100),
        };
        return {
          id: s.reference,
          rfm: { values, scores: scoreRfm(values, thresholds), currency: info.currency },
          featuresAsOf: undefined,
        };
      }
      const row = rows.get(s.customerId);
      if (!row) return { id: s.customerId, error: notFound(s.customerId) };
      return {
        id: s.customerId,
        rfm: { values: row.rfm, scores: row.scores, currency: info.currency },
        featuresAsOf: row.asOf,
      };
    });
    return { results, thresholdsAsOf: thresholds.asOf };
  }

  /** The base (or a filter of it) in customer id order, a chunk at a time. */
  async scoreBase(
    query: { chunkSize: number; filter: CustomerFilter },
    sink: ChunkSink<{ id: string; rfm: RfmReading }[]>,
    signal: AbortSignal,
  ): Promise<void> {
    const { info } = await this.deps.catalog.current();
    await streamBase(
      sink,
      { store: this.deps.store, chunkSize: query.chunkSize, filter: query.filter },
      (rows) =>
        rows.map((row) => ({
          id: row.customerId,
          rfm: { values: row.rfm, scores: row.scores, currency: info.currency },
        })),
      this.deps.streamStats,
      signal,
    );
  }
}
