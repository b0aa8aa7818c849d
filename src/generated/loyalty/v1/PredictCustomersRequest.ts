// Original file: proto/loyalty/v1/model_service.proto

import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from '../../loyalty/v1/CustomerRef';

export interface PredictCustomersRequest {
  /**
   * Model name, e.g. "propensity_30d" (ListModels lists them).
   */
  'modelName'?: (string);
  /**
   * Model version; empty means the version being served.
   */
  'version'?: (string);
  /**
   * The customers to score, 1 to the server's maximum batch size. By id, the
   * model's inputs must be features of the store; raw features must name
   * exactly the model's inputs (GetModelMetadata lists them).
   */
  'customers'?: (_loyalty_v1_CustomerRef)[];
  /**
   * For class probabilities and rankings: how many labels or items to answer,
   * best first; 0 means all of them (0 to the model's label count).
   */
  'topK'?: (number);
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain'?: (boolean);
}

export interface PredictCustomersRequest__Output {
  /**
   * Model name, e.g. "propensity_30d" (ListModels lists them).
   */
  'modelName': (string);
  /**
   * Model version; empty means the version being served.
   */
  'version': (string);
  /**
   * The customers to score, 1 to the server's maximum batch size. By id, the
   * model's inputs must be features of the store; raw features must name
   * exactly the model's inputs (GetModelMetadata lists them).
   */
  'customers': (_loyalty_v1_CustomerRef__Output)[];
  /**
   * For class probabilities and rankings: how many labels or items to answer,
   * best first; 0 means all of them (0 to the model's label count).
   */
  'topK': (number);
  /**
   * Reason codes for each scored customer (Explanation); at most 100 customers
   * per call with explain (INVALID_ARGUMENT above); FAILED_PRECONDITION when the
   * model's manifest has no background sample.
   */
  'explain': (boolean);
}
