import { parentPort, workerData } from 'node:worker_threads';
import type { PredictionRecord } from './prediction-log.js';
import { openSink, type SinkSpec } from './sink-spec.js';
import type { FromWriter, LoggedBatch, ToWriter } from './writer-messages.js';

/**
 * The prediction log's writer thread: turns batches into records, serializes and writes them,
 * so that none of that runs on the server's main thread. Batches that arrive during a write are
 * written together by the next one.
 */
const port = parentPort!;
const sink = openSink(workerData as SinkSpec);
let pending: LoggedBatch[] = [];
let writing = false;
let closing = false;

const post = (m: FromWriter) => port.postMessage(m);

function records(batch: LoggedBatch): PredictionRecord[] {
  const width = batch.featureNames.length;
  return batch.customerIds.map((customerId, r) => ({
    requestId: batch.requestId,
    time: batch.time,
    caller: batch.caller,
    model: batch.model,
    version: batch.version,
    customerId,
    featuresAsOf: batch.featuresAsOf[r] ?? null,
    featureNames: batch.featureNames,
    features: batch.features.subarray(r * width, (r + 1) * width),
    output: batch.outputs.subarray(r * batch.outputWidth, (r + 1) * batch.outputWidth),
  }));
}

async function drain(): Promise<void> {
  writing = true;
  while (pending.length > 0) {
    const batches = pending;
    pending = [];
    const all = batches.flatMap(records);
    try {
      await sink.write(all);
      post({ kind: 'written', rows: all.length });
    } catch (err) {
      post({ kind: 'failed', rows: all.length, message: (err as Error).message });
    }
  }
  writing = false;
  if (closing) await close();
}

async function close(): Promise<void> {
  await sink.close().catch(() => {});
  post({ kind: 'closed' });
}

port.on('message', (m: ToWriter) => {
  if (m.kind === 'close') {
    closing = true;
    if (!writing) void close();
    return;
  }
  pending.push(m);
  if (!writing) void drain();
});
