import { describe, expect, it } from 'vitest';
import { LoyaltyError } from '../../src/errors.js';
import type { ViewsState } from '../../src/features/feature-views.js';
import type { RegisteredView } from '../../src/features/repository/view-tables.js';
import type { ViewRow } from '../../src/features/view-store.js';
import type { ModelManifest } from '../../src/models/manifest.js';
import type { Route } from '../../src/models/route.js';
import type { ScoredChunk } from '../../src/serving/prediction.js';
import { Predictor } from '../../src/serving/predictor.js';
import type { PredictorDeps, ViewsSource } from '../../src/serving/predictor-deps.js';
import { committedManifest, fakeRow, fakeServedModel } from '../fakes/served-models.js';

/**
 * A model whose inputs are features of declared views (`view.feature`), on fake versions and
 * in-memory views: which rows the core reads, and how it answers a missing, stale or unapplied view.
 */
const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
const view = (name: string, features: string[], extra: Partial<RegisteredView> = {}): RegisteredView => ({
  name,
  definition: {
    description: '',
    source: 's',
    entityColumn: 'id',
    features: features.map((f) => ({ name: f, type: 'float', column: f })),
  },
  tableFeatures: features,
  appliedAt: now,
  materializedAt: now,
  valuesAsOf: now,
  rows: 3,
  materializedFeatures: features,
  ...extra,
});
const row = (customerId: string, values: number[], eventTs?: string): ViewRow => ({
  customerId,
  eventTs,
  values: Float64Array.from(values),
});

const credit = view('credit', ['limit', 'age', 'unused']);
const crm = view('crm', ['contacts']);
const DATA: Record<string, ViewRow[]> = {
  credit: [
    row('A', [1000, 40, 7]),
    row('B', [2000, 30, 7]),
    row('C', [500, Number.NaN, 7]),
    row('D', [10, 20, 7]),
  ],
  crm: [row('A', [3], '2025-05-01 10:00:00'), row('B', [5], '2025-04-01 00:00:00'), row('C', [1])],
};

const manifest: ModelManifest = {
  ...committedManifest('churn'),
  name: 'credit_default',
  inputs: ['credit.limit', 'credit.age', 'crm.contacts'],
  normalization: undefined,
  reference: undefined,
  explanation: undefined,
};

function setup(state: ViewsState, m: ModelManifest = manifest) {
  const reads: string[] = [];
  const views: ViewsSource = {
    current: async () => state,
    getMany: async (v, ids) => {
      reads.push(`${v.name}:${ids.join(',')}`);
      return new Map(ids.map((id) => [id, DATA[v.name]!.find((r) => r.customerId === id)]));
    },
    read: async (v, ids) =>
      new Map(DATA[v.name]!.filter((r) => ids.includes(r.customerId)).map((r) => [r.customerId, r])),
    scan: async (v, after, limit) => DATA[v.name]!.filter((r) => r.customerId > after).slice(0, limit),
  };
  const model = fakeServedModel(m);
  const route: Route = { primary: model, canary: undefined, shadow: undefined };
  const deps: PredictorDeps = {
    registry: { route: () => route },
    rows: {
      getMany: async () => {
        throw new Error('a model on declared views only never reads the online table');
      },
    },
    catalog: {
      current: async () => {
        throw new LoyaltyError(9, 'the online table is not materialized');
      },
    },
    store: { scan: async () => [fakeRow('X')] },
    maxBatchSize: 100,
    models: { churn: 'churn', nbo: 'nbo', ltv: 'ltv' },
    streamStats: { buffered: 0, peakPerStream: 0 },
    shadow: { offer: () => {} },
    views,
    explainer: { explain: async () => ({}) as never },
  };
  return { predictor: new Predictor(deps), reads, model };
}

const signal = () => new AbortController().signal;
const target = { name: 'credit_default', version: '' };

describe('a model on feature views', () => {
  it('reads each view once per call and answers per customer, naming the view a customer lacks', async () => {
    const { predictor, reads } = setup({
      views: new Map([
        ['credit', credit],
        ['crm', crm],
      ]),
      generation: 1,
    });
    const answer = await predictor.predict(
      target,
      ['A', 'B', 'C', 'D', 'Z'].map((customerId) => ({ customerId })),
      { topK: 0, explain: false },
      signal(),
    );
    expect(reads.sort()).toEqual(['credit:A,B,C,D,Z', 'crm:A,B,C,D,Z']);
    const [a, b, c, d, z] = answer.results;
    // The fake model answers the mean of its inputs / 100, in input order (limit, age, contacts).
    expect(a).toMatchObject({ id: 'A', prediction: { probability: Math.fround((1000 + 40 + 3) / 3 / 100) } });
    expect(a).toMatchObject({ featuresAsOf: '2025-05-01' });
    expect(b).toMatchObject({ featuresAsOf: '2025-04-01' });
    expect(c).toEqual({
      id: 'C',
      error: { reason: 'feature_value_missing', message: expect.stringContaining('credit.age') },
    });
    expect(d).toEqual({
      id: 'D',
      error: { reason: 'customer_not_found', message: 'customer D has no row in feature view crm' },
    });
    expect(z).toMatchObject({ error: { reason: 'customer_not_found' } });
  });

  it('answers money from a manifest naming its currency without the online table', async () => {
    const ltv: ModelManifest = {
      ...manifest,
      output: { ...committedManifest('ltv').output, currency: 'TWD', clip: undefined },
      clv: undefined,
    };
    const { predictor } = setup(
      {
        views: new Map([
          ['credit', credit],
          ['crm', crm],
        ]),
        generation: 1,
      },
      ltv,
    );
    const answer = await predictor.predict(
      target,
      [{ customerId: 'A' }],
      { topK: 0, explain: false },
      signal(),
    );
    expect(answer.results[0]).toMatchObject({
      prediction: { kind: 'regression', money: { currency: 'TWD' } },
    });
  });

  it('streams the customers of every view it reads, and refuses segment filters', async () => {
    const { predictor } = setup({
      views: new Map([
        ['credit', credit],
        ['crm', crm],
      ]),
      generation: 1,
    });
    const chunks: ScoredChunk[] = [];
    const sink = {
      write: (chunk: ScoredChunk, done: () => void) => {
        chunks.push(chunk);
        done();
      },
    };
    await predictor.scoreBase(target, { chunkSize: 2, filter: {}, topK: 0, served: true }, sink, signal());
    // C lacks a value, D a CRM row: the base is A and B.
    expect(chunks.flatMap((c) => c.customers.map((x) => x.id))).toEqual(['A', 'B']);
    await expect(
      predictor.scoreBase(
        target,
        { chunkSize: 2, filter: { segments: ['LOST'] }, topK: 0, served: true },
        sink,
        signal(),
      ),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('loyalty view') });
  });

  it('answers FAILED_PRECONDITION naming a view that is not applied, not materialized, lacks a feature or is stale', async () => {
    const cases: [Map<string, RegisteredView>, RegExp][] = [
      [new Map([['credit', credit]]), /feature view crm, which this store does not hold/],
      [
        new Map([
          ['credit', credit],
          ['crm', view('crm', ['contacts'], { materializedAt: undefined })],
        ]),
        /crm, which has not been materialized/,
      ],
      [
        new Map([
          ['credit', credit],
          ['crm', view('crm', ['contacts'], { materializedFeatures: [] })],
        ]),
        /crm\.contacts, which view crm has not materialized since the feature was added/,
      ],
      [
        new Map([
          [
            'credit',
            view('credit', ['limit', 'age'], {
              materializedAt: '2020-01-01 00:00:00',
              definition: { ...credit.definition, maxAgeDays: 30 },
            }),
          ],
          ['crm', crm],
        ]),
        /feature view credit is stale: materialized at 2020-01-01 00:00:00 UTC.*past its maxAgeDays of 30/,
      ],
    ];
    for (const [views, message] of cases) {
      const { predictor } = setup({ views, generation: 1 });
      await expect(
        predictor.predict(target, [{ customerId: 'A' }], { topK: 0, explain: false }, signal()),
      ).rejects.toMatchObject({ code: 9, message: expect.stringMatching(message) });
    }
  });
});
