import { FEATURE_NAMES } from '../features/feature-set.js';
import { type InputName, parseInputName } from '../features/input-names.js';
import { BUILTIN_VIEW } from '../features/repository/repository-schema.js';
import type { ServedModel } from './served-model.js';

/**
 * How the feature store feeds a version's inputs: by index into the online table's features when
 * every input is a built-in feature (bare or `loyalty.x`); as view features when every input is a
 * view's feature and one at least is a declared view's; neither when an input is not a feature.
 */
export function storeInputs(inputs: readonly string[]): Pick<ServedModel, 'featureIndex' | 'viewInputs'> {
  const named = inputs.map(parseInputName);
  if (named.every((n) => n?.view === BUILTIN_VIEW))
    return {
      featureIndex: named.map((n) => (FEATURE_NAMES as readonly string[]).indexOf(n!.feature)),
      viewInputs: undefined,
    };
  return {
    featureIndex: undefined,
    viewInputs: named.every((n) => n !== undefined) ? (named as InputName[]) : undefined,
  };
}
