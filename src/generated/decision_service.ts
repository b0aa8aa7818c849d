import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { ActionTotals as _loyalty_v1_ActionTotals, ActionTotals__Output as _loyalty_v1_ActionTotals__Output } from './loyalty/v1/ActionTotals';
import type { BinaryPrediction as _loyalty_v1_BinaryPrediction, BinaryPrediction__Output as _loyalty_v1_BinaryPrediction__Output } from './loyalty/v1/BinaryPrediction';
import type { CampaignLift as _loyalty_v1_CampaignLift, CampaignLift__Output as _loyalty_v1_CampaignLift__Output } from './loyalty/v1/CampaignLift';
import type { ChurnPrediction as _loyalty_v1_ChurnPrediction, ChurnPrediction__Output as _loyalty_v1_ChurnPrediction__Output } from './loyalty/v1/ChurnPrediction';
import type { ChurnResult as _loyalty_v1_ChurnResult, ChurnResult__Output as _loyalty_v1_ChurnResult__Output } from './loyalty/v1/ChurnResult';
import type { ClassPrediction as _loyalty_v1_ClassPrediction, ClassPrediction__Output as _loyalty_v1_ClassPrediction__Output } from './loyalty/v1/ClassPrediction';
import type { ClvForecast as _loyalty_v1_ClvForecast, ClvForecast__Output as _loyalty_v1_ClvForecast__Output } from './loyalty/v1/ClvForecast';
import type { CustomerFilter as _loyalty_v1_CustomerFilter, CustomerFilter__Output as _loyalty_v1_CustomerFilter__Output } from './loyalty/v1/CustomerFilter';
import type { CustomerRef as _loyalty_v1_CustomerRef, CustomerRef__Output as _loyalty_v1_CustomerRef__Output } from './loyalty/v1/CustomerRef';
import type { DecideRequest as _loyalty_v1_DecideRequest, DecideRequest__Output as _loyalty_v1_DecideRequest__Output } from './loyalty/v1/DecideRequest';
import type { DecideResponse as _loyalty_v1_DecideResponse, DecideResponse__Output as _loyalty_v1_DecideResponse__Output } from './loyalty/v1/DecideResponse';
import type { DecisionServiceClient as _loyalty_v1_DecisionServiceClient, DecisionServiceDefinition as _loyalty_v1_DecisionServiceDefinition } from './loyalty/v1/DecisionService';
import type { Explanation as _loyalty_v1_Explanation, Explanation__Output as _loyalty_v1_Explanation__Output } from './loyalty/v1/Explanation';
import type { FeatureProvenance as _loyalty_v1_FeatureProvenance, FeatureProvenance__Output as _loyalty_v1_FeatureProvenance__Output } from './loyalty/v1/FeatureProvenance';
import type { GetCampaignOutcomesRequest as _loyalty_v1_GetCampaignOutcomesRequest, GetCampaignOutcomesRequest__Output as _loyalty_v1_GetCampaignOutcomesRequest__Output } from './loyalty/v1/GetCampaignOutcomesRequest';
import type { GetCampaignOutcomesResponse as _loyalty_v1_GetCampaignOutcomesResponse, GetCampaignOutcomesResponse__Output as _loyalty_v1_GetCampaignOutcomesResponse__Output } from './loyalty/v1/GetCampaignOutcomesResponse';
import type { GetRfmRequest as _loyalty_v1_GetRfmRequest, GetRfmRequest__Output as _loyalty_v1_GetRfmRequest__Output } from './loyalty/v1/GetRfmRequest';
import type { GetRfmResponse as _loyalty_v1_GetRfmResponse, GetRfmResponse__Output as _loyalty_v1_GetRfmResponse__Output } from './loyalty/v1/GetRfmResponse';
import type { ItemError as _loyalty_v1_ItemError, ItemError__Output as _loyalty_v1_ItemError__Output } from './loyalty/v1/ItemError';
import type { LoyaltyServiceClient as _loyalty_v1_LoyaltyServiceClient, LoyaltyServiceDefinition as _loyalty_v1_LoyaltyServiceDefinition } from './loyalty/v1/LoyaltyService';
import type { LtvPrediction as _loyalty_v1_LtvPrediction, LtvPrediction__Output as _loyalty_v1_LtvPrediction__Output } from './loyalty/v1/LtvPrediction';
import type { LtvResult as _loyalty_v1_LtvResult, LtvResult__Output as _loyalty_v1_LtvResult__Output } from './loyalty/v1/LtvResult';
import type { ModelPrediction as _loyalty_v1_ModelPrediction, ModelPrediction__Output as _loyalty_v1_ModelPrediction__Output } from './loyalty/v1/ModelPrediction';
import type { ModelRef as _loyalty_v1_ModelRef, ModelRef__Output as _loyalty_v1_ModelRef__Output } from './loyalty/v1/ModelRef';
import type { Money as _loyalty_v1_Money, Money__Output as _loyalty_v1_Money__Output } from './loyalty/v1/Money';
import type { NboPrediction as _loyalty_v1_NboPrediction, NboPrediction__Output as _loyalty_v1_NboPrediction__Output } from './loyalty/v1/NboPrediction';
import type { NboResult as _loyalty_v1_NboResult, NboResult__Output as _loyalty_v1_NboResult__Output } from './loyalty/v1/NboResult';
import type { PlanCampaignRequest as _loyalty_v1_PlanCampaignRequest, PlanCampaignRequest__Output as _loyalty_v1_PlanCampaignRequest__Output } from './loyalty/v1/PlanCampaignRequest';
import type { PlanCampaignResponse as _loyalty_v1_PlanCampaignResponse, PlanCampaignResponse__Output as _loyalty_v1_PlanCampaignResponse__Output } from './loyalty/v1/PlanCampaignResponse';
import type { PlanTotals as _loyalty_v1_PlanTotals, PlanTotals__Output as _loyalty_v1_PlanTotals__Output } from './loyalty/v1/PlanTotals';
import type { PlannedContact as _loyalty_v1_PlannedContact, PlannedContact__Output as _loyalty_v1_PlannedContact__Output } from './loyalty/v1/PlannedContact';
import type { PredictChurnRequest as _loyalty_v1_PredictChurnRequest, PredictChurnRequest__Output as _loyalty_v1_PredictChurnRequest__Output } from './loyalty/v1/PredictChurnRequest';
import type { PredictChurnResponse as _loyalty_v1_PredictChurnResponse, PredictChurnResponse__Output as _loyalty_v1_PredictChurnResponse__Output } from './loyalty/v1/PredictChurnResponse';
import type { PredictLtvRequest as _loyalty_v1_PredictLtvRequest, PredictLtvRequest__Output as _loyalty_v1_PredictLtvRequest__Output } from './loyalty/v1/PredictLtvRequest';
import type { PredictLtvResponse as _loyalty_v1_PredictLtvResponse, PredictLtvResponse__Output as _loyalty_v1_PredictLtvResponse__Output } from './loyalty/v1/PredictLtvResponse';
import type { PredictNboRequest as _loyalty_v1_PredictNboRequest, PredictNboRequest__Output as _loyalty_v1_PredictNboRequest__Output } from './loyalty/v1/PredictNboRequest';
import type { PredictNboResponse as _loyalty_v1_PredictNboResponse, PredictNboResponse__Output as _loyalty_v1_PredictNboResponse__Output } from './loyalty/v1/PredictNboResponse';
import type { RankedItem as _loyalty_v1_RankedItem, RankedItem__Output as _loyalty_v1_RankedItem__Output } from './loyalty/v1/RankedItem';
import type { RankedLabel as _loyalty_v1_RankedLabel, RankedLabel__Output as _loyalty_v1_RankedLabel__Output } from './loyalty/v1/RankedLabel';
import type { RankedOffer as _loyalty_v1_RankedOffer, RankedOffer__Output as _loyalty_v1_RankedOffer__Output } from './loyalty/v1/RankedOffer';
import type { RankingPrediction as _loyalty_v1_RankingPrediction, RankingPrediction__Output as _loyalty_v1_RankingPrediction__Output } from './loyalty/v1/RankingPrediction';
import type { RawFeatures as _loyalty_v1_RawFeatures, RawFeatures__Output as _loyalty_v1_RawFeatures__Output } from './loyalty/v1/RawFeatures';
import type { Reason as _loyalty_v1_Reason, Reason__Output as _loyalty_v1_Reason__Output } from './loyalty/v1/Reason';
import type { RegressionPrediction as _loyalty_v1_RegressionPrediction, RegressionPrediction__Output as _loyalty_v1_RegressionPrediction__Output } from './loyalty/v1/RegressionPrediction';
import type { RfmResult as _loyalty_v1_RfmResult, RfmResult__Output as _loyalty_v1_RfmResult__Output } from './loyalty/v1/RfmResult';
import type { RfmScores as _loyalty_v1_RfmScores, RfmScores__Output as _loyalty_v1_RfmScores__Output } from './loyalty/v1/RfmScores';
import type { ScoreCustomersRequest as _loyalty_v1_ScoreCustomersRequest, ScoreCustomersRequest__Output as _loyalty_v1_ScoreCustomersRequest__Output } from './loyalty/v1/ScoreCustomersRequest';
import type { ScoreCustomersResponse as _loyalty_v1_ScoreCustomersResponse, ScoreCustomersResponse__Output as _loyalty_v1_ScoreCustomersResponse__Output } from './loyalty/v1/ScoreCustomersResponse';
import type { ScoredCustomer as _loyalty_v1_ScoredCustomer, ScoredCustomer__Output as _loyalty_v1_ScoredCustomer__Output } from './loyalty/v1/ScoredCustomer';
import type { UpliftPrediction as _loyalty_v1_UpliftPrediction, UpliftPrediction__Output as _loyalty_v1_UpliftPrediction__Output } from './loyalty/v1/UpliftPrediction';
import type { WeighedAction as _loyalty_v1_WeighedAction, WeighedAction__Output as _loyalty_v1_WeighedAction__Output } from './loyalty/v1/WeighedAction';

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
      ActionTotals: MessageTypeDefinition<_loyalty_v1_ActionTotals, _loyalty_v1_ActionTotals__Output>
      BinaryPrediction: MessageTypeDefinition<_loyalty_v1_BinaryPrediction, _loyalty_v1_BinaryPrediction__Output>
      CampaignLift: MessageTypeDefinition<_loyalty_v1_CampaignLift, _loyalty_v1_CampaignLift__Output>
      ChurnPrediction: MessageTypeDefinition<_loyalty_v1_ChurnPrediction, _loyalty_v1_ChurnPrediction__Output>
      ChurnResult: MessageTypeDefinition<_loyalty_v1_ChurnResult, _loyalty_v1_ChurnResult__Output>
      ClassPrediction: MessageTypeDefinition<_loyalty_v1_ClassPrediction, _loyalty_v1_ClassPrediction__Output>
      ClvForecast: MessageTypeDefinition<_loyalty_v1_ClvForecast, _loyalty_v1_ClvForecast__Output>
      CustomerFilter: MessageTypeDefinition<_loyalty_v1_CustomerFilter, _loyalty_v1_CustomerFilter__Output>
      CustomerRef: MessageTypeDefinition<_loyalty_v1_CustomerRef, _loyalty_v1_CustomerRef__Output>
      DecideRequest: MessageTypeDefinition<_loyalty_v1_DecideRequest, _loyalty_v1_DecideRequest__Output>
      DecideResponse: MessageTypeDefinition<_loyalty_v1_DecideResponse, _loyalty_v1_DecideResponse__Output>
      /**
       * Decisions over the models: which action to take with a customer (next best
       * action), which customers a campaign should contact within a budget, and what
       * past campaigns measurably changed. Actions and the contact policy come from
       * the action catalogue (models/actions.json, docs/decisions.md);
       * FAILED_PRECONDITION when there is none.
       */
      DecisionService: SubtypeConstructor<typeof grpc.Client, _loyalty_v1_DecisionServiceClient> & { service: _loyalty_v1_DecisionServiceDefinition }
      ErrorReason: EnumTypeDefinition
      Explanation: MessageTypeDefinition<_loyalty_v1_Explanation, _loyalty_v1_Explanation__Output>
      FeatureProvenance: MessageTypeDefinition<_loyalty_v1_FeatureProvenance, _loyalty_v1_FeatureProvenance__Output>
      GetCampaignOutcomesRequest: MessageTypeDefinition<_loyalty_v1_GetCampaignOutcomesRequest, _loyalty_v1_GetCampaignOutcomesRequest__Output>
      GetCampaignOutcomesResponse: MessageTypeDefinition<_loyalty_v1_GetCampaignOutcomesResponse, _loyalty_v1_GetCampaignOutcomesResponse__Output>
      GetRfmRequest: MessageTypeDefinition<_loyalty_v1_GetRfmRequest, _loyalty_v1_GetRfmRequest__Output>
      GetRfmResponse: MessageTypeDefinition<_loyalty_v1_GetRfmResponse, _loyalty_v1_GetRfmResponse__Output>
      ItemError: MessageTypeDefinition<_loyalty_v1_ItemError, _loyalty_v1_ItemError__Output>
      /**
       * Predictions and segmentation for the customers of the loyalty programme.
       * Every per-customer call takes one customer or a batch (at most the server's
       * LOYALTY_MAX_BATCH_SIZE, 1,000 by default) and answers with one result per
       * requested customer, in request order; an unknown customer fails its own
       * result, not the whole call.
       */
      LoyaltyService: SubtypeConstructor<typeof grpc.Client, _loyalty_v1_LoyaltyServiceClient> & { service: _loyalty_v1_LoyaltyServiceDefinition }
      LtvPrediction: MessageTypeDefinition<_loyalty_v1_LtvPrediction, _loyalty_v1_LtvPrediction__Output>
      LtvResult: MessageTypeDefinition<_loyalty_v1_LtvResult, _loyalty_v1_LtvResult__Output>
      ModelPrediction: MessageTypeDefinition<_loyalty_v1_ModelPrediction, _loyalty_v1_ModelPrediction__Output>
      ModelRef: MessageTypeDefinition<_loyalty_v1_ModelRef, _loyalty_v1_ModelRef__Output>
      Money: MessageTypeDefinition<_loyalty_v1_Money, _loyalty_v1_Money__Output>
      NboPrediction: MessageTypeDefinition<_loyalty_v1_NboPrediction, _loyalty_v1_NboPrediction__Output>
      NboResult: MessageTypeDefinition<_loyalty_v1_NboResult, _loyalty_v1_NboResult__Output>
      PlanCampaignRequest: MessageTypeDefinition<_loyalty_v1_PlanCampaignRequest, _loyalty_v1_PlanCampaignRequest__Output>
      PlanCampaignResponse: MessageTypeDefinition<_loyalty_v1_PlanCampaignResponse, _loyalty_v1_PlanCampaignResponse__Output>
      PlanTotals: MessageTypeDefinition<_loyalty_v1_PlanTotals, _loyalty_v1_PlanTotals__Output>
      PlannedContact: MessageTypeDefinition<_loyalty_v1_PlannedContact, _loyalty_v1_PlannedContact__Output>
      PredictChurnRequest: MessageTypeDefinition<_loyalty_v1_PredictChurnRequest, _loyalty_v1_PredictChurnRequest__Output>
      PredictChurnResponse: MessageTypeDefinition<_loyalty_v1_PredictChurnResponse, _loyalty_v1_PredictChurnResponse__Output>
      PredictLtvRequest: MessageTypeDefinition<_loyalty_v1_PredictLtvRequest, _loyalty_v1_PredictLtvRequest__Output>
      PredictLtvResponse: MessageTypeDefinition<_loyalty_v1_PredictLtvResponse, _loyalty_v1_PredictLtvResponse__Output>
      PredictNboRequest: MessageTypeDefinition<_loyalty_v1_PredictNboRequest, _loyalty_v1_PredictNboRequest__Output>
      PredictNboResponse: MessageTypeDefinition<_loyalty_v1_PredictNboResponse, _loyalty_v1_PredictNboResponse__Output>
      RankedItem: MessageTypeDefinition<_loyalty_v1_RankedItem, _loyalty_v1_RankedItem__Output>
      RankedLabel: MessageTypeDefinition<_loyalty_v1_RankedLabel, _loyalty_v1_RankedLabel__Output>
      RankedOffer: MessageTypeDefinition<_loyalty_v1_RankedOffer, _loyalty_v1_RankedOffer__Output>
      RankingPrediction: MessageTypeDefinition<_loyalty_v1_RankingPrediction, _loyalty_v1_RankingPrediction__Output>
      RawFeatures: MessageTypeDefinition<_loyalty_v1_RawFeatures, _loyalty_v1_RawFeatures__Output>
      Reason: MessageTypeDefinition<_loyalty_v1_Reason, _loyalty_v1_Reason__Output>
      RegressionPrediction: MessageTypeDefinition<_loyalty_v1_RegressionPrediction, _loyalty_v1_RegressionPrediction__Output>
      RfmResult: MessageTypeDefinition<_loyalty_v1_RfmResult, _loyalty_v1_RfmResult__Output>
      RfmScores: MessageTypeDefinition<_loyalty_v1_RfmScores, _loyalty_v1_RfmScores__Output>
      RfmSegment: EnumTypeDefinition
      RiskBand: EnumTypeDefinition
      ScoreCustomersRequest: MessageTypeDefinition<_loyalty_v1_ScoreCustomersRequest, _loyalty_v1_ScoreCustomersRequest__Output>
      ScoreCustomersResponse: MessageTypeDefinition<_loyalty_v1_ScoreCustomersResponse, _loyalty_v1_ScoreCustomersResponse__Output>
      ScoreKind: EnumTypeDefinition
      ScoredCustomer: MessageTypeDefinition<_loyalty_v1_ScoredCustomer, _loyalty_v1_ScoredCustomer__Output>
      UpliftPrediction: MessageTypeDefinition<_loyalty_v1_UpliftPrediction, _loyalty_v1_UpliftPrediction__Output>
      WeighedAction: MessageTypeDefinition<_loyalty_v1_WeighedAction, _loyalty_v1_WeighedAction__Output>
    }
  }
}

