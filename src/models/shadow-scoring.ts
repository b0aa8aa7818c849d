import type { Agreement } from '../telemetry/agreement.js';
import type { ShadowObserver } from '../telemetry/observers.js';
import { NO_SHADOW_OBSERVER } from '../telemetry/observers.js';
import type { ModelManifest } from './manifest.js';
import { regressionValue } from './postprocess.js';
import type { ServedModel } from './served-model.js';

/** What shadow scoring uses of a served version. */
export type Version = Pick<ServedModel, 'name' | 'version' | 'outputs' | 'batching' | 'scheduler'> & {
  manifest: Pick<ModelManifest, 'output'>;
};

export interface ShadowOptions {
  /** Most shadow rows submitted and not yet answered; more are dropped (reason "full"). */
  maxRowsInFlight: number;
  /** Whether batches are waiting for a free worker (then shadow rows are dropped as "busy"). */
  backlog: () => boolean;
}

/** Why offered rows were not shadow-scored. */
export type ShadowDropReason = 'full' | 'busy' | 'inputs' | 'failed';

export interface ShadowStats {
  comparedRows: number;
  droppedRows: Record<ShadowDropReason, number>;
}

/**
 * Scores a shadow version on the rows its primary just answered, after the answer, and compares
 * the two: the caller never waits for it. Bounded: rows in flight are capped, and rows are dropped
 * first whenever real work waits (batches waiting for a worker, or a batch's worth of rows queued
 * on either version): shadow work would only lengthen it. Every dropped row is counted by reason.
 */
export class ShadowScoring {
  readonly stats: ShadowStats = { comparedRows: 0, droppedRows: { full: 0, busy: 0, inputs: 0, failed: 0 } };
  private inFlight = 0;

  constructor(
    private readonly options: ShadowOptions,
    private readonly observer: ShadowObserver = NO_SHADOW_OBSERVER,
  ) {}

  get rowsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Offers rows the primary answered with `answered` to the shadow. `input` builds the rows in a
   * version's input order, or undefined when they cannot be (the shadow takes inputs the call did
   * not carry).
   */
  offer<V extends Version>(
    primary: V,
    shadow: V,
    rows: number,
    input: (model: V) => Float32Array | undefined,
    answered: Float32Array,
  ): void {
    const busy =
      this.options.backlog() ||
      primary.scheduler.depth >= primary.batching.maxBatchSize ||
      shadow.scheduler.depth >= shadow.batching.maxBatchSize;
    const full = this.inFlight + rows > this.options.maxRowsInFlight;
    const data = busy || full ? undefined : input(shadow);
    if (!data) {
      this.drop(primary, shadow, busy ? 'busy' : full ? 'full' : 'inputs', rows);
      return;
    }
    // The primary's rows may be views of a larger batch answer: keep only this call's.
    const mine = answered.slice();
    this.inFlight += rows;
    shadow.scheduler.submit(rows, data).then(
      (out) => {
        this.inFlight -= rows;
        this.compare(primary, shadow, rows, mine, out);
      },
      () => {
        this.inFlight -= rows;
        this.drop(primary, shadow, 'failed', rows);
      },
    );
  }

  private drop(primary: Version, shadow: Version, reason: ShadowDropReason, rows: number): void {
    this.stats.droppedRows[reason] += rows;
    this.observer.onShadowDropped(primary.name, shadow.version, reason, rows);
  }

  private compare(
    primary: Version,
    shadow: Version,
    rows: number,
    served: Float32Array,
    shadowed: Float32Array,
  ): void {
    const agreement = compareOutputs(primary, shadow, rows, served, shadowed);
    this.stats.comparedRows += rows;
    this.observer.onShadowCompared(primary.name, primary.version, shadow.version, agreement);
  }
}

export function compareOutputs(
  primary: Version,
  shadow: Version,
  rows: number,
  served: Float32Array,
  shadowed: Float32Array,
): Agreement {
  const a = primary.outputs;
  const b = shadow.outputs;
  let absDifferenceSum: number | undefined;
  if (a === b) {
    absDifferenceSum = 0;
    const regression = primary.manifest.output.kind === 'regression';
    for (let r = 0; r < rows; r++) {
      if (regression) {
        absDifferenceSum += Math.abs(
          regressionValue(served[r]!, primary.manifest) - regressionValue(shadowed[r]!, shadow.manifest),
        );
        continue;
      }
      let sum = 0;
      for (let j = 0; j < a; j++) sum += Math.abs(served[r * a + j]! - shadowed[r * b + j]!);
      absDifferenceSum += sum / a;
    }
  }
  let top1Agreements: number | undefined;
  if (a > 1 && b > 1) {
    // By label, not position: a retrained version may order or extend its labels differently.
    const labelsA = primary.manifest.output.labels;
    const labelsB = shadow.manifest.output.labels;
    top1Agreements = 0;
    for (let r = 0; r < rows; r++)
      if (labelsA[argmax(served, r * a, a)] === labelsB[argmax(shadowed, r * b, b)]) top1Agreements++;
  }
  return { rows, absDifferenceSum, top1Agreements };
}

function argmax(values: Float32Array, offset: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}
