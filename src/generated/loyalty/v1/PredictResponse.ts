// Original file: proto/loyalty/v1/model_service.proto

import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';
import type { Row as _loyalty_v1_Row, Row__Output as _loyalty_v1_Row__Output } from '../../loyalty/v1/Row';

export interface PredictResponse {
  /**
   * The model version that produced the outputs.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
  /**
   * One output row per input row, in request order.
   */
  'rows'?: (_loyalty_v1_Row)[];
}

export interface PredictResponse__Output {
  /**
   * The model version that produced the outputs.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
  /**
   * One output row per input row, in request order.
   */
  'rows': (_loyalty_v1_Row__Output)[];
}
