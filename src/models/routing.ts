import type { Route } from './route.js';
import type { ModelListing, ServedModel } from './served-model.js';
import { CANARY_SCALE, type ModelPolicy, versionOf } from './serving-policy.js';

/**
 * Which loaded version answers, under a model's serving policy: pure functions of the policy and
 * the loaded versions, so routing is tested without workers.
 */

/** The default version: the policy's, when loaded; otherwise the highest loaded. */
export function servingOf(
  policy: ModelPolicy | undefined,
  versions: ReadonlyMap<string, ServedModel>,
): ServedModel | undefined {
  const preferred = policy?.default === undefined ? undefined : versionOf(policy, policy.default);
  if (preferred !== undefined && versions.has(preferred)) return versions.get(preferred);
  let best: ServedModel | undefined;
  for (const m of versions.values()) if (!best || Number(m.version) > Number(best.version)) best = m;
  return best;
}

/** The canary and shadow in force beside `primary`: loaded, and other versions than it. */
export function rolloutOf(
  policy: ModelPolicy | undefined,
  versions: ReadonlyMap<string, ServedModel>,
  primary: ServedModel,
): Omit<Route, 'primary'> {
  const other = (ref: string | undefined) => {
    const m = ref === undefined ? undefined : versions.get(versionOf(policy, ref) ?? '');
    return m === primary ? undefined : m;
  };
  const canaryModel = other(policy?.canary?.version);
  const buckets = Math.round(((policy?.canary?.percent ?? 0) * CANARY_SCALE) / 100);
  return {
    canary: canaryModel && buckets > 0 ? { model: canaryModel, buckets } : undefined,
    shadow: other(policy?.shadow),
  };
}

/**
 * Where a call's rows go: the version it names (alone; a label of the policy or a number), or the
 * default with the policy's canary and shadow. Undefined when nothing it names is loaded.
 */
export function routeOf(
  policy: ModelPolicy | undefined,
  versions: ReadonlyMap<string, ServedModel>,
  version?: string,
): Route | undefined {
  if (version) {
    const primary = versions.get(versionOf(policy, version) ?? '');
    return primary && { primary, canary: undefined, shadow: undefined };
  }
  const primary = servingOf(policy, versions);
  return primary && { primary, ...rolloutOf(policy, versions, primary) };
}

/** A model's listing: the default, every version ascending, the canary and shadow in force. */
export function listingOf(
  name: string,
  policy: ModelPolicy | undefined,
  versions: ReadonlyMap<string, ServedModel>,
): ModelListing | undefined {
  const serving = servingOf(policy, versions);
  if (!serving) return undefined;
  const { canary, shadow } = rolloutOf(policy, versions, serving);
  return {
    name,
    serving,
    versions: [...versions.keys()].sort((a, b) => Number(a) - Number(b)),
    canary: canary && { version: canary.model.version, percent: (canary.buckets * 100) / CANARY_SCALE },
    shadow: shadow?.version,
  };
}
