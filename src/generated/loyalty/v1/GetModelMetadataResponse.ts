// Original file: proto/loyalty/v1/model_service.proto

import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from '../../loyalty/v1/ModelRef';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { OutputKind as _loyalty_v1_OutputKind, OutputKind__Output as _loyalty_v1_OutputKind__Output } from '../../loyalty/v1/OutputKind';
import type { BatchingConfig as _loyalty_v1_BatchingConfig, BatchingConfig__Output as _loyalty_v1_BatchingConfig__Output } from '../../loyalty/v1/BatchingConfig';

export interface GetModelMetadataResponse {
  /**
   * The described version.
   */
  'model'?: (_loyalty_v1_ModelRef | null);
  /**
   * When the model was trained.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The feature-store date the training data was taken as of.
   */
  'trainingDataAsOf'?: (_google_protobuf_Timestamp | null);
  /**
   * Input feature names, in the order of the input row.
   */
  'inputNames'?: (string)[];
  /**
   * What the output means.
   */
  'outputKind'?: (_loyalty_v1_OutputKind);
  /**
   * Output labels, in the order of the output vector (e.g. offer codes).
   */
  'outputLabels'?: (string)[];
  /**
   * Held-out test metrics by name (e.g. "roc_auc").
   */
  'metrics'?: ({[key: string]: number | string});
  /**
   * Dynamic batching in force for this model.
   */
  'batching'?: (_loyalty_v1_BatchingConfig | null);
}

export interface GetModelMetadataResponse__Output {
  /**
   * The described version.
   */
  'model': (_loyalty_v1_ModelRef__Output | null);
  /**
   * When the model was trained.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The feature-store date the training data was taken as of.
   */
  'trainingDataAsOf': (_google_protobuf_Timestamp__Output | null);
  /**
   * Input feature names, in the order of the input row.
   */
  'inputNames': (string)[];
  /**
   * What the output means.
   */
  'outputKind': (_loyalty_v1_OutputKind__Output);
  /**
   * Output labels, in the order of the output vector (e.g. offer codes).
   */
  'outputLabels': (string)[];
  /**
   * Held-out test metrics by name (e.g. "roc_auc").
   */
  'metrics': ({[key: string]: number});
  /**
   * Dynamic batching in force for this model.
   */
  'batching': (_loyalty_v1_BatchingConfig__Output | null);
}
