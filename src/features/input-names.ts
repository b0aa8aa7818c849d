import { FEATURE_NAMES } from './feature-set.js';
import { BUILTIN_VIEW } from './repository/repository-schema.js';

/** A model input that the feature store can feed: a feature of a view. */
export interface InputName {
  view: string;
  feature: string;
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const BUILTIN = new Set<string>(FEATURE_NAMES);

/**
 * What a model's input name says: `view.feature`, or a bare name of the built-in view's features
 * (so every model written before feature views keeps its names); undefined for a name the store
 * cannot feed (the model then takes it as a raw value only).
 */
export function parseInputName(name: string): InputName | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return BUILTIN.has(name) ? { view: BUILTIN_VIEW, feature: name } : undefined;
  const view = name.slice(0, dot);
  const feature = name.slice(dot + 1);
  if (!NAME.test(view) || !NAME.test(feature)) return undefined;
  if (view === BUILTIN_VIEW && !BUILTIN.has(feature)) return undefined;
  return { view, feature };
}
