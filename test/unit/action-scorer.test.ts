import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { parseActionCatalog } from '../../src/decisioning/action-catalog.js';
import { ActionScorer } from '../../src/decisioning/action-scorer.js';
import type { ContactHistory } from '../../src/decisioning/contact-history.js';
import { Errors, LoyaltyError } from '../../src/errors.js';
import { FEATURE_NAMES, type FeatureRow } from '../../src/features/feature-set.js';
import type { PredictionAnswer } from '../../src/serving/prediction.js';

const catalog = parseActionCatalog({
  currency: 'EUR',
  actions: [
    { code: 'a', name: 'A', channel: 'email', value: { amount: 10 }, cost: 1, effect: { model: 'good' } },
    { code: 'b', name: 'B', channel: 'sms', value: { amount: 10 }, cost: 1, effect: { model: 'gone' } },
  ],
});
const row: FeatureRow = {
  customerId: 'C1',
  asOf: '2025-12-31',
  tier: 'gold',
  features: FEATURE_NAMES.map(() => 0),
  rfm: { recencyDays: 1, frequency: 1, monetaryCents: 1 },
  scores: { r: 1, f: 1, m: 1, segment: 'LOST' },
  recentItems: [],
};
const noContacts = { contactsOf: async () => new Map() } as unknown as ContactHistory;

function scorer(gone: () => Error) {
  const answer: PredictionAnswer = {
    model: { name: 'good', version: '1' },
    results: [
      {
        id: 'C1',
        version: '1',
        prediction: { kind: 'binary_probability', label: 'x', probability: 0.3, riskBand: 'low' },
        featuresAsOf: '2025-12-31',
        explanation: undefined,
      },
    ],
  };
  return new ActionScorer({
    predictor: {
      predict: async (target) => {
        if ('name' in target && target.name === 'gone') throw gone();
        return answer;
      },
    },
    contacts: noContacts,
  });
}

describe('weighing actions', () => {
  it('leaves out the actions of a model that is not loaded (MODEL_UNAVAILABLE), weighing the others', async () => {
    const [w] = await scorer(() => new LoyaltyError(status.NOT_FOUND, 'model gone is not loaded')).weigh(
      catalog,
      [row],
      Date.now(),
      true,
      new AbortController().signal,
    );
    expect(w!.actions.find((a) => a.action.code === 'a')).toMatchObject({
      probability: 0.3,
      expectedNet: 2,
      excludedBy: [],
    });
    expect(w!.actions.find((a) => a.action.code === 'b')!.excludedBy).toEqual(['MODEL_UNAVAILABLE']);
  });

  it('fails the call when the store is down: never "contact no one" for an outage', async () => {
    await expect(
      scorer(() => Errors.storeUnavailable(new Error('down'))).weigh(
        catalog,
        [row],
        Date.now(),
        true,
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ code: status.UNAVAILABLE });
  });
});
