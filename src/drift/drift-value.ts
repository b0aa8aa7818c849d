import type { ModelManifest } from '../models/manifest.js';
import { regressionValue } from '../models/postprocess.js';

/**
 * The one number of an output row whose distribution drift follows: a binary model's
 * probability, a regression's served value, an uplift model's effect (treated minus untreated
 * probability), or the index of the top label of a classes or ranking model (a categorical
 * distribution: which offer or item leads).
 */
export function driftValue(
  row: ArrayLike<number>,
  manifest: { output: Pick<ModelManifest['output'], 'kind' | 'transform' | 'clip'> },
): number {
  switch (manifest.output.kind) {
    case 'binary_probability':
      return row[0]!;
    case 'regression':
      return regressionValue(row[0]!, manifest);
    case 'uplift':
      return row[0]! - row[1]!;
    default: {
      let best = 0;
      for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
      return best;
    }
  }
}
