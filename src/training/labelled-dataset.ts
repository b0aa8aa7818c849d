import { dirname, isAbsolute, resolve } from 'node:path';
import { type InputName, parseInputName } from '../features/input-names.js';
import { type LabelledRow, pointInTimeRows } from '../features/repository/point-in-time.js';
import { readRepository } from '../features/repository/repository-file.js';
import type { SqlBackend } from '../features/sql/sql-backend.js';
import { type Dataset, splitOf } from './dataset.js';
import { Floats } from './floats.js';
import type { LabelledTarget, PipelineConfig } from './pipeline-config.js';

/** What building a training set from labels left out, and why. */
export interface LabelledSummary {
  rows: number;
  /**
   * Label rows with no value of a feature as of their time (no row yet, or past the view's ttl),
   * by feature; under "treatment", rows whose treatment is neither 0 nor 1.
   */
  leftOut: Record<string, number>;
}

/**
 * A labelled target's training set: its label rows joined point in time to its views' features
 * (features/repository/point-in-time.ts), split by customer like every other target. A label
 * row without a value of some feature as of its time is left out and counted; a binary label
 * other than 0 or 1 is an error naming the row.
 */
export async function datasetFromLabels(
  backend: SqlBackend,
  target: LabelledTarget,
  config: Pick<PipelineConfig, 'seed' | 'split'>,
  /** The pipeline file: the repository and a label file are relative to its folder. */
  pipelineFile: string,
): Promise<{ dataset: Dataset; summary: LabelledSummary }> {
  const base = dirname(resolve(pipelineFile));
  const loaded = readRepository(resolve(base, target.repository));
  const inputs = target.features.map((n) => parseInputName(n)) as InputName[];
  const source = target.labels.source;
  const path =
    'file' in source ? (isAbsolute(source.file) ? source.file : resolve(base, source.file)) : undefined;
  const ids: string[] = [];
  const x = new Floats();
  const y = new Floats();
  const splits: number[] = [];
  const treatment: number[] = [];
  const treated = target.labels.treatment !== undefined;
  const leftOut: Record<string, number> = {};
  let lastLabel = '';
  const add = (row: LabelledRow) => {
    const missing = row.values.indexOf(null);
    if (missing >= 0) {
      const name = target.features[missing]!;
      leftOut[name] = (leftOut[name] ?? 0) + 1;
      return;
    }
    if (treated && row.treatment !== 0 && row.treatment !== 1) {
      leftOut.treatment = (leftOut.treatment ?? 0) + 1;
      return;
    }
    if (target.task !== 'regression' && row.label !== 0 && row.label !== 1)
      throw new Error(
        `${target.name}: label ${row.label} of customer ${row.customerId} at ${row.labelTs} is not 0 or 1 (a ${target.task} target)`,
      );
    ids.push(row.customerId);
    for (const v of row.values) x.push(v!);
    y.push(row.label);
    splits.push(splitOf(row.customerId, config.seed, config.split));
    if (treated) treatment.push(row.treatment!);
    if (row.labelTs > lastLabel) lastLabel = row.labelTs;
  };
  for await (const chunk of pointInTimeRows(backend, loaded, { ...target.labels, path }, inputs))
    for (const row of chunk) add(row);
  if (ids.length === 0) throw new Error(`${target.name}: no label row has a value of every feature`);
  return {
    dataset: {
      target,
      featureNames: target.features,
      customerIds: ids,
      x: x.done(),
      y: y.done(),
      outputs: 1,
      rfm: [],
      recentItems: [],
      split: Uint8Array.from(splits),
      ...(treated ? { treatment: Uint8Array.from(treatment) } : {}),
      // Labels without times: the features are as of the views' materialization, i.e. today.
      lastLabelDay: lastLabel === '' ? new Date().toISOString().slice(0, 10) : lastLabel.slice(0, 10),
    },
    summary: { rows: ids.length, leftOut },
  };
}
