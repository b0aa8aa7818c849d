import { readFileSync } from 'node:fs';
import { FEATURE_NAMES, type FeatureRow } from '../../src/features/feature-set.js';
import { BatchScheduler, type RunBatch } from '../../src/inference/batch-scheduler.js';
import type { LoadResult, WorkerModel } from '../../src/inference/protocol.js';
import type { MakeTask } from '../../src/inference/worker-pool.js';
import { type ModelManifest, parseManifest } from '../../src/models/manifest.js';
import type { ServedModel } from '../../src/models/served-model.js';
import { storeInputs } from '../../src/models/store-inputs.js';
import type { ModelHost } from '../../src/models/version-lifecycle.js';

/**
 * Seams for tests without worker threads or dist/ (as TF Serving's fake loader): served versions
 * whose batch scheduler runs a plain function, and a model host that records what it was asked.
 */

export const MODELS_DIR = new URL('../../models/', import.meta.url).pathname;

/** A committed model's manifest, parsed as the registry would. */
export function committedManifest(name: string): ModelManifest {
  return parseManifest(JSON.parse(readFileSync(`${MODELS_DIR}${name}/1/manifest.json`, 'utf8')));
}

/** Each output of a row: the mean of its inputs over 100 plus the output's index over 100. */
export const meanOfInputs =
  (inputs: number, outputs: number): RunBatch =>
  async (rows, data) => {
    const out = new Float32Array(rows * outputs);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let j = 0; j < inputs; j++) sum += data[r * inputs + j]!;
      for (let k = 0; k < outputs; k++) out[r * outputs + k] = sum / inputs / 100 + k / 100;
    }
    return out;
  };

/** A served version whose batches run `run` on the main thread. */
export function fakeServedModel(
  manifest: ModelManifest,
  version = '1',
  run?: RunBatch,
  name = manifest.name,
): ServedModel {
  const inputs = manifest.inputs.length;
  const outputs =
    manifest.output.kind === 'binary_probability' || manifest.output.kind === 'regression'
      ? 1
      : manifest.output.labels.length;
  const batching = { maxBatchSize: 64, maxQueueDelayUs: 0, maxQueueSize: 10_000 };
  return {
    name,
    version,
    manifest: { ...manifest, name, version },
    inputs,
    outputs,
    ...storeInputs(manifest.inputs),
    batching,
    scheduler: new BatchScheduler(
      { name, version },
      batching,
      inputs,
      outputs,
      run ?? meanOfInputs(inputs, outputs),
    ),
    worker: { key: `${name}@${version}`, bytes: new SharedArrayBuffer(0), inputs, outputs, buckets: [1] },
  };
}

/** A store row whose features are i + 1 for feature i, scaled by `scale`. */
export function fakeRow(customerId: string, scale = 1, recentItems: string[] = []): FeatureRow {
  return {
    customerId,
    asOf: '2026-11-30',
    tier: 'gold',
    features: Float64Array.from(FEATURE_NAMES, (_, i) => (i + 1) * scale),
    rfm: { recencyDays: 10, frequency: 3, monetaryCents: 12_345 },
    scores: { r: 4, f: 3, m: 3, segment: 'POTENTIAL_LOYALIST' },
    recentItems,
  };
}

/** A model host that loads and unloads nothing but records it, on one pretend worker. */
export class FakeHost implements ModelHost {
  readonly held = new Set<string>();
  readonly tasks: string[] = [];
  recycles = 0;
  private replacement: (() => Promise<unknown>) | undefined;

  async broadcast(make: MakeTask): Promise<LoadResult[]> {
    const task = make({ counter: new SharedArrayBuffer(4), parties: 1 });
    if (task.kind === 'load') {
      this.held.add(task.model.key);
      this.tasks.push(`load ${task.model.key}`);
    } else if (task.kind === 'unload') {
      this.held.delete(task.key);
      this.tasks.push(`unload ${task.key}`);
    }
    return [{ threadId: 1, loadMs: 0, loaded: this.held.size }];
  }

  async infer(model: WorkerModel, rows: number, data: Float32Array): Promise<Float32Array> {
    return meanOfInputs(model.inputs, model.outputs)(rows, data);
  }

  async recycle(
    warm: (broadcast: (make: MakeTask) => Promise<LoadResult[]>) => Promise<void>,
  ): Promise<void> {
    this.held.clear();
    this.recycles++;
    await warm((make) => this.broadcast(make));
  }

  onReplacement(warm: () => Promise<unknown>): void {
    this.replacement = warm;
  }

  /** As if a worker failed and its replacement started. */
  replaceWorker(): Promise<unknown> {
    this.held.clear();
    return this.replacement?.() ?? Promise.resolve();
  }
}
