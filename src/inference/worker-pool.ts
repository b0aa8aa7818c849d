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
  tasks: number;
  rows: number;
  /** Tasks that failed because their worker died or was stopped for hanging. */
  workerFailures: number;
  retries: number;
}

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
  readonly stats: PoolStats = { tasks: 0, rows: 0, workerFailures: 0, retries: 0 };
  private readonly pool: Piscina;
  private running = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: run make build`);
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: Number.POSITIVE_INFINITY,
      concurrentTasksPerWorker: 1,
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
      this.running++;
      try {
        this.stats.tasks++;
        const out = (await this.pool.run(
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
        const timedOut = err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
        if (timedOut) throw Errors.inferenceTimeout(this.options.taskTimeoutMs, err);
        if (attempt >= 1) throw Errors.inferenceFailed(err);
        this.stats.retries++;
      } finally {
        this.running--;
      }
    }
  }

  /** Runs one task on every worker at once (a barrier makes the tasks land on distinct workers). */
  async broadcast(
    make: (barrier: { counter: SharedArrayBuffer; parties: number }) => WorkerTask,
  ): Promise<LoadResult[]> {
    const barrier = { counter: new SharedArrayBuffer(4), parties: this.options.workers };
    return Promise.all(
      Array.from({ length: this.options.workers }, () => this.pool.run(make(barrier)) as Promise<LoadResult>),
    );
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
