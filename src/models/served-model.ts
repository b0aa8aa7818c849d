import type { InputName } from '../features/input-names.js';
import type { BatchingOptions, BatchScheduler } from '../inference/batch-scheduler.js';
import type { WorkerModel } from '../inference/protocol.js';
import type { ModelManifest } from './manifest.js';

/** One loaded model version, as the request path uses it. */
export interface ServedModel {
  name: string;
  version: string;
  manifest: ModelManifest;
  inputs: number;
  outputs: number;
  /** Index in FEATURE_NAMES of each input, or undefined when an input is not a store feature. */
  featureIndex: number[] | undefined;
  /**
   * Each input as a feature of a view, when every input is one and at least one is a declared
   * view's (not the built-in view's); undefined otherwise.
   */
  viewInputs: InputName[] | undefined;
  batching: BatchingOptions;
  scheduler: BatchScheduler;
  worker: WorkerModel;
}

/** A model name as served: its serving version, every loaded version, its canary and shadow. */
export interface ModelListing {
  name: string;
  serving: ServedModel;
  versions: string[];
  /** The canary in force: its version and share of customers. */
  canary: { version: string; percent: number } | undefined;
  /** The shadow version in force. */
  shadow: string | undefined;
}
