import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLinesSink } from '../../src/prediction-log/json-lines-sink.js';
import { readLogRecords } from '../../src/prediction-log/log-files.js';
import type { PredictionRecord } from '../../src/prediction-log/prediction-log.js';

const dir = mkdtempSync(join(tmpdir(), 'loyalty-logfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (customer: string): PredictionRecord => ({
  time: Date.UTC(2026, 11, 5),
  requestId: 'r',
  caller: null,
  model: 'churn',
  version: '1',
  customerId: customer,
  featuresAsOf: '2026-12-01',
  featureNames: ['a'],
  features: Float32Array.of(1),
  output: Float32Array.of(0.5),
});

async function readAll(folder: string, torn: string[] = []) {
  const ids: unknown[] = [];
  for await (const r of readLogRecords(folder, (file, line) => torn.push(`${file}:${line}`)))
    ids.push(r.customer_id);
  return ids;
}

describe('a JSON lines log after a failed write (a full disk)', () => {
  it('keeps every whole record readable: the writer cuts the torn record and starts a new file', async () => {
    const folder = join(dir, 'enospc');
    const sink = new JsonLinesSink({ dir: folder, rotateBytes: 2 ** 20, keepFiles: 5 });
    await sink.write([record('C1'), record('C2')]);
    // The next write gets half way, as a full disk lets it, then fails.
    const file = (sink as unknown as { file: { handle: FileHandle } }).file;
    const write = file.handle.write.bind(file.handle);
    (file.handle as { write: unknown }).write = async (text: string) => {
      await write(text.slice(0, 25));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    await expect(sink.write([record('C3')])).rejects.toThrow(/ENOSPC/);
    await sink.write([record('C4')]);
    await sink.close();
    const torn: string[] = [];
    expect(await readAll(folder, torn)).toEqual(['C1', 'C2', 'C4']);
    expect(torn).toEqual([]);
    expect(readdirSync(folder)).toHaveLength(2);
  });

  it('skips a torn last line the writer could not cut (a crash), and reports it', async () => {
    const folder = join(dir, 'crash');
    const sink = new JsonLinesSink({ dir: folder, rotateBytes: 2 ** 20, keepFiles: 5 });
    await sink.write([record('C1')]);
    await sink.close();
    const [name] = readdirSync(folder);
    appendFileSync(join(folder, name!), '{"time":"2026-12-05T00:00:0');
    const torn: string[] = [];
    expect(await readAll(folder, torn)).toEqual(['C1']);
    expect(torn).toEqual([`${join(folder, name!)}:2`]);
  });

  it('still fails on a line that is not JSON in the middle of a file, naming it', async () => {
    const folder = join(dir, 'corrupt');
    const sink = new JsonLinesSink({ dir: folder, rotateBytes: 2 ** 20, keepFiles: 5 });
    await sink.write([record('C1')]);
    await sink.close();
    const [name] = readdirSync(folder);
    writeFileSync(join(folder, name!), `not json\n${JSON.stringify({ customer_id: 'C2' })}\n`);
    await expect(readAll(folder)).rejects.toThrow(/:1: not a JSON line/);
  });
});
