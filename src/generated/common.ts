import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { BinaryPrediction as _loyalty_v1_BinaryPrediction, BinaryPrediction__Output as _loyalty_v1_BinaryPrediction__Output } from './loyalty/v1/BinaryPrediction';
import type { ClassPrediction as _loyalty_v1_ClassPrediction, ClassPrediction__Output as _loyalty_v1_ClassPrediction__Output } from './loyalty/v1/ClassPrediction';
import type { ClvForecast as _loyalty_v1_ClvForecast, ClvForecast__Output as _loyalty_v1_ClvForecast__Output } from './loyalty/v1/ClvForecast';
import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from './loyalty/v1/CustomerRef';
import type { Explanation as _loyalty_v1_Explanation, Explanation__Output as _loyalty_v1_Explanation__Output } from './loyalty/v1/Explanation';
import type { FeatureProvenance as _loyalty_v1_FeatureProvenance, FeatureProvenance__Output as _loyalty_v1_FeatureProvenance__Output } from './loyalty/v1/FeatureProvenance';
import type { ItemError as _loyalty_v1_ItemError, ItemError__Output as _loyalty_v1_ItemError__Output } from './loyalty/v1/ItemError';
import type { ModelPrediction as _loyalty_v1_ModelPrediction, ModelPrediction__Output as _loyalty_v1_ModelPrediction__Output } from './loyalty/v1/ModelPrediction';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from './loyalty/v1/ModelRef';
import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from './loyalty/v1/Money';
import type { RankedItem as _loyalty_v1_RankedItem, RankedItem__Output as _loyalty_v1_RankedItem__Output } from './loyalty/v1/RankedItem';
import type { RankedLabel as _loyalty_v1_RankedLabel, RankedLabel__Output as _loyalty_v1_RankedLabel__Output } from './loyalty/v1/RankedLabel';
import type { RankingPrediction as _loyalty_v1_RankingPrediction, RankingPrediction__Output as _loyalty_v1_RankingPrediction__Output } from './loyalty/v1/RankingPrediction';
import type { RawFeatures as _loyalty_v1_RawFeatures, RawFeatures__Output as _loyalty_v1_RawFeatures__Output } from './loyalty/v1/RawFeatures';
import type { Reason as _loyalty_v1_Reason, Reason__Output as _loyalty_v1_Reason__Output } from './loyalty/v1/Reason';
import type { RegressionPrediction as _loyalty_v1_RegressionPrediction, RegressionPrediction__Output as _loyalty_v1_RegressionPrediction__Output } from './loyalty/v1/RegressionPrediction';
import type { UpliftPrediction as _loyalty_v1_UpliftPrediction, UpliftPrediction__Output as _loyalty_v1_UpliftPrediction__Output } from './loyalty/v1/UpliftPrediction';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  loyalty: {
    v1: {
      BinaryPrediction: MessageTypeDefinition<_loyalty_v1_BinaryPrediction, _loyalty_v1_BinaryPrediction__Output>
      ClassPrediction: MessageTypeDefinition<_loyalty_v1_ClassPrediction, _loyalty_v1_ClassPrediction__Output>
      ClvForecast: MessageTypeDefinition<_loyalty_v1_ClvForecast, _loyalty_v1_ClvForecast__Output>
      CustomerRef: MessageTypeDefinition<_loyalty_v1_CustomerRef, _loyalty_v1_CustomerRef__Output>
      ErrorReason: EnumTypeDefinition
      Explanation: MessageTypeDefinition<_loyalty_v1_Explanation, _loyalty_v1_Explanation__Output>
      FeatureProvenance: MessageTypeDefinition<_loyalty_v1_FeatureProvenance, _loyalty_v1_FeatureProvenance__Output>
      ItemError: MessageTypeDefinition<_loyalty_v1_ItemError, _loyalty_v1_ItemError__Output>
      ModelPrediction: MessageTypeDefinition<_loyalty_v1_ModelPrediction, _loyalty_v1_ModelPrediction__Output>
      ModelRef: MessageTypeDefinition<_loyalty_v1_ModelRef, _loyalty_v1_ModelRef__Output>
      Money: MessageTypeDefinition<_loyalty_v1_Money, _loyalty_v1_Money__Output>
      RankedItem: MessageTypeDefinition<_loyalty_v1_RankedItem, _loyalty_v1_RankedItem__Output>
      RankedLabel: MessageTypeDefinition<_loyalty_v1_RankedLabel, _loyalty_v1_RankedLabel__Output>
      RankingPrediction: MessageTypeDefinition<_loyalty_v1_RankingPrediction, _loyalty_v1_RankingPrediction__Output>
      RawFeatures: MessageTypeDefinition<_loyalty_v1_RawFeatures, _loyalty_v1_RawFeatures__Output>
      Reason: MessageTypeDefinition<_loyalty_v1_Reason, _loyalty_v1_Reason__Output>
      RegressionPrediction: MessageTypeDefinition<_loyalty_v1_RegressionPrediction, _loyalty_v1_RegressionPrediction__Output>
      RiskBand: EnumTypeDefinition
      UpliftPrediction: MessageTypeDefinition<_loyalty_v1_UpliftPrediction, _loyalty_v1_UpliftPrediction__Output>
    }
  }
}

