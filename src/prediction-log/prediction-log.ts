import { callScopeOf } from '../server/call-scope.js';

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
  /** The model's inputs as served, by name. */
  featureNames: readonly string[];
  features: Float32Array;
  output: Float32Array;
}

/** Where records go: a table of the feature store's database, or JSON lines files. */
export interface PredictionSink {
  write(records: readonly PredictionRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface PredictionLogOptions {
  /** Share of rows recorded, 0 to 1. */
  sampleRate: number;
  /** Most records waiting for the sink; more are dropped (counted), never waited for. */
  maxQueued: number;
  /** Records per sink write. */
  batchSize?: number;
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
  queued: number;
}

/**
 * The prediction log: every served row (or a sampled share) with its features as served and its
 * output, queued for a sink written in the background. `offer` copies the rows and returns: it
 * never waits for the sink; a full queue drops records and counts them. Closing writes what is
 * queued.
 */
export class PredictionLog {
  private queue: PredictionRecord[] = [];
  private writing: Promise<void> | undefined;
  readonly stats: PredictionLogStats = {
    written: 0,
    notSampled: 0,
    droppedQueueFull: 0,
    droppedSinkError: 0,
    queued: 0,
  };
  private readonly random: () => number;

  constructor(
    private readonly sink: PredictionSink,
    private readonly options: PredictionLogOptions,
    private readonly onSinkError: (err: Error) => void = () => {},
  ) {
    this.random = options.random ?? Math.random;
  }

  /**
   * Rows of one batch answered by `model`: `inputs` rows x inputs wide, `outputs` rows x outputs
   * wide, `ids` the customer of each row (undefined for raw rows).
   */
  offer(
    signal: AbortSignal,
    model: LoggedModel,
    rows: number,
    inputs: Float32Array,
    outputs: Float32Array,
    ids?: readonly (string | undefined)[],
  ): void {
    const width = model.manifest.inputs.length;
    const scope = callScopeOf(signal);
    const time = Date.now();
    for (let r = 0; r < rows; r++) {
      if (this.options.sampleRate < 1 && this.random() >= this.options.sampleRate) {
        this.stats.notSampled++;
        continue;
      }
      if (this.queue.length >= this.options.maxQueued) {
        this.stats.droppedQueueFull++;
        continue;
      }
      this.queue.push({
        requestId: scope?.requestId ?? 'none',
        time,
        caller: scope?.caller ?? null,
        model: model.name,
        version: model.version,
        customerId: ids?.[r] ?? null,
        featureNames: model.manifest.inputs,
        features: inputs.slice(r * width, (r + 1) * width),
        output: outputs.slice(r * model.outputs, (r + 1) * model.outputs),
      });
    }
    this.stats.queued = this.queue.length;
    if (this.queue.length > 0 && !this.writing) this.writing = this.drain();
  }

  /** Writes batches until the queue is empty; a failed write drops its batch (counted). */
  private async drain(): Promise<void> {
    // After the current call's answer: the sink's work never runs inside a request.
    await new Promise((resolve) => setImmediate(resolve));
    const size = this.options.batchSize ?? 500;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, size);
      this.stats.queued = this.queue.length;
      try {
        await this.sink.write(batch);
        this.stats.written += batch.length;
      } catch (err) {
        this.stats.droppedSinkError += batch.length;
        this.onSinkError(err as Error);
      }
    }
    this.writing = undefined;
  }

  /** Writes what is queued (waiting at most `timeoutMs` for the sink), then closes it. */
  async close(timeoutMs = 5_000): Promise<void> {
    const pending = this.writing ?? Promise.resolve();
    const timedOut = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([pending, timedOut]);
    await this.sink.close();
  }
}
