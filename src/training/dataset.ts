import { dayNumber } from '../calendar.js';
import { FEATURE_NAMES, type RfmValues } from '../features/feature-set.js';
import { computeFeatures } from '../offline/features/compute-features.js';
import type { CustomerHistory } from '../offline/history.js';
import { OFFER_TYPES } from '../offline/history.js';
import type { OfflineStore } from '../offline/offline-store.js';
import { Floats } from './floats.js';
import { activeWithin, labelOf, treatmentOf, type Vocabulary } from './labels.js';
import type { PipelineConfig, TargetConfig, TrainingTarget, VocabularyName } from './pipeline-config.js';
import { readServedRowsFromFiles, readServedRowsFromTable, type ServedRow } from './served-rows.js';

const TENURE = FEATURE_NAMES.indexOf('tenure_days');

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

/** The rows of one target: raw feature values as of the cutoff, labels from after it. */
export interface Dataset {
  target: TrainingTarget;
  featureNames: readonly string[];
  customerIds: string[];
  /** Row-major, rows x featureNames.length, raw (not normalized) values. */
  x: Float32Array;
  /**
   * Row-major, rows x outputs: the class index, 0/1 or the raw regression value (before any
   * target transform), or a multi-hot row over the classes for ranking.
   */
  y: Float32Array;
  /** Values per label row: 1, or the number of items for ranking. */
  outputs: number;
  /** The classes (multiclass) or items (ranking), in output order. */
  classes?: Vocabulary;
  /** RFM values as of the cutoff, for baselines. */
  rfm: RfmValues[];
  /** Products bought in the recent window before the cutoff (what serving leaves out of a ranking). */
  recentItems: (readonly string[])[];
  /** TRAIN, VALIDATION or TEST per row. */
  split: Uint8Array;
  /** Days from signup to the row's as-of day (for the BG/NBD fit), when built from histories. */
  tenureDays?: number[];
  /** From a prediction log: served rows left out because their label window is not over yet. */
  servedRowsPending?: number;
  /** From labels: the time of the last label (YYYY-MM-DD), what the manifest says features are as of. */
  lastLabelDay?: string;
  /** From labels with a treatment: 1 for a treated row, 0 for a control row (uplift). */
  treatment?: Uint8Array;
}

/**
 * Which split a customer is in: a hash of the customer id and the seed, so a customer is in the
 * same split for every target and every run, and never in two.
 */
export function splitOf(customerId: string, seed: number, split: PipelineConfig['split']): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < customerId.length; i++) h = Math.imul(h ^ customerId.charCodeAt(i), 0x01000193);
  const u = (h >>> 0) / 4294967296;
  return u < split.test ? TEST : u < split.test + split.validation ? VALIDATION : TRAIN;
}

export type Vocabularies = Record<VocabularyName, Vocabulary>;

/** The programme's offers, as the offer_types table holds them. */
export const OFFER_VOCABULARY: Vocabulary = {
  codes: OFFER_TYPES.map((o) => o.code),
  names: OFFER_TYPES.map((o) => o.name),
};

class DatasetBuilder {
  private readonly ids: string[] = [];
  private readonly xs = new Floats();
  private readonly ys = new Floats();
  private readonly rfm: RfmValues[] = [];
  private readonly tenure: number[] = [];
  private readonly recent: (readonly string[])[] = [];
  private readonly splits: number[] = [];
  private readonly treatment: number[] = [];
  private readonly columns: number[];
  private readonly classes: Vocabulary | undefined;

  constructor(
    readonly target: TargetConfig,
    private readonly seed: number,
    private readonly split: PipelineConfig['split'],
    private readonly lastDay: number,
    vocabularies: Vocabularies,
    /** The served rows by customer, when the target trains from a prediction log. */
    private readonly served?: Map<string, ServedRow[]>,
  ) {
    this.columns = target.features.map((f) => FEATURE_NAMES.indexOf(f));
    const name = target.label.vocabulary;
    this.classes = name ? vocabularies[name] : undefined;
    if (name && !this.classes?.codes.length) throw new Error(`${target.name}: the ${name} table is empty`);
  }

  private pending = 0;

  add(history: CustomerHistory): void {
    if (!this.served)
      for (const cutoff of [...this.target.earlierCutoffs, this.target.cutoff]) this.addAsOf(history, cutoff);
    else
      for (const row of this.served.get(history.customer.customerId) ?? [])
        this.addAsOf(history, row.asOf, row);
  }

  /**
   * One row as of a day: the store's features then, or those a server served (`served`: then
   * the label window must be over), and the label from after that day.
   */
  private addAsOf(history: CustomerHistory, asOf: string, served?: ServedRow): void {
    const t = this.target;
    if (served && dayNumber(asOf) + t.label.days > this.lastDay) {
      this.pending++;
      return;
    }
    const active = t.population.activeWithinDays;
    if (active !== undefined && !activeWithin(history, asOf, active)) return;
    // Served rows too: the store's own row as of that day gives the baselines (RFM) and recent items.
    const features = computeFeatures(history, asOf);
    if (!features) return;
    const label = labelOf(history, asOf, t.label, this.lastDay, this.classes);
    if (label === undefined) return;
    const x = served ? servedValues(t, served) : this.columns.map((c) => features.features[c]!);
    this.ids.push(features.customerId);
    for (const v of x) this.xs.push(v);
    if (typeof label === 'number') this.ys.push(label);
    else for (const v of label) this.ys.push(v);
    this.rfm.push(features.rfm);
    this.tenure.push(features.features[TENURE]!);
    this.recent.push(features.recentItems);
    this.splits.push(splitOf(features.customerId, this.seed, this.split));
    if (t.task === 'uplift') this.treatment.push(treatmentOf(history, asOf, t.label, this.lastDay));
  }

  build(): Dataset {
    return {
      target: this.target,
      featureNames: this.target.features,
      customerIds: this.ids,
      x: this.xs.done(),
      y: this.ys.done(),
      outputs: this.target.task === 'ranking' ? this.classes!.codes.length : 1,
      classes: this.classes,
      rfm: this.rfm,
      tenureDays: this.tenure,
      recentItems: this.recent,
      split: Uint8Array.from(this.splits),
      servedRowsPending: this.served ? this.pending : undefined,
      ...(this.target.task === 'uplift' ? { treatment: Uint8Array.from(this.treatment) } : {}),
    };
  }
}

/** A served row's values in the target's feature order (an error naming one the log lacks). */
function servedValues(t: TargetConfig, row: ServedRow): number[] {
  return t.features.map((name) => {
    const v = row.features[name];
    if (typeof v !== 'number')
      throw new Error(
        `${t.name}: the prediction log's rows have no ${name} (the served model's inputs differ)`,
      );
    return v;
  });
}

/**
 * Reads every customer's history once, in chunks, and builds each target's rows. A target whose
 * label window runs past the last recorded day is refused: its labels would be silently short.
 */
export async function buildDatasets(
  store: OfflineStore,
  config: PipelineConfig,
  options: { onProgress?: (done: number, total: number) => void; chunkSize?: number } = {},
): Promise<Dataset[]> {
  const lastDay = await store.lastRecordDate();
  if (lastDay === undefined) throw new Error('the store holds no records to train from');
  for (const t of config.models) {
    // Rows from a prediction log are left out one by one when their window is not over.
    if (t.source) continue;
    const end = dayNumber(t.cutoff) + t.label.days;
    if (end > dayNumber(lastDay)) {
      throw new Error(
        `${t.name}: the label window (${t.cutoff} + ${t.label.days} days) runs past the last recorded day ${lastDay}`,
      );
    }
  }
  const vocabularies = await store.vocabularies();
  const builders = await Promise.all(
    config.models.map(async (t) => {
      const log = t.source?.predictionLog;
      const served = !log
        ? undefined
        : log.dir
          ? await readServedRowsFromFiles(log.dir, log.model, t.cutoff)
          : await readServedRowsFromTable(store.backend, log.model, t.cutoff);
      const top = t.label.vocabularyTop;
      const products =
        top === undefined ? vocabularies.products : await store.bestSellers(t.cutoff, 365, top);
      return new DatasetBuilder(
        t,
        config.seed,
        config.split,
        dayNumber(lastDay!),
        { ...vocabularies, products },
        served,
      );
    }),
  );
  // The base a page of ids at a time: one chunk of histories in memory, whatever its size.
  const total = await store.customerCount();
  const chunk = options.chunkSize ?? 500;
  let after = '';
  let done = 0;
  for (;;) {
    const ids = await store.customerIdsAfter(after, chunk);
    if (ids.length === 0) break;
    const histories = await store.readHistories(ids[0]!, ids[ids.length - 1]!, lastDay!);
    for (const h of histories) for (const b of builders) b.add(h);
    after = ids[ids.length - 1]!;
    done += ids.length;
    options.onProgress?.(Math.min(done, total), total);
  }
  return builders.map((b) => b.build());
}

/** Builds one target's rows from histories in memory (tests, and data that is not in a store). */
export function datasetFromHistories(
  histories: Iterable<CustomerHistory>,
  target: TargetConfig,
  seed: number,
  split: PipelineConfig['split'],
  options: { lastDay: string; vocabularies?: Partial<Vocabularies> },
): Dataset {
  const vocabularies = {
    offer_types: OFFER_VOCABULARY,
    products: { codes: [], names: [] },
    ...options.vocabularies,
  };
  const builder = new DatasetBuilder(target, seed, split, dayNumber(options.lastDay), vocabularies);
  for (const h of histories) builder.add(h);
  return builder.build();
}

/** The raw feature rows of the given row indices, row-major. */
export function gatherRows(ds: Dataset, rows: readonly number[]): Float32Array {
  const d = ds.featureNames.length;
  const x = new Float32Array(rows.length * d);
  for (const [i, r] of rows.entries()) x.set(ds.x.subarray(r * d, (r + 1) * d), i * d);
  return x;
}
