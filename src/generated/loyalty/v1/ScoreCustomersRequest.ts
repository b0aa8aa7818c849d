// Original file: proto/loyalty/v1/loyalty_service.proto

import type { ScoreKind as _loyalty_v1_ScoreKind, ScoreKind__Output as _loyalty_v1_ScoreKind__Output } from '../../loyalty/v1/ScoreKind';
import type { CustomerFilter as _loyalty_v1_CustomerFilter, CustomerFilter__Output as _loyalty_v1_CustomerFilter__Output } from '../../loyalty/v1/CustomerFilter';

export interface ScoreCustomersRequest {
  /**
   * What to compute; leave unset when model_name is set.
   */
  'kind'?: (_loyalty_v1_ScoreKind);
  /**
   * Which customers; empty scores the whole base.
   */
  'filter'?: (_loyalty_v1_CustomerFilter | null);
  /**
   * Customers per streamed message, 1 to 10,000; 0 means 1,000.
   */
  'chunkSize'?: (number);
  /**
   * Any loaded model whose inputs are features of the store (ListModels lists
   * the models), instead of kind: each customer then carries a prediction.
   */
  'modelName'?: (string);
  /**
   * The model's version; empty means the version being served.
   */
  'version'?: (string);
  /**
   * For a model with class probabilities or a ranking: labels or items per
   * customer, best first; 0 means all.
   */
  'topK'?: (number);
}

export interface ScoreCustomersRequest__Output {
  /**
   * What to compute; leave unset when model_name is set.
   */
  'kind': (_loyalty_v1_ScoreKind__Output);
  /**
   * Which customers; empty scores the whole base.
   */
  'filter': (_loyalty_v1_CustomerFilter__Output | null);
  /**
   * Customers per streamed message, 1 to 10,000; 0 means 1,000.
   */
  'chunkSize': (number);
  /**
   * Any loaded model whose inputs are features of the store (ListModels lists
   * the models), instead of kind: each customer then carries a prediction.
   */
  'modelName': (string);
  /**
   * The model's version; empty means the version being served.
   */
  'version': (string);
  /**
   * For a model with class probabilities or a ranking: labels or items per
   * customer, best first; 0 means all.
   */
  'topK': (number);
}
