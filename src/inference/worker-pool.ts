import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Errors } from '../errors.js';
import type { LoadResult, WorkerModel, WorkerTask } from './protocol.js';

/**
 * The compiled worker, from src/inference or dist/inference alike: workers always run the built
 * JavaScript (`make build`), also under the test runner.
 */
const WORKER_FILE = fileURLToPath(new URL('../../dist/inference/worker.js', import.meta.url));

export interface PoolStats {
  /** Rows run by the workers. */
  rows: number;
  /** Tasks that failed because their worker died or was stopped for hanging. */
  workerFailures: number;
  /** Times every worker was replaced by a fresh thread (recycle). */
  recycles: number;
}

/** A task for each worker of a broadcast, given the barrier that spreads them over the workers. */
export type MakeTask = (barrier: { counter: SharedArrayBuffer; parties: number }) => WorkerTask;

export interface WorkerPoolOptions {
  workers: number;
  /** A task running longer than this is taken as a hung worker: it is stopped and replaced. */
  taskTimeoutMs: number;
}

/**
 * The one owner of the inference threads: a piscina pool of a fixed number of workers, one task
 * at a time each. Replaced workers load their models again on first use.
 */
export class WorkerPool {
  readonly stats: PoolStats = { rows: 0, workerFailures: 0, recycles: 0 };
  private pool: Piscina;
  /** Tasks handed to piscina, at most one per worker. */
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private warm: () => Promise<unknown> = async () => {};
  /** Set from a worker failure until its successor has loaded every model. */
  private replacing: Promise<void> | undefined;
  private replacementReady: (() => void) | undefined;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: run make build`);
    this.pool = this.createThreads();
  }

  private createThreads(): Piscina {
    const pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: this.options.workers,
      maxThreads: this.options.workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
    });
    pool.on('workerCreate', () => {
      const ready = this.replacementReady;
      if (!ready || pool !== this.pool) return;
      this.replacementReady = undefined;
      void this.warm().finally(() => {
        this.replacing = undefined;
        ready();
      });
    });
    return pool;
  }

  /**
   * `warm` loads every served model into a worker that replaces one that died or hung, before
   * inference tasks are handed out again: a new worker would otherwise load them inside its
   * first inference task, under the inference timeout, and with a short timeout (or a slow
   * start of the wasm runtime) each replacement timed out in turn and was replaced again.
   */
  onReplacement(warm: () => Promise<unknown>): void {
    this.warm = warm;
  }

  /** A worker failed: hold inference tasks until piscina's replacement has warmed up. */
  private expectReplacement(): void {
    if (this.replacing) return;
    this.replacing = new Promise<void>((resolve) => {
      this.replacementReady = resolve;
      // Never hold tasks for good, e.g. when the pool is closing and starts no successor.
      setTimeout(() => {
        this.replacementReady = undefined;
        this.replacing = undefined;
        resolve();
      }, 30_000).unref();
    });
  }

  get size(): number {
    return this.options.workers;
  }

  /** Workers alive now (a replaced worker is missing until piscina has started its successor). */
  get alive(): number {
    return this.pool.threads.length;
  }

  /** Workers running a task now. */
  get busy(): number {
    return Math.min(this.running, this.pool.threads.length);
  }

  /** Workers for tests and diagnostics (e.g. to terminate one). */
  /** Batches waiting for a free worker. */
  get queued(): number {
    return this.waiting.length;
  }

  get threads() {
    return this.pool.threads;
  }

  /**
   * Runs rows through a model; a task whose worker died is retried once on another worker, and
   * a second failure or a hang answers UNAVAILABLE.
   */
  async infer(model: WorkerModel, rows: number, data: Float32Array): Promise<Float32Array> {
    for (let attempt = 0; ; attempt++) {
      // The buffer is transferred away: send a copy and keep the rows for a retry.
      const payload = data.slice();
      if (this.replacing) await this.replacing;
      await this.acquire();
      const pool = this.pool;
      try {
        const out = (await pool.run(
          { kind: 'infer', model, rows, data: payload.buffer } satisfies WorkerTask,
          {
            transferList: [payload.buffer],
            signal: AbortSignal.timeout(this.options.taskTimeoutMs),
          },
        )) as Float32Array;
        this.stats.rows += rows;
        return out;
      } catch (err) {
        this.stats.workerFailures++;
        // A thread of a pool being recycled is not replaced: its pool is closing.
        if (pool === this.pool) this.expectReplacement();
        const timedOut = err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
        if (timedOut) throw Errors.inferenceTimeout(this.options.taskTimeoutMs, err);
        if (attempt >= 1) throw Errors.inferenceFailed(err);
      } finally {
        this.release();
      }
    }
  }

  /**
   * A task goes to piscina only when a worker is free, so that the inference timeout, which
   * starts when the task is handed over, measures the run and not time queued behind other
   * tasks (a queued task that timed out was counted as a hung worker, and the loads a new worker
   * runs first made every task queued behind them time out).
   */
  private acquire(): Promise<void> {
    if (this.running < this.options.workers) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Runs one task on every worker at once (a barrier makes the tasks land on distinct workers). */
  async broadcast(make: MakeTask): Promise<LoadResult[]> {
    const pool = this.pool;
    return Promise.all(
      this.tasksForAll(make).map(async (task) => {
        await this.acquire();
        try {
          return (await pool.run(task)) as LoadResult;
        } finally {
          this.release();
        }
      }),
    );
  }

  private tasksForAll(make: MakeTask): WorkerTask[] {
    const barrier = { counter: new SharedArrayBuffer(4), parties: this.options.workers };
    return Array.from({ length: this.options.workers }, () => make(barrier));
  }

  /**
   * Replaces every worker by a fresh thread, which gives the memory of unloaded models back to
   * the system: a WebAssembly heap never shrinks, only its thread's end frees it. The new threads
   * start beside the old ones and `warm` loads the served models into them (through the broadcast
   * it is given); then new tasks go to them while the old threads finish the tasks they hold and
   * stop. No call fails or waits for it; for the warm-up, the process holds both sets of threads.
   * If warming fails, the new threads are dropped and the old ones keep serving.
   */
  async recycle(
    warm: (broadcast: (make: MakeTask) => Promise<LoadResult[]>) => Promise<void>,
  ): Promise<void> {
    const fresh = this.createThreads();
    try {
      await warm((make) =>
        Promise.all(this.tasksForAll(make).map(async (task) => (await fresh.run(task)) as LoadResult)),
      );
    } catch (err) {
      await fresh.destroy();
      throw err;
    }
    const old = this.pool;
    this.pool = fresh;
    this.stats.recycles++;
    await old.close();
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
