import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { JsonLinesSink } from '../../src/prediction-log/json-lines-sink.js';
import {
  type LoggedModel,
  PredictionLog,
  type PredictionRecord,
  type PredictionSink,
} from '../../src/prediction-log/prediction-log.js';
import { TableSink } from '../../src/prediction-log/table-sink.js';
import { setCallScope } from '../../src/server/call-scope.js';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-plog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL: LoggedModel = { name: 'churn', version: '3', manifest: { inputs: ['a', 'b'] }, outputs: 1 };
const inputs = (rows: number) => Float32Array.from({ length: rows * 2 }, (_, i) => i / 4);
const outputs = (rows: number) => Float32Array.from({ length: rows }, (_, i) => i / 100);

/** A sink that keeps what it is given; `stall` makes its writes never finish (a hung database). */
class MemorySink implements PredictionSink {
  records: PredictionRecord[] = [];
  constructor(private readonly stall = false) {}
  write(records: readonly PredictionRecord[]): Promise<void> {
    if (this.stall) return new Promise(() => {});
    this.records.push(...records);
    return Promise.resolve();
  }
  async close(): Promise<void> {}
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the prediction log', () => {
  it('records each row with its call, customer, features by name and output', async () => {
    const sink = new MemorySink();
    const log = new PredictionLog(sink, { sampleRate: 1, maxQueued: 100 });
    const signal = new AbortController().signal;
    setCallScope(signal, { requestId: 'req-1', caller: 'crm' });
    log.offer(signal, MODEL, 3, inputs(3), outputs(3), ['C1', undefined, 'C3']);
    await settle();
    expect(sink.records).toHaveLength(3);
    expect(sink.records[1]).toMatchObject({
      requestId: 'req-1',
      caller: 'crm',
      model: 'churn',
      version: '3',
      customerId: null,
    });
    expect(Array.from(sink.records[2]!.features)).toEqual([1, 1.25]);
    expect(Array.from(sink.records[2]!.output)).toEqual([Math.fround(0.02)]);
    expect(log.stats).toMatchObject({ written: 3, notSampled: 0, droppedQueueFull: 0 });
  });

  it('samples rows at the configured rate', async () => {
    const sink = new MemorySink();
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const log = new PredictionLog(sink, { sampleRate: 0.1, maxQueued: 100_000, random });
    log.offer(new AbortController().signal, MODEL, 10_000, inputs(10_000), outputs(10_000));
    await settle();
    expect(sink.records.length).toBeGreaterThan(800);
    expect(sink.records.length).toBeLessThan(1_200);
    expect(log.stats.notSampled + sink.records.length).toBe(10_000);
  });

  it('never waits for a stalled sink: offers return, the queue stays bounded, drops are counted', async () => {
    const log = new PredictionLog(new MemorySink(true), { sampleRate: 1, maxQueued: 1_000, batchSize: 100 });
    const signal = new AbortController().signal;
    for (let i = 0; i < 50; i++) log.offer(signal, MODEL, 100, inputs(100), outputs(100));
    await settle();
    // One batch of 100 is in the stalled write; the queue holds at most 1,000 more.
    expect(log.stats.queued).toBeLessThanOrEqual(1_000);
    expect(log.stats.droppedQueueFull).toBe(5_000 - 1_000 - 100 + (1_000 - log.stats.queued));
    expect(log.stats.droppedQueueFull).toBeGreaterThan(3_000);
    expect(log.stats.written).toBe(0);
    // Closing does not hang on it either.
    const started = Date.now();
    await log.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('counts the records of a failed write as dropped and goes on', async () => {
    let fail = true;
    const kept: PredictionRecord[] = [];
    const sink: PredictionSink = {
      write: async (records) => {
        if (fail) throw new Error('disk full');
        kept.push(...records);
      },
      close: async () => {},
    };
    const errors: string[] = [];
    const log = new PredictionLog(sink, { sampleRate: 1, maxQueued: 100 }, (e) => errors.push(e.message));
    log.offer(new AbortController().signal, MODEL, 4, inputs(4), outputs(4));
    await settle();
    fail = false;
    log.offer(new AbortController().signal, MODEL, 2, inputs(2), outputs(2));
    await settle();
    expect(log.stats).toMatchObject({ droppedSinkError: 4, written: 2 });
    expect(errors).toEqual(['disk full']);
    expect(kept).toHaveLength(2);
  });
});

describe('the JSON lines sink', () => {
  it('writes one parseable line per record, rotates past the size and keeps the newest files', async () => {
    const folder = join(dir, 'jsonl');
    const sink = new JsonLinesSink({ dir: folder, rotateBytes: 4_096, keepFiles: 3 });
    const log = new PredictionLog(sink, { sampleRate: 1, maxQueued: 100_000, batchSize: 10 });
    for (let i = 0; i < 40; i++) {
      log.offer(
        new AbortController().signal,
        MODEL,
        10,
        inputs(10),
        outputs(10),
        Array.from({ length: 10 }, (_, j) => `C${i * 10 + j}`),
      );
      await settle();
    }
    await log.close();
    const files = readdirSync(folder).sort();
    expect(files.length).toBe(3);
    for (const f of files)
      expect(f).toMatch(new RegExp(`^predictions-\\d{8}T\\d{9}Z-${process.pid}-\\d{6}\\.jsonl$`));
    const lines = files.flatMap((f) => readFileSync(join(folder, f), 'utf8').trim().split('\n'));
    const records = lines.map((l) => JSON.parse(l));
    // The newest records are kept, whole, in order.
    expect(records.at(-1)).toMatchObject({
      model: 'churn',
      version: '3',
      customer_id: 'C399',
      features: { a: 4.5, b: 4.75 },
    });
    for (const f of files) expect(readFileSync(join(folder, f)).length).toBeLessThanOrEqual(4_096 + 2_000);
    expect(log.stats.written).toBe(400);
  });
});

describe('the table sink', () => {
  it('creates prediction_log in the store database and inserts the records (SQLite)', async () => {
    const path = join(dir, 'log.sqlite');
    const log = new PredictionLog(new TableSink(new SqliteBackend(path)), { sampleRate: 1, maxQueued: 100 });
    const signal = new AbortController().signal;
    setCallScope(signal, { requestId: 'r-9', caller: undefined });
    log.offer(signal, MODEL, 2, inputs(2), outputs(2), ['C7', 'C8']);
    await settle();
    log.offer(signal, MODEL, 1, inputs(1), outputs(1), ['C9']);
    await log.close();
    const reader = new SqliteBackend(path);
    const rows = await reader.select('SELECT * FROM prediction_log ORDER BY customer_id');
    await reader.close();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      request_id: 'r-9',
      caller: null,
      model: 'churn',
      model_version: '3',
      customer_id: 'C7',
    });
    expect(JSON.parse(rows[1]!.features as string)).toEqual({ a: 0.5, b: 0.75 });
    expect(JSON.parse(rows[1]!.output as string)).toEqual([Math.fround(0.01)]);
  });
});
