import { type Context, context, type Span, SpanStatusCode } from '@opentelemetry/api';
import { Errors, LoyaltyError } from '../errors.js';
import { type BatchObserver, NO_BATCH_OBSERVER } from '../telemetry/observers.js';
import { tracer } from '../telemetry/tracer.js';

/** Dynamic batching settings of one model (manifest defaults, environment overrides). */
export interface BatchingOptions {
  /** Most rows in one inference. */
  maxBatchSize: number;
  /** Longest the first waiting row waits for others before its batch goes anyway. */
  maxQueueDelayUs: number;
  /** Most rows waiting; more are refused with RESOURCE_EXHAUSTED. */
  maxQueueSize: number;
}

export interface SchedulerStats {
  /** Requests dropped before inference because their deadline passed or the caller left. */
  droppedBeforeInference: number;
  /** Requests refused because the queue was full. */
  rejectedQueueFull: number;
}

interface Pending {
  rows: number;
  data: Float32Array;
  signal: AbortSignal | undefined;
  enqueuedAt: number;
  /** The caller's trace context, for its queue and inference spans. */
  context: Context;
  resolve: (out: Float32Array) => void;
  reject: (err: unknown) => void;
}

export type RunBatch = (rows: number, data: Float32Array) => Promise<Float32Array>;

/**
 * Dynamic batching for one model version, as Triton and TensorFlow Serving do it: rows from
 * concurrent requests are gathered until the batch is full or the oldest has waited the queue
 * delay, then run as one inference. A request larger than a batch is split. A request whose
 * caller is gone (deadline passed, call cancelled) is dropped when its batch forms, before any
 * worker sees it, and never holds up the others.
 */
export class BatchScheduler {
  readonly stats: SchedulerStats = { droppedBeforeInference: 0, rejectedQueueFull: 0 };
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = 0;

  private readonly name: string;

  constructor(
    private readonly model: { name: string; version: string },
    private readonly options: BatchingOptions,
    private readonly inputs: number,
    private readonly outputs: number,
    private readonly runBatch: RunBatch,
    private readonly observer: BatchObserver = NO_BATCH_OBSERVER,
  ) {
    this.name = `${model.name}@${model.version}`;
  }

  get depth(): number {
    return this.queuedRows;
  }

  /** Resolves once nothing is queued or running (a version leaving service finishes its calls). */
  async drained(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.running > 0) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Outputs (rows x outputs) for rows x inputs values. */
  submit(rows: number, data: Float32Array, signal?: AbortSignal): Promise<Float32Array> {
    if (signal?.aborted) {
      this.stats.droppedBeforeInference++;
      this.observer.onDropped(this.model.name, this.model.version, 1);
      return Promise.reject(signal.reason);
    }
    if (this.queuedRows + rows > this.options.maxQueueSize) {
      this.stats.rejectedQueueFull++;
      return Promise.reject(Errors.queueFull(this.name, this.options.maxQueueSize));
    }
    const max = this.options.maxBatchSize;
    if (rows <= max) return this.enqueue(rows, data, signal);
    // Larger than a batch: split, and reassemble in order.
    const parts: Promise<Float32Array>[] = [];
    for (let start = 0; start < rows; start += max) {
      const n = Math.min(max, rows - start);
      parts.push(this.enqueue(n, data.subarray(start * this.inputs, (start + n) * this.inputs), signal));
    }
    return Promise.all(parts).then((outs) => {
      const out = new Float32Array(rows * this.outputs);
      let offset = 0;
      for (const o of outs) {
        out.set(o, offset);
        offset += o.length;
      }
      return out;
    });
  }

  private enqueue(rows: number, data: Float32Array, signal: AbortSignal | undefined): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        rows,
        data,
        signal,
        enqueuedAt: performance.now(),
        context: context.active(),
        resolve,
        reject,
      });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxBatchSize) this.flush(false);
      else this.arm();
    });
  }

  /** Sends full batches, and with `all` (the oldest waited the queue delay) the rest too. */
  private flush(all: boolean): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let rows = 0;
      while (this.queue.length > 0 && rows + this.queue[0]!.rows <= this.options.maxBatchSize) {
        const p = this.queue.shift()!;
        this.queuedRows -= p.rows;
        if (p.signal?.aborted) {
          this.stats.droppedBeforeInference++;
          this.observer.onDropped(this.model.name, this.model.version, 1);
          p.reject(p.signal.reason instanceof LoyaltyError ? p.signal.reason : Errors.cancelled());
          continue;
        }
        batch.push(p);
        rows += p.rows;
      }
      if (batch.length > 0) this.run(batch, rows);
      if (!all && this.queuedRows < this.options.maxBatchSize) break;
    }
    if (this.queue.length > 0) this.arm();
  }

  /**
   * Starts the queue-delay clock. Node timers have millisecond resolution (a 0.5 ms timeout
   * fires after 1 ms or more), so a delay under 1 ms waits one event-loop turn instead: the rows
   * that arrive together (gRPC reads many frames per turn under load) form one batch, and a lone
   * call is not held back.
   */
  private arm(): void {
    if (this.timer || this.immediate) return;
    if (this.options.maxQueueDelayUs < 1000) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.flush(true);
      });
    } else {
      this.timer = setTimeout(() => this.flush(true), this.options.maxQueueDelayUs / 1000);
    }
  }

  private run(batch: Pending[], rows: number): void {
    const now = performance.now();
    const data = new Float32Array(rows * this.inputs);
    const waits: number[] = [];
    const attributes = {
      'loyalty.model': this.model.name,
      'loyalty.model.version': this.model.version,
      'loyalty.batch.size': rows,
    };
    const spans: Span[] = [];
    let offset = 0;
    for (const p of batch) {
      data.set(p.data, offset);
      offset += p.data.length;
      waits.push((now - p.enqueuedAt) / 1000);
      // Queue wait and inference, as spans of each caller's own trace.
      const enqueued = performance.timeOrigin + p.enqueuedAt;
      tracer
        .startSpan('inference.queue', { startTime: enqueued, attributes }, p.context)
        .end(performance.timeOrigin + now);
      spans.push(tracer.startSpan('inference.run', { attributes }, p.context));
    }
    const started = performance.now();
    this.running++;
    this.runBatch(rows, data)
      .finally(() => {
        this.running--;
      })
      .then(
        (out) => {
          this.observer.onBatch(
            this.model.name,
            this.model.version,
            rows,
            waits,
            (performance.now() - started) / 1000,
          );
          this.observer.onOutputs(this.model.name, this.model.version, out, this.outputs);
          let at = 0;
          for (const [i, p] of batch.entries()) {
            spans[i]!.end();
            p.resolve(out.subarray(at, at + p.rows * this.outputs));
            at += p.rows * this.outputs;
          }
        },
        (err: unknown) => {
          for (const [i, p] of batch.entries()) {
            spans[i]!.setStatus({
              code: SpanStatusCode.ERROR,
              message: err instanceof Error ? err.message : String(err),
            }).end();
            p.reject(err);
          }
        },
      );
  }
}
