/**
 * What crosses between the main thread and the inference workers. Model bytes travel in a
 * SharedArrayBuffer (shared, never copied); rows and outputs as transferred ArrayBuffers.
 */
export interface WorkerModel {
  /** name@version#hash: a new file is a new key, so a worker never runs stale bytes. */
  key: string;
  bytes: SharedArrayBuffer;
  inputs: number;
  outputs: number;
  /** Batch sizes the worker keeps an interpreter for, ascending. */
  buckets: number[];
}

/** Makes each of `parties` concurrent tasks wait for the others, so they land on distinct workers. */
export interface Barrier {
  counter: SharedArrayBuffer;
  parties: number;
}

export type WorkerTask =
  | { kind: 'infer'; model: WorkerModel; rows: number; data: ArrayBuffer }
  | { kind: 'load'; model: WorkerModel; barrier?: Barrier }
  | { kind: 'unload'; key: string; barrier?: Barrier };

export interface LoadResult {
  threadId: number;
  loadMs: number;
  /** Model versions the worker holds after the task. */
  loaded: number;
}
