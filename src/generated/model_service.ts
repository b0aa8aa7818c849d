import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { BatchingConfig as _loyalty_v1_BatchingConfig, BatchingConfig__Output as _loyalty_v1_BatchingConfig__Output } from './loyalty/v1/BatchingConfig';
import type { BinaryPrediction as _loyalty_v1_BinaryPrediction, BinaryPrediction__Output as _loyalty_v1_BinaryPrediction__Output } from './loyalty/v1/BinaryPrediction';
import type { ClassPrediction as _loyalty_v1_ClassPrediction, ClassPrediction__Output as _loyalty_v1_ClassPrediction__Output } from './loyalty/v1/ClassPrediction';
import type { ClvForecast as _loyalty_v1_ClvForecast, ClvForecast__Output as _loyalty_v1_ClvForecast__Output } from './loyalty/v1/ClvForecast';
import type { CustomerPrediction as _loyalty_v1_CustomerPrediction, CustomerPrediction__Output as _loyalty_v1_CustomerPrediction__Output } from './loyalty/v1/CustomerPrediction';
import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from './loyalty/v1/CustomerRef';
import type { Explanation as _loyalty_v1_Explanation, Explanation__Output as _loyalty_v1_Explanation__Output } from './loyalty/v1/Explanation';
import type { FeatureProvenance as _loyalty_v1_FeatureProvenance, FeatureProvenance__Output as _loyalty_v1_FeatureProvenance__Output } from './loyalty/v1/FeatureProvenance';
import type { GetModelMetadataRequest as _loyalty_v1_GetModelMetadataRequest, GetModelMetadataRequest__Output as _loyalty_v1_GetModelMetadataRequest__Output } from './loyalty/v1/GetModelMetadataRequest';
import type { GetModelMetadataResponse as _loyalty_v1_GetModelMetadataResponse, GetModelMetadataResponse__Output as _loyalty_v1_GetModelMetadataResponse__Output } from './loyalty/v1/GetModelMetadataResponse';
import type { ItemError as _loyalty_v1_ItemError, ItemError__Output as _loyalty_v1_ItemError__Output } from './loyalty/v1/ItemError';
import type { ListModelsRequest as _loyalty_v1_ListModelsRequest, ListModelsRequest__Output as _loyalty_v1_ListModelsRequest__Output } from './loyalty/v1/ListModelsRequest';
import type { ListModelsResponse as _loyalty_v1_ListModelsResponse, ListModelsResponse__Output as _loyalty_v1_ListModelsResponse__Output } from './loyalty/v1/ListModelsResponse';
import type { ModelPrediction as _loyalty_v1_ModelPrediction, ModelPrediction__Output as _loyalty_v1_ModelPrediction__Output } from './loyalty/v1/ModelPrediction';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from './loyalty/v1/ModelRef';
import type { ModelServiceClient as _loyalty_v1_ModelServiceClient, ModelServiceDefinition as _loyalty_v1_ModelServiceDefinition } from './loyalty/v1/ModelService';
import type { ModelSummary as _loyalty_v1_ModelSummary, ModelSummary__Output as _loyalty_v1_ModelSummary__Output } from './loyalty/v1/ModelSummary';
import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from './loyalty/v1/Money';
import type { PredictCustomersRequest as _loyalty_v1_PredictCustomersRequest, PredictCustomersRequest__Output as _loyalty_v1_PredictCustomersRequest__Output } from './loyalty/v1/PredictCustomersRequest';
import type { PredictCustomersResponse as _loyalty_v1_PredictCustomersResponse, PredictCustomersResponse__Output as _loyalty_v1_PredictCustomersResponse__Output } from './loyalty/v1/PredictCustomersResponse';
import type { PredictRequest as _loyalty_v1_PredictRequest, PredictRequest__Output as _loyalty_v1_PredictRequest__Output } from './loyalty/v1/PredictRequest';
import type { PredictResponse as _loyalty_v1_PredictResponse, PredictResponse__Output as _loyalty_v1_PredictResponse__Output } from './loyalty/v1/PredictResponse';
import type { RankedItem as _loyalty_v1_RankedItem, RankedItem__Output as _loyalty_v1_RankedItem__Output } from './loyalty/v1/RankedItem';
import type { RankedLabel as _loyalty_v1_RankedLabel, RankedLabel__Output as _loyalty_v1_RankedLabel__Output } from './loyalty/v1/RankedLabel';
import type { RankingPrediction as _loyalty_v1_RankingPrediction, RankingPrediction__Output as _loyalty_v1_RankingPrediction__Output } from './loyalty/v1/RankingPrediction';
import type { RawFeatures as _loyalty_v1_RawFeatures, RawFeatures__Output as _loyalty_v1_RawFeatures__Output } from './loyalty/v1/RawFeatures';
import type { Reason as _loyalty_v1_Reason, Reason__Output as _loyalty_v1_Reason__Output } from './loyalty/v1/Reason';
import type { RegressionPrediction as _loyalty_v1_RegressionPrediction, RegressionPrediction__Output as _loyalty_v1_RegressionPrediction__Output } from './loyalty/v1/RegressionPrediction';
import type { Row as _loyalty_v1_Row, Row__Output as _loyalty_v1_Row__Output } from './loyalty/v1/Row';
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
      BatchingConfig: MessageTypeDefinition<_loyalty_v1_BatchingConfig, _loyalty_v1_BatchingConfig__Output>
      BinaryPrediction: MessageTypeDefinition<_loyalty_v1_BinaryPrediction, _loyalty_v1_BinaryPrediction__Output>
      ClassPrediction: MessageTypeDefinition<_loyalty_v1_ClassPrediction, _loyalty_v1_ClassPrediction__Output>
      ClvForecast: MessageTypeDefinition<_loyalty_v1_ClvForecast, _loyalty_v1_ClvForecast__Output>
      CustomerPrediction: MessageTypeDefinition<_loyalty_v1_CustomerPrediction, _loyalty_v1_CustomerPrediction__Output>
      CustomerRef: MessageTypeDefinition<_loyalty_v1_CustomerRef, _loyalty_v1_CustomerRef__Output>
      ErrorReason: EnumTypeDefinition
      Explanation: MessageTypeDefinition<_loyalty_v1_Explanation, _loyalty_v1_Explanation__Output>
      FeatureProvenance: MessageTypeDefinition<_loyalty_v1_FeatureProvenance, _loyalty_v1_FeatureProvenance__Output>
      GetModelMetadataRequest: MessageTypeDefinition<_loyalty_v1_GetModelMetadataRequest, _loyalty_v1_GetModelMetadataRequest__Output>
      GetModelMetadataResponse: MessageTypeDefinition<_loyalty_v1_GetModelMetadataResponse, _loyalty_v1_GetModelMetadataResponse__Output>
      ItemError: MessageTypeDefinition<_loyalty_v1_ItemError, _loyalty_v1_ItemError__Output>
      ListModelsRequest: MessageTypeDefinition<_loyalty_v1_ListModelsRequest, _loyalty_v1_ListModelsRequest__Output>
      ListModelsResponse: MessageTypeDefinition<_loyalty_v1_ListModelsResponse, _loyalty_v1_ListModelsResponse__Output>
      ModelPrediction: MessageTypeDefinition<_loyalty_v1_ModelPrediction, _loyalty_v1_ModelPrediction__Output>
      ModelRef: MessageTypeDefinition<_loyalty_v1_ModelRef, _loyalty_v1_ModelRef__Output>
      /**
       * Generic access to every loaded model: whoever wrote a model, a folder with a
       * float32 .tflite (one input row vector, one output vector) and a manifest is
       * served here without server code.
       */
      ModelService: SubtypeConstructor<typeof grpc.Client, _loyalty_v1_ModelServiceClient> & { service: _loyalty_v1_ModelServiceDefinition }
      ModelSummary: MessageTypeDefinition<_loyalty_v1_ModelSummary, _loyalty_v1_ModelSummary__Output>
      Money: MessageTypeDefinition<_loyalty_v1_Money, _loyalty_v1_Money__Output>
      OutputKind: EnumTypeDefinition
      PredictCustomersRequest: MessageTypeDefinition<_loyalty_v1_PredictCustomersRequest, _loyalty_v1_PredictCustomersRequest__Output>
      PredictCustomersResponse: MessageTypeDefinition<_loyalty_v1_PredictCustomersResponse, _loyalty_v1_PredictCustomersResponse__Output>
      PredictRequest: MessageTypeDefinition<_loyalty_v1_PredictRequest, _loyalty_v1_PredictRequest__Output>
      PredictResponse: MessageTypeDefinition<_loyalty_v1_PredictResponse, _loyalty_v1_PredictResponse__Output>
      RankedItem: MessageTypeDefinition<_loyalty_v1_RankedItem, _loyalty_v1_RankedItem__Output>
      RankedLabel: MessageTypeDefinition<_loyalty_v1_RankedLabel, _loyalty_v1_RankedLabel__Output>
      RankingPrediction: MessageTypeDefinition<_loyalty_v1_RankingPrediction, _loyalty_v1_RankingPrediction__Output>
      RawFeatures: MessageTypeDefinition<_loyalty_v1_RawFeatures, _loyalty_v1_RawFeatures__Output>
      Reason: MessageTypeDefinition<_loyalty_v1_Reason, _loyalty_v1_Reason__Output>
      RegressionPrediction: MessageTypeDefinition<_loyalty_v1_RegressionPrediction, _loyalty_v1_RegressionPrediction__Output>
      RiskBand: EnumTypeDefinition
      Row: MessageTypeDefinition<_loyalty_v1_Row, _loyalty_v1_Row__Output>
      UpliftPrediction: MessageTypeDefinition<_loyalty_v1_UpliftPrediction, _loyalty_v1_UpliftPrediction__Output>
    }
  }
}

