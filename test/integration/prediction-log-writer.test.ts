import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../../src/features/sql/sqlite-backend.js';
import { JsonLinesSink } from '../../src/prediction-log/json-lines-sink.js';
import {
  type LoggedModel,
  PredictionLog,
  type PredictionRecord,
} from '../../src/prediction-log/prediction-log.js';
import { setCallScope } from '../../src/serving/call-scope.js';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-plog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODEL: LoggedModel = { name: 'churn', version: '3', manifest: { inputs: ['a', 'b'] }, outputs: 1 };
const inputs = (rows: number) => Float32Array.from({ length: rows * 2 }, (_, i) => i / 4);
const outputs = (rows: number) => Float32Array.from({ length: rows }, (_, i) => i / 100);

const jsonl = (name: string) => ({
  kind: 'jsonl' as const,
  dir: join(dir, name),
  rotateBytes: 2 ** 20,
  keepFiles: 5,
});
const lines = (folder: string) =>
  readdirSync(folder).flatMap((f) =>
    readFileSync(join(folder, f), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );

describe('the prediction log (its writer thread, from dist/)', () => {
  it('records each row with its call, customer, features by name and output', async () => {
    const log = new PredictionLog(jsonl('rows'), { sampleRate: 1, maxQueued: 100 });
    const signal = new AbortController().signal;
    setCallScope(signal, { requestId: 'req-1', caller: 'crm' });
    log.offer(signal, MODEL, 3, inputs(3), outputs(3), [
      { customerId: 'C1', asOf: '2025-06-30' },
      undefined,
      { customerId: 'C3', asOf: '2025-06-30' },
    ]);
    await log.close();
    const records = lines(join(dir, 'rows'));
    expect(records).toHaveLength(3);
    expect(records[1]).toMatchObject({
      request_id: 'req-1',
      caller: 'crm',
      model: 'churn',
      version: '3',
      customer_id: null,
      features_as_of: null,
    });
    expect(records[2]).toMatchObject({ customer_id: 'C3', features_as_of: '2025-06-30' });
    expect(records[2].features).toEqual({ a: 1, b: 1.25 });
    expect(records[2].output).toEqual([Math.fround(0.02)]);
    expect(log.stats).toMatchObject({ written: 3, notSampled: 0, droppedQueueFull: 0, queued: 0 });
  });

  it('samples rows at the configured rate', async () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const log = new PredictionLog(jsonl('sampled'), { sampleRate: 0.1, maxQueued: 100_000, random });
    log.offer(new AbortController().signal, MODEL, 10_000, inputs(10_000), outputs(10_000));
    await log.close();
    const written = lines(join(dir, 'sampled')).length;
    expect(written).toBeGreaterThan(800);
    expect(written).toBeLessThan(1_200);
    expect(log.stats.written).toBe(written);
    expect(log.stats.notSampled + written).toBe(10_000);
  });

  it('keeps at most maxQueued rows unwritten and counts the rest as dropped, without waiting', async () => {
    const log = new PredictionLog(jsonl('bounded'), { sampleRate: 1, maxQueued: 100 });
    const signal = new AbortController().signal;
    // Within one turn of the event loop the writer has acknowledged nothing yet.
    for (let i = 0; i < 10; i++) log.offer(signal, MODEL, 100, inputs(100), outputs(100));
    expect(log.stats.queued).toBe(100);
    expect(log.stats.droppedQueueFull).toBe(900);
    await log.close();
    expect(log.stats).toMatchObject({ written: 100, queued: 0 });
  });

  it('counts the rows of a failed write as dropped and reports the error', async () => {
    // The folder's path is a file: every write fails.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const errors: string[] = [];
    const log = new PredictionLog(
      { ...jsonl('x'), dir: join(dir, 'not-a-folder') },
      { sampleRate: 1, maxQueued: 100 },
      (e) => errors.push(e.message),
    );
    log.offer(new AbortController().signal, MODEL, 4, inputs(4), outputs(4));
    await log.close();
    expect(log.stats).toMatchObject({ droppedSinkError: 4, written: 0, queued: 0 });
    expect(errors[0]).toMatch(/EEXIST|ENOTDIR/);
  });
});

describe('the JSON lines sink', () => {
  it('writes one parseable line per record, rotates past the size and keeps the newest files', async () => {
    const folder = join(dir, 'rotated');
    const sink = new JsonLinesSink({ dir: folder, rotateBytes: 4_096, keepFiles: 3 });
    for (let i = 0; i < 40; i++) {
      const records: PredictionRecord[] = Array.from({ length: 10 }, (_, j) => ({
        requestId: 'r',
        time: Date.now(),
        caller: null,
        model: 'churn',
        version: '3',
        customerId: `C${i * 10 + j}`,
        featuresAsOf: '2025-12-31',
        featureNames: ['a', 'b'],
        features: Float32Array.of(i, j),
        output: Float32Array.of(0.5),
      }));
      await sink.write(records);
    }
    await sink.close();
    const files = readdirSync(folder).sort();
    expect(files.length).toBe(3);
    for (const f of files)
      expect(f).toMatch(new RegExp(`^predictions-\\d{8}T\\d{9}Z-${process.pid}-\\d{6}\\.jsonl$`));
    const records = lines(folder);
    // The newest records are kept, whole, in order.
    expect(records.at(-1)).toMatchObject({ model: 'churn', customer_id: 'C399', features: { a: 39, b: 9 } });
    for (const f of files) expect(readFileSync(join(folder, f)).length).toBeLessThanOrEqual(4_096);
  });
});

describe('the table sink', () => {
  it('creates prediction_log in the store database and inserts the records (SQLite)', async () => {
    const path = join(dir, 'log.sqlite');
    const log = new PredictionLog(
      { kind: 'table', database: { kind: 'sqlite', path } },
      { sampleRate: 1, maxQueued: 100 },
    );
    const signal = new AbortController().signal;
    setCallScope(signal, { requestId: 'r-9', caller: undefined });
    const asOf = '2025-12-31';
    log.offer(signal, MODEL, 2, inputs(2), outputs(2), [
      { customerId: 'C7', asOf },
      { customerId: 'C8', asOf },
    ]);
    log.offer(signal, MODEL, 1, inputs(1), outputs(1), [{ customerId: 'C9', asOf }]);
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
      features_as_of: '2025-12-31',
    });
    expect(JSON.parse(rows[1]!.features as string)).toEqual({ a: 0.5, b: 0.75 });
    expect(JSON.parse(rows[1]!.output as string)).toEqual([Math.fround(0.01)]);
  });

  it('adds features_as_of to a prediction_log table of the earlier version, keeping its rows', async () => {
    const path = join(dir, 'old-log.sqlite');
    const old = new SqliteBackend(path);
    await old.execute(
      'CREATE TABLE prediction_log (request_id TEXT NOT NULL, logged_at TEXT NOT NULL, caller TEXT, model TEXT NOT NULL, model_version TEXT NOT NULL, customer_id TEXT, features TEXT NOT NULL, output TEXT NOT NULL)',
    );
    await old.execute(
      "INSERT INTO prediction_log VALUES ('old', '2026-11-01 00:00:00.000', NULL, 'churn', '1', 'C1', '{}', '[0.5]')",
    );
    await old.close();
    const log = new PredictionLog(
      { kind: 'table', database: { kind: 'sqlite', path } },
      { sampleRate: 1, maxQueued: 100 },
    );
    log.offer(new AbortController().signal, MODEL, 1, inputs(1), outputs(1), [
      { customerId: 'C2', asOf: '2025-12-31' },
    ]);
    await log.close();
    const reader = new SqliteBackend(path);
    const rows = await reader.select(
      'SELECT request_id, customer_id, features_as_of FROM prediction_log ORDER BY customer_id',
    );
    await reader.close();
    expect(rows).toEqual([
      { request_id: 'old', customer_id: 'C1', features_as_of: null },
      { request_id: 'none', customer_id: 'C2', features_as_of: '2025-12-31' },
    ]);
  });
});
