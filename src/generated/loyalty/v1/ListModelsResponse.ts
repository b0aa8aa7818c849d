// Original file: proto/loyalty/v1/model_service.proto

import type { ModelSummary as _loyalty_v1_ModelSummary, ModelSummary__Output as _loyalty_v1_ModelSummary__Output } from '../../loyalty/v1/ModelSummary';

export interface ListModelsResponse {
  /**
   * Every loaded model, by name.
   */
  'models'?: (_loyalty_v1_ModelSummary)[];
}

export interface ListModelsResponse__Output {
  /**
   * Every loaded model, by name.
   */
  'models': (_loyalty_v1_ModelSummary__Output)[];
}
