import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { callScopeOf } from '../serving/call-scope.js';
import type { SinkSpec } from './sink-spec.js';
import type { FromWriter, LoggedBatch, ToWriter } from './writer-messages.js';

/** One served prediction, as written to a sink. */
export interface PredictionRecord {
  requestId: string;
  /** Epoch milliseconds. */
  time: number;
  caller: string | null;
  model: string;
  version: string;
  /** Null for raw rows (Predict, the Open Inference Protocol). */
  customerId: string | null;
  /** The day the store's features describe (YYYY-MM-DD); null for raw rows. */
  featuresAsOf: string | null;
  /** The model's inputs as served, by name. */
  featureNames: readonly string[];
  features: Float32Array;
  output: Float32Array;
}

/** The store customer a logged row was served for. */
export interface LoggedSubject {
  customerId: string;
  /** YYYY-MM-DD: the as-of day of the customer's features. */
  asOf: string;
}

/** Where records go: a table of the feature store's database, or JSON lines files. */
export interface PredictionSink {
  write(records: readonly PredictionRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface PredictionLogOptions {
  /** Share of rows recorded, 0 to 1. */
  sampleRate: number;
  /** Most rows sent to the writer and not yet written; more are dropped (counted), never waited for. */
  maxQueued: number;
  random?: () => number;
}

/** What a version tells the log about itself. */
export interface LoggedModel {
  name: string;
  version: string;
  manifest: { inputs: readonly string[] };
  outputs: number;
}

export interface PredictionLogStats {
  written: number;
  /** Rows left out by sampling. */
  notSampled: number;
  droppedQueueFull: number;
  droppedSinkError: number;
  /** Rows handed to the writer thread and not yet written. */
  queued: number;
}

/**
 * The compiled writer, from src/ or dist/ alike: threads always run the built JavaScript
 * (`make build`, which `make test` runs first), as the inference workers do.
 */
const WRITER_FILE = fileURLToPath(new URL('../../dist/prediction-log/log-writer.js', import.meta.url));

/**
 * The prediction log: every served row (or a sampled share) with its features as served and its
 * output. `offer` copies the kept rows of a batch and posts them to a writer thread, which
 * serializes and writes them (sink-spec.ts): the server's main thread never formats a record or
 * waits for a sink. Rows beyond `maxQueued` not yet written are dropped and counted; a write that
 * fails counts its rows as dropped. Closing lets the writer finish (bounded in time).
 */
export class PredictionLog {
  readonly stats: PredictionLogStats = {
    written: 0,
    notSampled: 0,
    droppedQueueFull: 0,
    droppedSinkError: 0,
    queued: 0,
  };
  private readonly random: () => number;
  private readonly writer: Worker;
  private broken = false;
  private readonly closed: Promise<void>;

  constructor(
    spec: SinkSpec,
    private readonly options: PredictionLogOptions,
    private readonly onSinkError: (err: Error) => void = () => {},
  ) {
    this.random = options.random ?? Math.random;
    this.writer = new Worker(WRITER_FILE, { workerData: spec });
    // The writer never keeps the process alive: close() or the process's exit ends it.
    this.writer.unref();
    this.closed = new Promise((resolve) => {
      this.writer.on('message', (m: FromWriter) => {
        if (m.kind === 'closed') return resolve();
        this.stats.queued -= m.rows;
        if (m.kind === 'written') this.stats.written += m.rows;
        else {
          this.stats.droppedSinkError += m.rows;
          this.onSinkError(new Error(m.message));
        }
      });
      this.writer.on('error', (err) => {
        this.broken = true;
        this.stats.droppedSinkError += this.stats.queued;
        this.stats.queued = 0;
        this.onSinkError(err);
        resolve();
      });
      this.writer.on('exit', () => resolve());
    });
  }

  /**
   * Rows of one batch answered by `model`: `inputs` rows x inputs wide, `outputs` rows x outputs
   * wide, `subjects` the customer of each row and the day its features describe (undefined for
   * raw rows).
   */
  offer(
    signal: AbortSignal,
    model: LoggedModel,
    rows: number,
    inputs: Float32Array,
    outputs: Float32Array,
    subjects?: readonly (LoggedSubject | undefined)[],
  ): void {
    let kept: number[] | undefined;
    if (this.options.sampleRate < 1) {
      kept = [];
      for (let r = 0; r < rows; r++) if (this.random() < this.options.sampleRate) kept.push(r);
      this.stats.notSampled += rows - kept.length;
    }
    const wanted = kept ? kept.length : rows;
    const room = this.broken ? 0 : Math.max(0, this.options.maxQueued - this.stats.queued);
    const count = Math.min(wanted, room);
    if (this.broken) this.stats.droppedSinkError += wanted;
    else this.stats.droppedQueueFull += wanted - count;
    if (count === 0) return;
    const width = model.manifest.inputs.length;
    const features = new Float32Array(count * width);
    const out = new Float32Array(count * model.outputs);
    const customerIds: (string | null)[] = new Array(count);
    const featuresAsOf: (string | null)[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const r = kept ? kept[i]! : i;
      features.set(inputs.subarray(r * width, (r + 1) * width), i * width);
      out.set(outputs.subarray(r * model.outputs, (r + 1) * model.outputs), i * model.outputs);
      customerIds[i] = subjects?.[r]?.customerId ?? null;
      featuresAsOf[i] = subjects?.[r]?.asOf ?? null;
    }
    const scope = callScopeOf(signal);
    const batch: LoggedBatch = {
      kind: 'batch',
      requestId: scope?.requestId ?? 'none',
      caller: scope?.caller ?? null,
      time: Date.now(),
      model: model.name,
      version: model.version,
      featureNames: model.manifest.inputs,
      features,
      outputs: out,
      outputWidth: model.outputs,
      customerIds,
      featuresAsOf,
    };
    this.stats.queued += count;
    this.writer.postMessage(batch, [features.buffer, out.buffer]);
  }

  /** Lets the writer write what it holds (at most `timeoutMs`), then ends it. */
  async close(timeoutMs = 5_000): Promise<void> {
    if (!this.broken) this.writer.postMessage({ kind: 'close' } satisfies ToWriter);
    const timedOut = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([this.closed, timedOut]);
    await this.writer.terminate();
  }
}
