// Original file: proto/loyalty/v1/model_service.proto

import type { Row as _loyalty_v1_Row, Row__Output as _loyalty_v1_Row__Output } from '../../loyalty/v1/Row';

export interface PredictRequest {
  /**
   * Model name, e.g. "churn".
   */
  'modelName'?: (string);
  /**
   * Model version; empty means the version being served.
   */
  'version'?: (string);
  /**
   * Input rows, 1 to the server's maximum batch size; each has exactly as
   * many values as the model has inputs.
   */
  'rows'?: (_loyalty_v1_Row)[];
}

export interface PredictRequest__Output {
  /**
   * Model name, e.g. "churn".
   */
  'modelName': (string);
  /**
   * Model version; empty means the version being served.
   */
  'version': (string);
  /**
   * Input rows, 1 to the server's maximum batch size; each has exactly as
   * many values as the model has inputs.
   */
  'rows': (_loyalty_v1_Row__Output)[];
}
