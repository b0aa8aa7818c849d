import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Errors, LoyaltyError } from '../../src/errors.js';
import { type BatchingOptions, BatchScheduler } from '../../src/inference/batch-scheduler.js';

/**
 * The scheduler's batching logic, with a plain function as the "model": each output is its input
 * row's sum, so every row's answer shows which row it came from.
 */
function scheduler(options: Partial<BatchingOptions> = {}) {
  const batches: number[] = [];
  const s = new BatchScheduler(
    { name: 'sum', version: '1' },
    { maxBatchSize: 8, maxQueueDelayUs: 2_000, maxQueueSize: 64, ...options },
    2,
    1,
    async (rows, data) => {
      batches.push(rows);
      return Float32Array.from({ length: rows }, (_, i) => data[2 * i]! + data[2 * i + 1]!);
    },
  );
  return { s, batches };
}

const row = (a: number, b: number) => Float32Array.from([a, b]);

describe('BatchScheduler', () => {
  it('gathers concurrent requests into one batch and gives each its own rows', async () => {
    const { s, batches } = scheduler();
    const outs = await Promise.all([
      s.submit(1, row(1, 2)),
      s.submit(2, Float32Array.from([3, 4, 5, 6])),
      s.submit(1, row(7, 8)),
    ]);
    expect(batches).toEqual([4]);
    expect(outs.map((o) => Array.from(o))).toEqual([[3], [7, 11], [15]]);
  });

  it('sends a batch as soon as it is full, without waiting for the delay', async () => {
    const { s, batches } = scheduler({ maxQueueDelayUs: 10_000_000 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => s.submit(1, row(i, 0))));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(batches).toEqual([8]);
  });

  it('waits at most the queue delay for a partial batch', async () => {
    const { s, batches } = scheduler({ maxQueueDelayUs: 30_000 });
    const started = performance.now();
    await s.submit(1, row(1, 1));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(500);
    expect(batches).toEqual([1]);
  });

  it('splits a request larger than a batch and reassembles its outputs in order', async () => {
    const { s, batches } = scheduler();
    const data = Float32Array.from({ length: 40 }, (_, i) => i);
    const out = await s.submit(20, data);
    expect(batches).toEqual([8, 8, 4]);
    expect(Array.from(out)).toEqual(Array.from({ length: 20 }, (_, i) => 4 * i + 1));
  });

  it('refuses rows beyond the queue bound with RESOURCE_EXHAUSTED', async () => {
    const { s } = scheduler({ maxQueueSize: 4, maxQueueDelayUs: 50_000 });
    const held = [s.submit(2, Float32Array.from([1, 1, 1, 1])), s.submit(2, Float32Array.from([1, 1, 1, 1]))];
    const refused = s.submit(1, row(1, 1));
    await expect(refused).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    expect(s.stats.rejectedQueueFull).toBe(1);
    await Promise.all(held);
  });

  it('drops a request whose caller left before its batch formed, and runs the others', async () => {
    const { s, batches } = scheduler({ maxQueueDelayUs: 20_000 });
    const controller = new AbortController();
    const gone = s.submit(1, row(5, 5), controller.signal);
    const staying = s.submit(1, row(1, 2));
    controller.abort(Errors.deadlineExceeded('waiting for a batch'));
    await expect(gone).rejects.toBeInstanceOf(LoyaltyError);
    expect(Array.from(await staying)).toEqual([3]);
    expect(batches).toEqual([1]);
    expect(s.stats.droppedBeforeInference).toBe(1);
  });

  it('fails every request of a batch whose inference failed', async () => {
    const s = new BatchScheduler(
      { name: 'broken', version: '1' },
      { maxBatchSize: 4, maxQueueDelayUs: 1_000, maxQueueSize: 16 },
      1,
      1,
      async () => {
        throw Errors.inferenceFailed(new Error('worker died'));
      },
    );
    const results = await Promise.allSettled([
      s.submit(1, Float32Array.of(1)),
      s.submit(1, Float32Array.of(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
