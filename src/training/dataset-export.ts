import type { Dataset } from './dataset.js';

/**
 * A training set as JSON, so that a reference model (bench/real-data-reference.py) fits the very
 * rows ours trains on: ids, feature names, x, y, outputs and split (0 train, 1 validation,
 * 2 test); for a ranking also each output's item, each row's recent items (left out of its
 * ranking) and the cutoff, so a reference can read the same purchases from the store.
 */
export function datasetJson(ds: Dataset): string {
  return JSON.stringify({
    ids: ds.customerIds,
    names: ds.featureNames,
    x: Array.from(ds.x),
    y: Array.from(ds.y),
    outputs: ds.outputs,
    split: Array.from(ds.split),
    ...(ds.target.task === 'ranking'
      ? {
          items: ds.classes?.codes,
          recent: ds.recentItems,
          cutoff: 'cutoff' in ds.target ? ds.target.cutoff : undefined,
        }
      : {}),
  });
}
