import { describe, expect, it } from 'vitest';
import { LoyaltyError } from '../../src/errors.js';
import type { FeatureRow } from '../../src/features/feature-set.js';
import type { Route } from '../../src/models/route.js';
import type { ServedModel } from '../../src/models/served-model.js';
import { CANARY_SCALE, canaryBucket } from '../../src/models/serving-policy.js';
import type { ScoredChunk } from '../../src/serving/prediction.js';
import { Predictor } from '../../src/serving/predictor.js';
import type { PredictorDeps } from '../../src/serving/predictor-deps.js';
import { committedManifest, fakeRow, fakeServedModel } from '../fakes/served-models.js';

/**
 * The serving core on fake versions (batch schedulers running a plain function) and an in-memory
 * store: no workers, no dist/, no database. Each version's output is the mean of its inputs / 100.
 */
const churn = committedManifest('churn');
const ROWS = new Map<string, FeatureRow>(
  Array.from({ length: 40 }, (_, i) => {
    const id = `C${String(i + 1).padStart(7, '0')}`;
    return [id, fakeRow(id, 1 + i / 10)];
  }),
);

function setup(routes: Record<string, Route>, extra: Partial<PredictorDeps> = {}) {
  const observed: { model: string; rows: number }[] = [];
  const logged: { model: string; rows: number; customers: (string | undefined)[] }[] = [];
  const shadowed: number[] = [];
  const deps: PredictorDeps = {
    registry: {
      route: (name, version) => {
        const route = routes[version ? `${name}/${version}` : name];
        if (!route) throw new LoyaltyError(5, `model ${name} is not loaded`);
        return route;
      },
    },
    rows: { getMany: async (ids) => new Map(ids.map((id) => [id, ROWS.get(id)])) },
    catalog: {
      current: async () => ({
        info: { asOf: '2026-11-30', currency: 'EUR', featureNames: [], customerCount: ROWS.size } as never,
        thresholds: {} as never,
      }),
    },
    store: {
      scan: async (after, limit) => [...ROWS.values()].filter((r) => r.customerId > after).slice(0, limit),
    },
    maxBatchSize: 100,
    models: { churn: 'churn', nbo: 'nbo', ltv: 'ltv' },
    streamStats: { buffered: 0, peakPerStream: 0 },
    shadow: { offer: (_p, _s, rows) => void shadowed.push(rows) },
    drift: {
      observe: (model, rows) => void observed.push({ model: `${model.name}@${model.version}`, rows }),
    },
    predictionLog: {
      offer: (_signal, model, rows, _in, _out, subjects) =>
        void logged.push({
          model: model.version,
          rows,
          customers: (subjects ?? []).map((s) => s?.customerId),
        }),
    },
    explainer: {
      explain: async () => ({
        target: 't',
        value: 0,
        baseValue: 0,
        reasons: [],
        contributions: new Float64Array(),
        evaluations: 0,
      }),
    },
    ...extra,
  };
  return { predictor: new Predictor(deps), observed, logged, shadowed };
}

const only = (primary: ServedModel): Route => ({ primary, canary: undefined, shadow: undefined });
const signal = () => new AbortController().signal;
const expectedProbability = (row: FeatureRow, model: ServedModel) =>
  Math.fround(model.featureIndex!.reduce((s, i) => s + row.features[i]!, 0) / model.inputs / 100);

describe('the Predictor', () => {
  it('answers store customers and raw features in request order, an unknown customer per item', async () => {
    const v1 = fakeServedModel(churn, '1');
    const { predictor } = setup({ churn: only(v1) });
    const raw = Object.fromEntries(churn.inputs.map((n) => [n, 50]));
    const answer = await predictor.predict(
      { kind: 'churn' },
      [{ customerId: 'C0000003' }, { customerId: 'C9999999' }, { reference: 'walk-in', values: raw }],
      { topK: 0, explain: false },
      signal(),
    );
    expect(answer.model).toEqual({ name: 'churn', version: '1' });
    const [known, unknown, walkIn] = answer.results;
    expect(known).toMatchObject({
      id: 'C0000003',
      version: '1',
      featuresAsOf: '2026-11-30',
      prediction: { kind: 'binary_probability', probability: expectedProbability(ROWS.get('C0000003')!, v1) },
    });
    expect(unknown).toEqual({
      id: 'C9999999',
      error: { reason: 'customer_not_found', message: 'customer C9999999 is not in the feature store' },
    });
    expect(walkIn).toMatchObject({
      id: 'walk-in',
      featuresAsOf: undefined,
      prediction: { probability: 0.5 },
    });
  });

  it('sends each customer of a canary share to the canary, the same customer always to the same version', async () => {
    const v1 = fakeServedModel(churn, '1');
    const v2 = fakeServedModel(churn, '2', async (rows) => new Float32Array(rows).fill(0.99));
    const route: Route = { primary: v1, canary: { model: v2, buckets: CANARY_SCALE / 2 }, shadow: undefined };
    const { predictor, observed } = setup({ churn: route });
    const ids = [...ROWS.keys()];
    const answer = await predictor.predict(
      { name: 'churn', version: '' },
      ids.map((customerId) => ({ customerId })),
      { topK: 0, explain: false },
      signal(),
    );
    for (const [i, r] of answer.results.entries()) {
      const canary = canaryBucket('churn', ids[i]!) < CANARY_SCALE / 2;
      expect('version' in r && r.version).toBe(canary ? '2' : '1');
    }
    // One submission per answering version; both counted as served traffic.
    expect(observed.map((o) => o.model).sort()).toEqual(['churn@1', 'churn@2']);
    expect(observed.reduce((s, o) => s + o.rows, 0)).toBe(ids.length);
  });

  it('offers the primary rows to the shadow and logs each row with its customer', async () => {
    const v1 = fakeServedModel(churn, '1');
    const v3 = fakeServedModel(churn, '3');
    const { predictor, shadowed, logged } = setup({ churn: { primary: v1, canary: undefined, shadow: v3 } });
    await predictor.predict(
      { kind: 'churn' },
      [{ customerId: 'C0000001' }, { customerId: 'C0000002' }],
      { topK: 0, explain: false },
      signal(),
    );
    expect(shadowed).toEqual([2]);
    expect(logged).toEqual([{ model: '1', rows: 2, customers: ['C0000001', 'C0000002'] }]);
  });

  it('refuses what a caller controls beyond its bounds before any row is read', async () => {
    const v1 = fakeServedModel(churn, '1');
    const { predictor } = setup({ churn: only(v1) });
    const call = (refs: object[], options = { topK: 0, explain: false }) =>
      predictor.predict({ kind: 'churn' }, refs as never, options, signal()).then(
        () => undefined,
        (e: LoyaltyError) => [e.code, e.message],
      );
    expect(await call([])).toEqual([3, expect.stringMatching(/customers is empty/)]);
    expect(await call(Array.from({ length: 101 }, () => ({ customerId: 'C1' })))).toEqual([
      3,
      expect.stringMatching(/at most 100/),
    ]);
    expect(await call([{ customerId: "C1' OR 1=1" }])).toEqual([3, expect.stringMatching(/is malformed/)]);
    expect(await call([{}])).toEqual([3, expect.stringMatching(/sets neither/)]);
    const wide = setup({ churn: only(v1) }, { maxBatchSize: 500 }).predictor;
    const explained = Array.from({ length: 101 }, (_, i) => ({ customerId: `C${i}` }));
    await expect(
      wide.predict({ kind: 'churn' }, explained, { topK: 0, explain: true }, signal()),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringMatching(/explain is limited to 100/),
    });
    expect(
      await predictor
        .predict(
          { name: 'bad name!', version: '' },
          [{ customerId: 'C1' }],
          { topK: 0, explain: false },
          signal(),
        )
        .catch((e) => e.code),
    ).toBe(3);
  });

  it('refuses a prediction RPC whose configured model gives another kind of output', async () => {
    const nbo = fakeServedModel(committedManifest('nbo'), '1');
    const { predictor } = setup({ churn: only(nbo) });
    await expect(
      predictor.predict(
        { kind: 'churn' },
        [{ customerId: 'C0000001' }],
        { topK: 0, explain: false },
        signal(),
      ),
    ).rejects.toMatchObject({
      code: 9,
      message: expect.stringMatching(
        /PredictChurn is served by model nbo, whose output is class_probabilities/,
      ),
    });
  });

  it('answers money in cents with its currency, for the lifetime value kind', async () => {
    const ltv = fakeServedModel(committedManifest('ltv'), '1');
    const { predictor } = setup({ ltv: only(ltv) });
    const [r] = (
      await predictor.predict(
        { kind: 'ltv' },
        [{ customerId: 'C0000001' }],
        { topK: 0, explain: false },
        signal(),
      )
    ).results;
    if (!r || !('prediction' in r) || r.prediction.kind !== 'regression')
      throw new Error('no regression answer');
    expect(r.prediction.money).toEqual({ cents: Math.round(r.prediction.value * 100), currency: 'EUR' });
  });

  it('streams the base in id order, chunk by chunk, keeping campaign scoring out of drift', async () => {
    const v1 = fakeServedModel(churn, '1');
    const { predictor, observed } = setup({ churn: only(v1) });
    const chunks: ScoredChunk[] = [];
    const score = (served: boolean) =>
      predictor.scoreBase(
        { name: 'churn', version: '' },
        { chunkSize: 15, filter: { segments: [], tiers: [] }, topK: 0, served },
        {
          write: (chunk, written) => {
            chunks.push(chunk);
            setImmediate(written);
          },
        },
        signal(),
      );
    await score(false);
    expect(chunks.map((c) => c.customers.length)).toEqual([15, 15, 10]);
    expect(chunks.flatMap((c) => c.customers.map((x) => x.id))).toEqual([...ROWS.keys()]);
    expect(observed).toEqual([]);
    await score(true);
    expect(observed.reduce((s, o) => s + o.rows, 0)).toBe(ROWS.size);
  });
});
