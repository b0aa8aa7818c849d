import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { move } from 'piscina';
import { withBatchSize } from '../tflite/model-reader.js';
import type { Barrier, LoadResult, WorkerModel, WorkerTask } from './protocol.js';
import { loadTfliteModel, type TfliteModelRunner } from './tflite-runtime.js';

/**
 * An inference worker (a piscina worker thread). It holds one TFLite interpreter per model
 * version and batch bucket, loaded on first use or ahead of time by a 'load' task, and runs
 * batches on them synchronously: the interpreter never yields, so a worker runs one task at a
 * time.
 */
interface Interpreter {
  runner: TfliteModelRunner;
  /**
   * Views into the wasm heap, taken anew for every run: loading a larger model grows the heap,
   * which detaches every view taken before (a cached input view then failed every inference of
   * the models loaded earlier).
   */
  input: () => Float32Array;
  output: () => Float32Array;
}

interface LoadedModel {
  buckets: Map<number, Interpreter>;
  sizes: number[];
}

const models = new Map<string, LoadedModel>();
const loading = new Map<string, Promise<LoadedModel>>();

async function load(model: WorkerModel): Promise<LoadedModel> {
  const loaded = models.get(model.key);
  if (loaded) return loaded;
  let pending = loading.get(model.key);
  if (!pending) {
    pending = (async () => {
      const bytes = new Uint8Array(model.bytes);
      const buckets = new Map<number, Interpreter>();
      for (const size of model.buckets) {
        const { modelRunner: runner } = await loadTfliteModel(withBatchSize(bytes, size));
        const inputInfo = runner.getInputs()[0]!;
        const outputInfo = runner.getOutputs()[0]!;
        const inputLength = inputInfo.data().length;
        if (inputLength !== size * model.inputs) {
          throw new Error(
            `model ${model.key} takes ${inputLength / size} inputs per row, not ${model.inputs}`,
          );
        }
        // Warm-up: the first invoke allocates; do it now, not on a caller's time.
        if (!runner.infer()) throw new Error(`model ${model.key} failed its warm-up run`);
        if (outputInfo.data().length !== size * model.outputs) {
          throw new Error(
            `model ${model.key} gives ${outputInfo.data().length / size} outputs per row, not ${model.outputs}`,
          );
        }
        buckets.set(size, { runner, input: () => inputInfo.data(), output: () => outputInfo.data() });
      }
      const entry = { buckets, sizes: [...model.buckets].sort((a, b) => a - b) };
      models.set(model.key, entry);
      return entry;
    })().finally(() => loading.delete(model.key));
    loading.set(model.key, pending);
  }
  return pending;
}

function infer(model: LoadedModel, spec: WorkerModel, rows: number, data: Float32Array): Float32Array {
  const out = new Float32Array(rows * spec.outputs);
  const largest = model.sizes[model.sizes.length - 1]!;
  for (let start = 0; start < rows; start += largest) {
    const n = Math.min(largest, rows - start);
    const size = model.sizes.find((s) => s >= n)!;
    const interpreter = model.buckets.get(size)!;
    interpreter.input().set(data.subarray(start * spec.inputs, (start + n) * spec.inputs));
    if (!interpreter.runner.infer()) throw new Error(`model ${spec.key}: inference failed`);
    // The output is a view into the wasm heap: copy out only the rows asked for.
    out.set(interpreter.output().subarray(0, n * spec.outputs), start * spec.outputs);
  }
  return out;
}

let fullCollection: (() => void) | undefined;

/**
 * A full garbage collection of this thread. After an unload the interpreters' JS side is garbage
 * that V8 collects only when this heap grows; measured, every load-unload cycle of a version then
 * added 0.45 MB of RSS that stayed, and collecting at each unload (a rare event) keeps RSS flat.
 */
function collectGarbage(): void {
  if (!fullCollection) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  fullCollection();
}

function awaitBarrier(barrier: Barrier | undefined): void {
  if (!barrier) return;
  const counter = new Int32Array(barrier.counter);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  const deadline = Date.now() + 10_000;
  for (let seen = Atomics.load(counter, 0); seen < barrier.parties; seen = Atomics.load(counter, 0)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`barrier: ${seen} of ${barrier.parties} workers arrived within 10 s`);
    Atomics.wait(counter, 0, seen, left);
  }
}

export default async function run(task: WorkerTask): Promise<unknown> {
  switch (task.kind) {
    case 'infer': {
      const model = models.get(task.model.key) ?? (await load(task.model));
      // Transferred back, not copied.
      return move(infer(model, task.model, task.rows, new Float32Array(task.data)));
    }
    case 'load': {
      awaitBarrier(task.barrier);
      const started = performance.now();
      await load(task.model);
      return { threadId, loadMs: performance.now() - started, loaded: models.size } satisfies LoadResult;
    }
    case 'unload': {
      awaitBarrier(task.barrier);
      // Frees the interpreters; the wasm heap keeps its size and reuses the space for the next load.
      for (const interpreter of models.get(task.key)?.buckets.values() ?? []) interpreter.runner.cleanUp();
      models.delete(task.key);
      collectGarbage();
      return { threadId, loadMs: 0, loaded: models.size } satisfies LoadResult;
    }
  }
}
