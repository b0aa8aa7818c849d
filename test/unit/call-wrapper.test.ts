import { describe, expect, it } from 'vitest';
import type { LoyaltyServiceHandlers } from '../../src/generated/loyalty/v1/LoyaltyService.js';
import { createLogger } from '../../src/logger.js';
import { CallWrapper, type Implementation } from '../../src/server/call-wrapper.js';
import { loadContract } from '../../src/server/proto.js';
import { CallTracker } from '../../src/serving/admission.js';
import { NO_RPC_OBSERVER } from '../../src/telemetry/observers.js';

describe('handlers built from a service definition', () => {
  const wrap = new CallWrapper(
    new CallTracker({ maxInflight: 1, maxWaitMs: 0 }),
    createLogger('silent'),
    NO_RPC_OBSERVER,
  );
  const service = loadContract().grpcObject.loyalty.v1.LoyaltyService.service;
  const unanswered = async () => {
    throw new Error('not called here');
  };

  it('makes one grpc-js handler per method of the contract, streaming where the contract streams', () => {
    const implementation: Implementation<LoyaltyServiceHandlers> = {
      GetRfm: unanswered,
      ScoreCustomers: unanswered,
      PredictChurn: unanswered,
      PredictNbo: unanswered,
      PredictLtv: unanswered,
    };
    const handlers = wrap.handlers(service, implementation);
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(service).sort());
    // grpc-js tells a unary handler by its (call, callback) arity.
    expect((handlers.ScoreCustomers as (...a: unknown[]) => void).length).toBe(1);
    expect((handlers.GetRfm as (...a: unknown[]) => void).length).toBe(2);
  });

  it('refuses to start when a method of the contract has no implementation', () => {
    const partial = { GetRfm: unanswered } as unknown as Implementation<LoyaltyServiceHandlers>;
    expect(() => wrap.handlers(service, partial)).toThrow(
      /no implementation of \/loyalty\.v1\.LoyaltyService\//,
    );
  });
});
