// Original file: proto/loyalty/v1/model_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetModelMetadataRequest as _loyalty_v1_GetModelMetadataRequest, GetModelMetadataRequest__Output as _loyalty_v1_GetModelMetadataRequest__Output } from '../../loyalty/v1/GetModelMetadataRequest';
import type { GetModelMetadataResponse as _loyalty_v1_GetModelMetadataResponse, GetModelMetadataResponse__Output as _loyalty_v1_GetModelMetadataResponse__Output } from '../../loyalty/v1/GetModelMetadataResponse';
import type { ListModelsRequest as _loyalty_v1_ListModelsRequest, ListModelsRequest__Output as _loyalty_v1_ListModelsRequest__Output } from '../../loyalty/v1/ListModelsRequest';
import type { ListModelsResponse as _loyalty_v1_ListModelsResponse, ListModelsResponse__Output as _loyalty_v1_ListModelsResponse__Output } from '../../loyalty/v1/ListModelsResponse';
import type { PredictCustomersRequest as _loyalty_v1_PredictCustomersRequest, PredictCustomersRequest__Output as _loyalty_v1_PredictCustomersRequest__Output } from '../../loyalty/v1/PredictCustomersRequest';
import type { PredictCustomersResponse as _loyalty_v1_PredictCustomersResponse, PredictCustomersResponse__Output as _loyalty_v1_PredictCustomersResponse__Output } from '../../loyalty/v1/PredictCustomersResponse';
import type { PredictRequest as _loyalty_v1_PredictRequest, PredictRequest__Output as _loyalty_v1_PredictRequest__Output } from '../../loyalty/v1/PredictRequest';
import type { PredictResponse as _loyalty_v1_PredictResponse, PredictResponse__Output as _loyalty_v1_PredictResponse__Output } from '../../loyalty/v1/PredictResponse';

/**
 * Generic access to every loaded model: whoever wrote a model, a folder with a
 * float32 .tflite (one input row vector, one output vector) and a manifest is
 * served here without server code.
 */
export interface ModelServiceClient extends grpc.Client {
  /**
   * Describes one model version: inputs, outputs, metrics, batching.
   */
  GetModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  GetModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  GetModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  GetModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Describes one model version: inputs, outputs, metrics, batching.
   */
  getModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  getModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  getModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  getModelMetadata(argument: _loyalty_v1_GetModelMetadataRequest, callback: grpc.requestCallback<_loyalty_v1_GetModelMetadataResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lists the loaded models and their versions.
   */
  ListModels(argument: _loyalty_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _loyalty_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _loyalty_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _loyalty_v1_ListModelsRequest, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lists the loaded models and their versions.
   */
  listModels(argument: _loyalty_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _loyalty_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _loyalty_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _loyalty_v1_ListModelsRequest, callback: grpc.requestCallback<_loyalty_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Runs a model on rows of input values.
   */
  Predict(argument: _loyalty_v1_PredictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _loyalty_v1_PredictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _loyalty_v1_PredictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _loyalty_v1_PredictRequest, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Runs a model on rows of input values.
   */
  predict(argument: _loyalty_v1_PredictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _loyalty_v1_PredictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _loyalty_v1_PredictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _loyalty_v1_PredictRequest, callback: grpc.requestCallback<_loyalty_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Runs any loaded model for customers: ids of the feature store (features
   * fetched as for the loyalty RPCs) or raw feature values; each answer is
   * typed by the model's output kind.
   */
  PredictCustomers(argument: _loyalty_v1_PredictCustomersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  PredictCustomers(argument: _loyalty_v1_PredictCustomersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  PredictCustomers(argument: _loyalty_v1_PredictCustomersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  PredictCustomers(argument: _loyalty_v1_PredictCustomersRequest, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Runs any loaded model for customers: ids of the feature store (features
   * fetched as for the loyalty RPCs) or raw feature values; each answer is
   * typed by the model's output kind.
   */
  predictCustomers(argument: _loyalty_v1_PredictCustomersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  predictCustomers(argument: _loyalty_v1_PredictCustomersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  predictCustomers(argument: _loyalty_v1_PredictCustomersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  predictCustomers(argument: _loyalty_v1_PredictCustomersRequest, callback: grpc.requestCallback<_loyalty_v1_PredictCustomersResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Generic access to every loaded model: whoever wrote a model, a folder with a
 * float32 .tflite (one input row vector, one output vector) and a manifest is
 * served here without server code.
 */
export interface ModelServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Describes one model version: inputs, outputs, metrics, batching.
   */
  GetModelMetadata: grpc.handleUnaryCall<_loyalty_v1_GetModelMetadataRequest__Output, _loyalty_v1_GetModelMetadataResponse>;
  
  /**
   * Lists the loaded models and their versions.
   */
  ListModels: grpc.handleUnaryCall<_loyalty_v1_ListModelsRequest__Output, _loyalty_v1_ListModelsResponse>;
  
  /**
   * Runs a model on rows of input values.
   */
  Predict: grpc.handleUnaryCall<_loyalty_v1_PredictRequest__Output, _loyalty_v1_PredictResponse>;
  
  /**
   * Runs any loaded model for customers: ids of the feature store (features
   * fetched as for the loyalty RPCs) or raw feature values; each answer is
   * typed by the model's output kind.
   */
  PredictCustomers: grpc.handleUnaryCall<_loyalty_v1_PredictCustomersRequest__Output, _loyalty_v1_PredictCustomersResponse>;
  
}

export interface ModelServiceDefinition extends grpc.ServiceDefinition {
  GetModelMetadata: MethodDefinition<_loyalty_v1_GetModelMetadataRequest, _loyalty_v1_GetModelMetadataResponse, _loyalty_v1_GetModelMetadataRequest__Output, _loyalty_v1_GetModelMetadataResponse__Output>
  ListModels: MethodDefinition<_loyalty_v1_ListModelsRequest, _loyalty_v1_ListModelsResponse, _loyalty_v1_ListModelsRequest__Output, _loyalty_v1_ListModelsResponse__Output>
  Predict: MethodDefinition<_loyalty_v1_PredictRequest, _loyalty_v1_PredictResponse, _loyalty_v1_PredictRequest__Output, _loyalty_v1_PredictResponse__Output>
  PredictCustomers: MethodDefinition<_loyalty_v1_PredictCustomersRequest, _loyalty_v1_PredictCustomersResponse, _loyalty_v1_PredictCustomersRequest__Output, _loyalty_v1_PredictCustomersResponse__Output>
}
