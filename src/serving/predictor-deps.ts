import type { Explainer } from '../explain/explainer.js';
import type { FeatureSetState } from '../features/feature-set-catalog.js';
import type { ViewsState } from '../features/feature-views.js';
import type { RegisteredView } from '../features/repository/view-tables.js';
import type { ViewRow } from '../features/view-store.js';
import type { Route } from '../models/route.js';
import type { ServedModel } from '../models/served-model.js';
import type { ShadowScoring } from '../models/shadow-scoring.js';
import type { BaseSource, StreamStats } from './base-stream.js';
import type { RowSource } from './row-fetch.js';
import type { ModelKind } from './vocabulary.js';

/** What the serving core asks of the rest of the server: each an owner it does not replace. */
export interface PredictorDeps {
  /** Where a model's calls go (the model registry's routing). */
  registry: { route(name: string, version?: string): Route };
  /** Customers' rows by id (the feature lookup). */
  rows: RowSource;
  /** The store's last materialization (FAILED_PRECONDITION before the first). */
  catalog: { current(): Promise<FeatureSetState> };
  /** The base in id order, for streams. */
  store: BaseSource;
  maxBatchSize: number;
  /** The model each prediction RPC uses. */
  models: Record<ModelKind, string>;
  streamStats: StreamStats;
  shadow: Pick<ShadowScoring, 'offer'>;
  /** Where served rows are recorded, when the prediction log is on. */
  predictionLog?: ServedRowLog;
  /** Counts served rows against the models' reference distributions, when drift is on. */
  drift?: DriftObserver;
  /** The declared feature views, when the store may hold some (models reading `view.feature`). */
  views?: ViewsSource;
  /** Reason codes of requests that ask to explain. */
  explainer: Pick<Explainer, 'explain'>;
}

/** The feature views as the core reads them (features/feature-views.ts). */
export interface ViewsSource {
  current(): Promise<ViewsState>;
  /** By id through the view's cache. */
  getMany(
    view: RegisteredView,
    ids: readonly string[],
    tally?: { hits: number; misses: number },
  ): Promise<Map<string, ViewRow | undefined>>;
  /** By id from the store (streams). */
  read(view: RegisteredView, ids: readonly string[]): Promise<Map<string, ViewRow>>;
  /** In id order after a customer. */
  scan(view: RegisteredView, afterId: string, limit: number): Promise<ViewRow[]>;
}

/**
 * Where every answered batch is recorded (prediction-log/): its rows, its outputs, and per row
 * the customer and the as-of day of the features (none for raw rows). Declared here, where it is
 * called, so the core depends on no sink.
 */
export interface ServedRowLog {
  offer(
    signal: AbortSignal,
    model: ServedModel,
    rows: number,
    inputs: Float32Array,
    outputs: Float32Array,
    subjects?: readonly ({ customerId: string; asOf: string } | undefined)[],
  ): void;
}

/** What counts served rows against a version's training reference (drift/). */
export interface DriftObserver {
  observe(model: ServedModel, rows: number, inputs: Float32Array, outputs: Float32Array): void;
}
