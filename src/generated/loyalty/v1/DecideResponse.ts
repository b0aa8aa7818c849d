// Original file: proto/loyalty/v1/decision_service.proto

import type { WeighedAction as _loyalty_v1_WeighedAction, WeighedAction__Output as _loyalty_v1_WeighedAction__Output } from '../../loyalty/v1/WeighedAction';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Explanation as _loyalty_v1_Explanation, Explanation__Output as _loyalty_v1_Explanation__Output } from '../../loyalty/v1/Explanation';

export interface DecideResponse {
  'customerId'?: (string);
  /**
   * The first eligible action with a positive expected net value; empty: the
   * best decision is to contact no one.
   */
  'recommendedAction'?: (string);
  /**
   * Every action of the catalogue: eligible ones first by expected net value,
   * then the excluded ones.
   */
  'actions'?: (_loyalty_v1_WeighedAction)[];
  /**
   * The model versions that answered.
   */
  'models'?: (_loyalty_v1_ModelRef)[];
  /**
   * When the features were computed.
   */
  'featuresAsOf'?: (_google_protobuf_Timestamp | null);
  /**
   * Whether the recommended action was recorded as a contact.
   */
  'recorded'?: (boolean);
  /**
   * Why the recommended action's model answered as it did, when asked.
   */
  'explanation'?: (_loyalty_v1_Explanation | null);
}

export interface DecideResponse__Output {
  'customerId': (string);
  /**
   * The first eligible action with a positive expected net value; empty: the
   * best decision is to contact no one.
   */
  'recommendedAction': (string);
  /**
   * Every action of the catalogue: eligible ones first by expected net value,
   * then the excluded ones.
   */
  'actions': (_loyalty_v1_WeighedAction__Output)[];
  /**
   * The model versions that answered.
   */
  'models': (_loyalty_v1_ModelRef__Output)[];
  /**
   * When the features were computed.
   */
  'featuresAsOf': (_google_protobuf_Timestamp__Output | null);
  /**
   * Whether the recommended action was recorded as a contact.
   */
  'recorded': (boolean);
  /**
   * Why the recommended action's model answered as it did, when asked.
   */
  'explanation': (_loyalty_v1_Explanation__Output | null);
}
