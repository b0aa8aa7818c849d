import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId } from '../../src/offline/demo/demo-data.js';
import { type TestServer, withDemoServer } from '../helpers/server.js';

/** Inputs an adversarial client sent, each once answered wrongly; every one now has its status. */
let server: TestServer;

beforeAll(async () => {
  server = await withDemoServer();
});

afterAll(async () => {
  await server?.close();
});

const CHURN_INPUTS = async () => {
  const { response } = await server.models.unary('GetModelMetadata', { name: 'churn' });
  return response!.inputNames;
};

describe('numbers beyond what a model or a Money can hold', () => {
  it('refuses raw features beyond float32 with INVALID_ARGUMENT instead of scoring infinity', async () => {
    const inputs = await CHURN_INPUTS();
    for (const huge of [3.5e38, -1e300]) {
      const values = Object.fromEntries(inputs.map((name) => [name, 1]));
      values[inputs[0]!] = huge;
      const { error } = await server.loyalty.unary('PredictChurn', {
        customers: [{ features: { reference: 'p', values } }],
      });
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error?.details).toMatch(/within float32's range/);
    }
  });

  it('refuses Predict rows beyond float32, and accepts the largest float32', async () => {
    const inputs = await CHURN_INPUTS();
    const row = (first: number) => ({ values: [first, ...inputs.slice(1).map(() => 0)] });
    const refused = await server.models.unary('Predict', { modelName: 'churn', rows: [row(1e300)] });
    expect(refused.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    const accepted = await server.models.unary('Predict', { modelName: 'churn', rows: [row(3.4e38)] });
    expect(accepted.error).toBeNull();
  });

  it('refuses a raw monetary too large for exact cents instead of answering wrong money', async () => {
    for (const monetary of [1e19, 1e300]) {
      const { error } = await server.loyalty.unary('GetRfm', {
        customers: [{ features: { reference: 'big', values: { recency_days: 1, frequency: 1, monetary } } }],
      });
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error?.details).toMatch(
        /features\.monetary is .*(it must be from 0 to 10000000000000$|float32)/,
      );
    }
    const { error, response } = await server.loyalty.unary('GetRfm', {
      customers: [
        { features: { reference: 'ok', values: { recency_days: 1, frequency: 1, monetary: 9.99e12 } } },
      ],
    });
    expect(error).toBeNull();
    expect(response!.results[0]!.rfm!.monetary).toMatchObject({ units: '9990000000000', nanos: 0 });
  });
});

describe('filters and names of any size', () => {
  it('answers INVALID_ARGUMENT for more distinct tiers than a scan accepts, not UNAVAILABLE', async () => {
    const tiers = Array.from({ length: 40_000 }, (_, i) => `t${i}`);
    const { error } = await server.loyalty.stream('ScoreCustomers', {
      kind: 'SCORE_KIND_RFM',
      filter: { tiers },
    });
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/at most 16 are accepted/);
  });

  it('treats repeated filter values as one', async () => {
    const once = await server.loyalty.stream('ScoreCustomers', {
      kind: 'SCORE_KIND_RFM',
      filter: { tiers: ['gold'] },
    });
    const repeated = await server.loyalty.stream('ScoreCustomers', {
      kind: 'SCORE_KIND_RFM',
      filter: { tiers: Array.from({ length: 1_000 }, () => 'gold') },
    });
    expect(repeated.error).toBeNull();
    expect(repeated.messages).toEqual(once.messages);
  });

  it('never echoes a long model name: INVALID_ARGUMENT with its length only', async () => {
    const name = 'x'.repeat(10_000);
    for (const answer of [
      await server.models.unary('Predict', { modelName: name, rows: [{ values: [1] }] }),
      await server.models.unary('GetModelMetadata', { name }),
      await server.models.unary('GetModelMetadata', { name: 'churn', version: 'v'.repeat(5_000) }),
    ]) {
      expect(answer.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(answer.error!.details.length).toBeLessThan(200);
    }
  });

  it('answers an empty model name with INVALID_ARGUMENT in Predict and GetModelMetadata alike', async () => {
    const predict = await server.models.unary('Predict', { modelName: '', rows: [{ values: [1] }] });
    const metadata = await server.models.unary('GetModelMetadata', { name: '' });
    expect(predict.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(metadata.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('answers a well-formed unknown model with NOT_FOUND listing the loaded ones', async () => {
    const { error } = await server.models.unary('GetModelMetadata', { name: 'no_such_model' });
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
    expect(error?.details).toMatch(/loaded: .*churn/);
  });
});

describe('bytes that are not the message', () => {
  it('answers INVALID_ARGUMENT, not INTERNAL, to a request that does not decode, and serves the next call', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      server.loyalty.raw.makeUnaryRequest(
        '/loyalty.v1.LoyaltyService/GetRfm',
        (b: Buffer) => b,
        (b: Buffer) => b,
        garbage,
        (err) => resolve(err),
      ),
    );
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/not a valid protobuf message/);
    const next = await server.loyalty.unary('GetRfm', { customers: [{ customerId: customerId(1) }] });
    expect(next.error).toBeNull();
  });
});

describe('a reader that stops reading', () => {
  it('holds at most one message of a stalled ScoreCustomers stream, which stays open, and serves others', async () => {
    const stream = server.loyalty.open('ScoreCustomers', { kind: 'SCORE_KIND_RFM', chunkSize: 1 });
    let received = 0;
    stream.on('data', () => {
      if (++received === 1) stream.pause();
    });
    stream.on('error', () => {});
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toBe(1);
    expect(server.app.streams.buffered).toBeLessThanOrEqual(1);
    expect(server.app.streams.peakPerStream).toBe(1);
    const other = await server.loyalty.unary('GetRfm', { customers: [{ customerId: customerId(5) }] });
    expect(other.error).toBeNull();
    stream.cancel();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.app.streams.buffered).toBe(0);
  });
});
