import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BatchingOptions, BatchScheduler } from '../inference/batch-scheduler.js';
import type { LoadResult, WorkerModel } from '../inference/protocol.js';
import type { MakeTask } from '../inference/worker-pool.js';
import type { BatchObserver } from '../telemetry/observers.js';
import { validateModel } from './model-validation.js';
import type { Candidate } from './repository-scan.js';
import type { ServedModel } from './served-model.js';
import { storeInputs } from './store-inputs.js';

/**
 * Where model versions run: every worker holds each loaded version (WorkerPool). A fake host makes
 * the registry testable without worker threads or dist/.
 */
export interface ModelHost {
  /** Runs a task on every worker at once (load, unload). */
  broadcast(make: MakeTask): Promise<LoadResult[]>;
  infer(model: WorkerModel, rows: number, data: Float32Array): Promise<Float32Array>;
  /** Fresh workers, warmed by `warm` through the broadcast it is given, in place of the current ones. */
  recycle(warm: (broadcast: (make: MakeTask) => Promise<LoadResult[]>) => Promise<void>): Promise<void>;
  /** Called when a worker that failed was replaced: the new one must load every version. */
  onReplacement(warm: () => Promise<unknown>): void;
}

export interface BatchingOverrides {
  maxBatchSize?: number;
  maxQueueDelayUs?: number;
  maxQueueSize?: number;
}

/** Batch sizes a worker keeps an interpreter for: 1, 4, 16, ... up to the model's largest batch. */
export function batchBuckets(maxBatchSize: number): number[] {
  const buckets: number[] = [];
  for (let b = 1; b < maxBatchSize; b *= 4) buckets.push(b);
  buckets.push(maxBatchSize);
  return buckets;
}

/**
 * A version's lifecycle on the host: load (validate the folder, load into every worker, warm up,
 * give it a batch scheduler) and unload (once the calls batched on it are done). Knows nothing of
 * which versions should be loaded: that is the registry's policy.
 */
export class VersionLifecycle {
  constructor(
    private readonly host: ModelHost,
    private readonly options: { overrides: BatchingOverrides; observer?: BatchObserver },
    /** What each worker holds after a load or unload, from the broadcast's answers. */
    private readonly onHeld: (results: readonly LoadResult[]) => void,
  ) {}

  /** Loads a version folder into every worker; throws (ModelRejected or another error) with why not. */
  async load(c: Candidate): Promise<ServedModel> {
    const bytes = readFileSync(join(c.dir, 'model.tflite'));
    const manifestJson = JSON.parse(readFileSync(join(c.dir, 'manifest.json'), 'utf8')) as unknown;
    const { manifest, outputs } = validateModel({ name: c.name, version: c.version }, manifestJson, bytes);
    const { overrides } = this.options;
    const batching: BatchingOptions = {
      maxBatchSize: overrides.maxBatchSize ?? manifest.batching.maxBatchSize,
      maxQueueDelayUs: overrides.maxQueueDelayUs ?? manifest.batching.maxQueueDelayUs,
      maxQueueSize: overrides.maxQueueSize ?? manifest.batching.maxQueueSize,
    };
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const worker: WorkerModel = {
      key: `${c.name}@${c.version}#${hash}`,
      bytes: shared,
      inputs: manifest.inputs.length,
      outputs,
      buckets: batchBuckets(batching.maxBatchSize),
    };
    this.onHeld(await this.host.broadcast((barrier) => ({ kind: 'load', model: worker, barrier })));
    return {
      name: c.name,
      version: c.version,
      manifest,
      inputs: manifest.inputs.length,
      outputs,
      ...storeInputs(manifest.inputs),
      batching,
      worker,
      scheduler: new BatchScheduler(
        { name: c.name, version: c.version },
        batching,
        manifest.inputs.length,
        outputs,
        (rows, data) => this.host.infer(worker, rows, data),
        this.options.observer,
      ),
    };
  }

  /** Takes a version out of every worker once the calls already batched on it are done. */
  async unload(model: ServedModel): Promise<void> {
    await model.scheduler.drained();
    this.onHeld(await this.host.broadcast((barrier) => ({ kind: 'unload', key: model.worker.key, barrier })));
  }

  /** Loads a version into every worker again (one that replaced a failed worker lacks it). */
  async reload(model: ServedModel): Promise<void> {
    this.onHeld(await this.host.broadcast((barrier) => ({ kind: 'load', model: model.worker, barrier })));
  }

  /** Fresh workers holding `models`, in place of the current ones (their freed memory returned). */
  async recycle(models: readonly ServedModel[]): Promise<void> {
    await this.host.recycle(async (broadcast) => {
      for (const model of models)
        this.onHeld(await broadcast((barrier) => ({ kind: 'load', model: model.worker, barrier })));
    });
  }
}
