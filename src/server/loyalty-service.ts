import { Errors } from '../errors.js';
import type { CustomerRef__Output } from '../generated/loyalty/v1/CustomerRef.js';
import type { LoyaltyServiceHandlers } from '../generated/loyalty/v1/LoyaltyService.js';
import type { ScoreCustomersResponse } from '../generated/loyalty/v1/ScoreCustomersResponse.js';
import type { ScoredCustomer } from '../generated/loyalty/v1/ScoredCustomer.js';
import { validateBaseQuery } from '../serving/base-query.js';
import type { ChunkSink } from '../serving/base-stream.js';
import { DEFAULT_HORIZON_MONTHS } from '../serving/interpret.js';
import type { Prediction, ScoredChunk } from '../serving/prediction.js';
import type { ModelTarget, Predictor } from '../serving/predictor.js';
import type { RfmReader } from '../serving/rfm-reader.js';
import { validateModelRef } from '../serving/subjects.js';
import type { ModelKind } from '../serving/vocabulary.js';
import type { Implementation } from './call-wrapper.js';
import {
  forecastToWire,
  moneyToWire,
  predictionToWire,
  resultToWire,
  rfmToWire,
  riskBandToWire,
  subjectRefs,
} from './prediction-wire.js';
import { segmentFromWire, timestampOfDate } from './wire.js';

/**
 * Each prediction RPC of LoyaltyService as one row: the model-specific message its answer takes.
 * The core checked the model's output kind, so each mapper sees the kind it expects.
 */
const KIND_MESSAGES = {
  churn: (p: Prediction) => {
    if (p.kind !== 'binary_probability') throw unexpected(p);
    return { probability: p.probability, riskBand: riskBandToWire(p.riskBand) };
  },
  nbo: (p: Prediction) => {
    if (p.kind !== 'class_probabilities') throw unexpected(p);
    return {
      offers: p.labels.map((l) => ({
        offerCode: l.code,
        offerName: l.name,
        probability: l.probability,
        rank: l.rank,
      })),
    };
  },
  ltv: (p: Prediction) => {
    if (p.kind !== 'regression' || !p.money) throw unexpected(p);
    return {
      value: moneyToWire(p.money),
      horizonMonths: p.horizonMonths || DEFAULT_HORIZON_MONTHS,
      forecast: forecastToWire(p.forecast),
    };
  },
} satisfies Record<ModelKind, (p: Prediction) => unknown>;

function unexpected(p: Prediction) {
  return new Error(`a ${p.kind} answer reached the mapper of another kind`);
}

const SCORE_KINDS: Record<string, ModelKind | 'rfm'> = {
  SCORE_KIND_RFM: 'rfm',
  SCORE_KIND_CHURN: 'churn',
  SCORE_KIND_NBO: 'nbo',
  SCORE_KIND_LTV: 'ltv',
};

/** LoyaltyService: proto in, the core's domain calls, proto out. */
export function loyaltyService(predictor: Predictor, rfm: RfmReader): Implementation<LoyaltyServiceHandlers> {
  const byKind = async <P>(
    kind: ModelKind,
    shape: (p: Prediction) => P,
    req: { customers: CustomerRef__Output[]; explain: boolean; topK?: number },
    signal: AbortSignal,
  ) => {
    const refs = subjectRefs(req.customers);
    const answer = await predictor.predict(
      { kind },
      refs,
      { topK: req.topK ?? 0, explain: req.explain },
      signal,
    );
    return { model: answer.model, results: answer.results.map((r) => resultToWire(r, shape)) };
  };
  return {
    GetRfm: async (req, signal) => {
      const { results, thresholdsAsOf } = await rfm.read(subjectRefs(req.customers), signal);
      return {
        results: results.map((r) =>
          'error' in r
            ? resultToWire(r, () => null)
            : {
                customerId: r.id,
                rfm: rfmToWire(r.rfm),
                provenance: r.featuresAsOf ? { featuresAsOf: timestampOfDate(r.featuresAsOf) } : {},
              },
        ),
        thresholdsAsOf: timestampOfDate(thresholdsAsOf),
      };
    },
    PredictChurn: (req, signal) => byKind('churn', KIND_MESSAGES.churn, req, signal),
    PredictNbo: (req, signal) => byKind('nbo', KIND_MESSAGES.nbo, req, signal),
    PredictLtv: (req, signal) => byKind('ltv', KIND_MESSAGES.ltv, req, signal),
    ScoreCustomers: async (call, signal) => {
      const request = call.request;
      const kind = SCORE_KINDS[String(request.kind)];
      if (kind && request.modelName)
        throw Errors.invalidArgument('kind and model_name are both set: set one of them');
      if (!kind && !request.modelName)
        throw Errors.invalidArgument(
          'kind and model_name are unset: choose SCORE_KIND_RFM, SCORE_KIND_CHURN, SCORE_KIND_NBO or SCORE_KIND_LTV, or name a model',
        );
      const query = validateBaseQuery({
        chunkSize: request.chunkSize,
        topK: request.topK,
        // An unknown or unspecified enum value maps to no name, which the core refuses.
        segments: (request.filter?.segments ?? []).map((s) => segmentFromWire(s) ?? ''),
        tiers: request.filter?.tiers ?? [],
      });
      const sink = call as ChunkSink<ScoreCustomersResponse>;
      if (kind === 'rfm')
        return rfm.scoreBase(
          query,
          {
            write: (rows, written) =>
              sink.write(
                { customers: rows.map((r) => ({ customerId: r.id, rfm: rfmToWire(r.rfm) })) },
                written,
              ),
          },
          signal,
        );
      const target: ModelTarget = kind
        ? { kind }
        : {
            name: validateModelRef(request.modelName, request.version, 'model_name').name,
            version: request.version,
          };
      const customerToWire: (c: ScoredChunk['customers'][number]) => ScoredCustomer = kind
        ? (c) => ({
            customerId: c.id,
            modelVersion: c.version,
            [kind]: KIND_MESSAGES[kind](c.prediction),
          })
        : (c) => ({
            customerId: c.id,
            modelVersion: c.version,
            prediction: predictionToWire(c.prediction),
          });
      return predictor.scoreBase(
        target,
        { ...query, served: true },
        {
          write: (chunk, written) =>
            sink.write({ model: chunk.model, customers: chunk.customers.map(customerToWire) }, written),
        },
        signal,
      );
    },
  };
}
