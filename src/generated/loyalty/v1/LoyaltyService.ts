// Original file: proto/loyalty/v1/loyalty_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetRfmRequest as _loyalty_v1_GetRfmRequest, GetRfmRequest__Output as _loyalty_v1_GetRfmRequest__Output } from '../../loyalty/v1/GetRfmRequest';
import type { GetRfmResponse as _loyalty_v1_GetRfmResponse, GetRfmResponse__Output as _loyalty_v1_GetRfmResponse__Output } from '../../loyalty/v1/GetRfmResponse';
import type { PredictChurnRequest as _loyalty_v1_PredictChurnRequest, PredictChurnRequest__Output as _loyalty_v1_PredictChurnRequest__Output } from '../../loyalty/v1/PredictChurnRequest';
import type { PredictChurnResponse as _loyalty_v1_PredictChurnResponse, PredictChurnResponse__Output as _loyalty_v1_PredictChurnResponse__Output } from '../../loyalty/v1/PredictChurnResponse';
import type { PredictLtvRequest as _loyalty_v1_PredictLtvRequest, PredictLtvRequest__Output as _loyalty_v1_PredictLtvRequest__Output } from '../../loyalty/v1/PredictLtvRequest';
import type { PredictLtvResponse as _loyalty_v1_PredictLtvResponse, PredictLtvResponse__Output as _loyalty_v1_PredictLtvResponse__Output } from '../../loyalty/v1/PredictLtvResponse';
import type { PredictNboRequest as _loyalty_v1_PredictNboRequest, PredictNboRequest__Output as _loyalty_v1_PredictNboRequest__Output } from '../../loyalty/v1/PredictNboRequest';
import type { PredictNboResponse as _loyalty_v1_PredictNboResponse, PredictNboResponse__Output as _loyalty_v1_PredictNboResponse__Output } from '../../loyalty/v1/PredictNboResponse';
import type { ScoreCustomersRequest as _loyalty_v1_ScoreCustomersRequest, ScoreCustomersRequest__Output as _loyalty_v1_ScoreCustomersRequest__Output } from '../../loyalty/v1/ScoreCustomersRequest';
import type { ScoreCustomersResponse as _loyalty_v1_ScoreCustomersResponse, ScoreCustomersResponse__Output as _loyalty_v1_ScoreCustomersResponse__Output } from '../../loyalty/v1/ScoreCustomersResponse';

/**
 * Predictions and segmentation for the customers of the loyalty programme.
 * Every per-customer call takes one customer or a batch (at most the server's
 * LOYALTY_MAX_BATCH_SIZE, 1,000 by default) and answers with one result per
 * requested customer, in request order; an unknown customer fails its own
 * result, not the whole call.
 */
export interface LoyaltyServiceClient extends grpc.Client {
  /**
   * Recency, frequency and monetary scores (1-5) and the named RFM segment.
   */
  GetRfm(argument: _loyalty_v1_GetRfmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  GetRfm(argument: _loyalty_v1_GetRfmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  GetRfm(argument: _loyalty_v1_GetRfmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  GetRfm(argument: _loyalty_v1_GetRfmRequest, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Recency, frequency and monetary scores (1-5) and the named RFM segment.
   */
  getRfm(argument: _loyalty_v1_GetRfmRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  getRfm(argument: _loyalty_v1_GetRfmRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  getRfm(argument: _loyalty_v1_GetRfmRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  getRfm(argument: _loyalty_v1_GetRfmRequest, callback: grpc.requestCallback<_loyalty_v1_GetRfmResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Probability that each customer churns, with a risk band.
   */
  PredictChurn(argument: _loyalty_v1_PredictChurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  PredictChurn(argument: _loyalty_v1_PredictChurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  PredictChurn(argument: _loyalty_v1_PredictChurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  PredictChurn(argument: _loyalty_v1_PredictChurnRequest, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Probability that each customer churns, with a risk band.
   */
  predictChurn(argument: _loyalty_v1_PredictChurnRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  predictChurn(argument: _loyalty_v1_PredictChurnRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  predictChurn(argument: _loyalty_v1_PredictChurnRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  predictChurn(argument: _loyalty_v1_PredictChurnRequest, callback: grpc.requestCallback<_loyalty_v1_PredictChurnResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Predicted revenue of each customer over the model's horizon.
   */
  PredictLtv(argument: _loyalty_v1_PredictLtvRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  PredictLtv(argument: _loyalty_v1_PredictLtvRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  PredictLtv(argument: _loyalty_v1_PredictLtvRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  PredictLtv(argument: _loyalty_v1_PredictLtvRequest, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Predicted revenue of each customer over the model's horizon.
   */
  predictLtv(argument: _loyalty_v1_PredictLtvRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  predictLtv(argument: _loyalty_v1_PredictLtvRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  predictLtv(argument: _loyalty_v1_PredictLtvRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  predictLtv(argument: _loyalty_v1_PredictLtvRequest, callback: grpc.requestCallback<_loyalty_v1_PredictLtvResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The eight offers ranked by the probability that each customer accepts.
   */
  PredictNbo(argument: _loyalty_v1_PredictNboRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  PredictNbo(argument: _loyalty_v1_PredictNboRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  PredictNbo(argument: _loyalty_v1_PredictNboRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  PredictNbo(argument: _loyalty_v1_PredictNboRequest, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The eight offers ranked by the probability that each customer accepts.
   */
  predictNbo(argument: _loyalty_v1_PredictNboRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  predictNbo(argument: _loyalty_v1_PredictNboRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  predictNbo(argument: _loyalty_v1_PredictNboRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  predictNbo(argument: _loyalty_v1_PredictNboRequest, callback: grpc.requestCallback<_loyalty_v1_PredictNboResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Scores the whole customer base, or a segment of it, as a stream of chunks
   * (for campaign lists).
   */
  ScoreCustomers(argument: _loyalty_v1_ScoreCustomersRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_ScoreCustomersResponse__Output>;
  ScoreCustomers(argument: _loyalty_v1_ScoreCustomersRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_ScoreCustomersResponse__Output>;
  /**
   * Scores the whole customer base, or a segment of it, as a stream of chunks
   * (for campaign lists).
   */
  scoreCustomers(argument: _loyalty_v1_ScoreCustomersRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_ScoreCustomersResponse__Output>;
  scoreCustomers(argument: _loyalty_v1_ScoreCustomersRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_ScoreCustomersResponse__Output>;
  
}

/**
 * Predictions and segmentation for the customers of the loyalty programme.
 * Every per-customer call takes one customer or a batch (at most the server's
 * LOYALTY_MAX_BATCH_SIZE, 1,000 by default) and answers with one result per
 * requested customer, in request order; an unknown customer fails its own
 * result, not the whole call.
 */
export interface LoyaltyServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Recency, frequency and monetary scores (1-5) and the named RFM segment.
   */
  GetRfm: grpc.handleUnaryCall<_loyalty_v1_GetRfmRequest__Output, _loyalty_v1_GetRfmResponse>;
  
  /**
   * Probability that each customer churns, with a risk band.
   */
  PredictChurn: grpc.handleUnaryCall<_loyalty_v1_PredictChurnRequest__Output, _loyalty_v1_PredictChurnResponse>;
  
  /**
   * Predicted revenue of each customer over the model's horizon.
   */
  PredictLtv: grpc.handleUnaryCall<_loyalty_v1_PredictLtvRequest__Output, _loyalty_v1_PredictLtvResponse>;
  
  /**
   * The eight offers ranked by the probability that each customer accepts.
   */
  PredictNbo: grpc.handleUnaryCall<_loyalty_v1_PredictNboRequest__Output, _loyalty_v1_PredictNboResponse>;
  
  /**
   * Scores the whole customer base, or a segment of it, as a stream of chunks
   * (for campaign lists).
   */
  ScoreCustomers: grpc.handleServerStreamingCall<_loyalty_v1_ScoreCustomersRequest__Output, _loyalty_v1_ScoreCustomersResponse>;
  
}

export interface LoyaltyServiceDefinition extends grpc.ServiceDefinition {
  GetRfm: MethodDefinition<_loyalty_v1_GetRfmRequest, _loyalty_v1_GetRfmResponse, _loyalty_v1_GetRfmRequest__Output, _loyalty_v1_GetRfmResponse__Output>
  PredictChurn: MethodDefinition<_loyalty_v1_PredictChurnRequest, _loyalty_v1_PredictChurnResponse, _loyalty_v1_PredictChurnRequest__Output, _loyalty_v1_PredictChurnResponse__Output>
  PredictLtv: MethodDefinition<_loyalty_v1_PredictLtvRequest, _loyalty_v1_PredictLtvResponse, _loyalty_v1_PredictLtvRequest__Output, _loyalty_v1_PredictLtvResponse__Output>
  PredictNbo: MethodDefinition<_loyalty_v1_PredictNboRequest, _loyalty_v1_PredictNboResponse, _loyalty_v1_PredictNboRequest__Output, _loyalty_v1_PredictNboResponse__Output>
  ScoreCustomers: MethodDefinition<_loyalty_v1_ScoreCustomersRequest, _loyalty_v1_ScoreCustomersResponse, _loyalty_v1_ScoreCustomersRequest__Output, _loyalty_v1_ScoreCustomersResponse__Output>
}
