// Original file: proto/loyalty/v1/model_service.proto

import type { OutputKind as _loyalty_v1_OutputKind, OutputKind__Output as _loyalty_v1_OutputKind__Output } from '../../loyalty/v1/OutputKind';

export interface ModelSummary {
  /**
   * Model name.
   */
  'name'?: (string);
  /**
   * The version that answers calls without a version.
   */
  'servingVersion'?: (string);
  /**
   * Every loaded version, ascending.
   */
  'versions'?: (string)[];
  /**
   * What the output means.
   */
  'outputKind'?: (_loyalty_v1_OutputKind);
}

export interface ModelSummary__Output {
  /**
   * Model name.
   */
  'name': (string);
  /**
   * The version that answers calls without a version.
   */
  'servingVersion': (string);
  /**
   * Every loaded version, ascending.
   */
  'versions': (string)[];
  /**
   * What the output means.
   */
  'outputKind': (_loyalty_v1_OutputKind__Output);
}
