/** The rows of one answered batch that the log keeps, as sent to the writer thread. */
export interface LoggedBatch {
  kind: 'batch';
  requestId: string;
  caller: string | null;
  time: number;
  model: string;
  version: string;
  featureNames: readonly string[];
  /** rows x featureNames.length, transferred. */
  features: Float32Array;
  /** rows x outputWidth, transferred. */
  outputs: Float32Array;
  outputWidth: number;
  customerIds: (string | null)[];
  featuresAsOf: (string | null)[];
}

export type ToWriter = LoggedBatch | { kind: 'close' };

export type FromWriter =
  | { kind: 'written'; rows: number }
  | { kind: 'failed'; rows: number; message: string }
  | { kind: 'closed' };
