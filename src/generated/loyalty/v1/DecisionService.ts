// Original file: proto/loyalty/v1/decision_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DecideRequest as _loyalty_v1_DecideRequest, DecideRequest__Output as _loyalty_v1_DecideRequest__Output } from '../../loyalty/v1/DecideRequest';
import type { DecideResponse as _loyalty_v1_DecideResponse, DecideResponse__Output as _loyalty_v1_DecideResponse__Output } from '../../loyalty/v1/DecideResponse';
import type { GetCampaignOutcomesRequest as _loyalty_v1_GetCampaignOutcomesRequest, GetCampaignOutcomesRequest__Output as _loyalty_v1_GetCampaignOutcomesRequest__Output } from '../../loyalty/v1/GetCampaignOutcomesRequest';
import type { GetCampaignOutcomesResponse as _loyalty_v1_GetCampaignOutcomesResponse, GetCampaignOutcomesResponse__Output as _loyalty_v1_GetCampaignOutcomesResponse__Output } from '../../loyalty/v1/GetCampaignOutcomesResponse';
import type { PlanCampaignRequest as _loyalty_v1_PlanCampaignRequest, PlanCampaignRequest__Output as _loyalty_v1_PlanCampaignRequest__Output } from '../../loyalty/v1/PlanCampaignRequest';
import type { PlanCampaignResponse as _loyalty_v1_PlanCampaignResponse, PlanCampaignResponse__Output as _loyalty_v1_PlanCampaignResponse__Output } from '../../loyalty/v1/PlanCampaignResponse';

/**
 * Decisions over the models: which action to take with a customer (next best
 * action), which customers a campaign should contact within a budget, and what
 * past campaigns measurably changed. Actions and the contact policy come from
 * the action catalogue (models/actions.json, docs/decisions.md);
 * FAILED_PRECONDITION when there is none.
 */
export interface DecisionServiceClient extends grpc.Client {
  /**
   * The catalogue's actions for one customer, eligible ones first, ranked by
   * expected net value (probability x value - cost), each excluded one with the
   * reason codes of the rules and contact caps it breaks.
   */
  Decide(argument: _loyalty_v1_DecideRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _loyalty_v1_DecideRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _loyalty_v1_DecideRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  Decide(argument: _loyalty_v1_DecideRequest, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The catalogue's actions for one customer, eligible ones first, ranked by
   * expected net value (probability x value - cost), each excluded one with the
   * reason codes of the rules and contact caps it breaks.
   */
  decide(argument: _loyalty_v1_DecideRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _loyalty_v1_DecideRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _loyalty_v1_DecideRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  decide(argument: _loyalty_v1_DecideRequest, callback: grpc.requestCallback<_loyalty_v1_DecideResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Measured lift of past campaigns from the store's campaign history: the
   * response rate of the contacted customers minus the control group's, with a
   * 95% interval, per campaign and optionally per current RFM segment.
   */
  GetCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  GetCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  GetCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  GetCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Measured lift of past campaigns from the store's campaign history: the
   * response rate of the contacted customers minus the control group's, with a
   * 95% interval, per campaign and optionally per current RFM segment.
   */
  getCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  getCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  getCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  getCampaignOutcomes(argument: _loyalty_v1_GetCampaignOutcomesRequest, callback: grpc.requestCallback<_loyalty_v1_GetCampaignOutcomesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Assigns at most one action per customer of the base (or a segment/tier
   * filter) to maximize expected net value within a budget and per-action
   * capacities, keeps a random control group, and streams the plan in customer
   * id order; the last message carries the totals.
   */
  PlanCampaign(argument: _loyalty_v1_PlanCampaignRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_PlanCampaignResponse__Output>;
  PlanCampaign(argument: _loyalty_v1_PlanCampaignRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_PlanCampaignResponse__Output>;
  /**
   * Assigns at most one action per customer of the base (or a segment/tier
   * filter) to maximize expected net value within a budget and per-action
   * capacities, keeps a random control group, and streams the plan in customer
   * id order; the last message carries the totals.
   */
  planCampaign(argument: _loyalty_v1_PlanCampaignRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_PlanCampaignResponse__Output>;
  planCampaign(argument: _loyalty_v1_PlanCampaignRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_loyalty_v1_PlanCampaignResponse__Output>;
  
}

/**
 * Decisions over the models: which action to take with a customer (next best
 * action), which customers a campaign should contact within a budget, and what
 * past campaigns measurably changed. Actions and the contact policy come from
 * the action catalogue (models/actions.json, docs/decisions.md);
 * FAILED_PRECONDITION when there is none.
 */
export interface DecisionServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The catalogue's actions for one customer, eligible ones first, ranked by
   * expected net value (probability x value - cost), each excluded one with the
   * reason codes of the rules and contact caps it breaks.
   */
  Decide: grpc.handleUnaryCall<_loyalty_v1_DecideRequest__Output, _loyalty_v1_DecideResponse>;
  
  /**
   * Measured lift of past campaigns from the store's campaign history: the
   * response rate of the contacted customers minus the control group's, with a
   * 95% interval, per campaign and optionally per current RFM segment.
   */
  GetCampaignOutcomes: grpc.handleUnaryCall<_loyalty_v1_GetCampaignOutcomesRequest__Output, _loyalty_v1_GetCampaignOutcomesResponse>;
  
  /**
   * Assigns at most one action per customer of the base (or a segment/tier
   * filter) to maximize expected net value within a budget and per-action
   * capacities, keeps a random control group, and streams the plan in customer
   * id order; the last message carries the totals.
   */
  PlanCampaign: grpc.handleServerStreamingCall<_loyalty_v1_PlanCampaignRequest__Output, _loyalty_v1_PlanCampaignResponse>;
  
}

export interface DecisionServiceDefinition extends grpc.ServiceDefinition {
  Decide: MethodDefinition<_loyalty_v1_DecideRequest, _loyalty_v1_DecideResponse, _loyalty_v1_DecideRequest__Output, _loyalty_v1_DecideResponse__Output>
  GetCampaignOutcomes: MethodDefinition<_loyalty_v1_GetCampaignOutcomesRequest, _loyalty_v1_GetCampaignOutcomesResponse, _loyalty_v1_GetCampaignOutcomesRequest__Output, _loyalty_v1_GetCampaignOutcomesResponse__Output>
  PlanCampaign: MethodDefinition<_loyalty_v1_PlanCampaignRequest, _loyalty_v1_PlanCampaignResponse, _loyalty_v1_PlanCampaignRequest__Output, _loyalty_v1_PlanCampaignResponse__Output>
}
