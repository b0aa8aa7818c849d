import { Errors } from '../errors.js';
import type { CustomerRef__Output } from '../generated/loyalty/v1/CustomerRef.js';

/** Customer ids: what the store accepts, and nothing a log line or a query could trip on. */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const REFERENCE_MAX = 64;

const MODEL_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const MODEL_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A model name and optional version as a caller sent them: well formed, or INVALID_ARGUMENT
 * (never echoed whole: a 15 MB name once came back as a 15 MB error message).
 */
export function validateModelRef(
  name: string,
  version: string,
  field: string,
): { name: string; version: string | undefined } {
  if (name === '')
    throw Errors.invalidArgument(`${field} is empty: give a model name (ListModels lists them)`);
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw Errors.invalidArgument(
      `${field} (${describe(name)}) is malformed: names are 1 to 128 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  if (version !== '' && !MODEL_VERSION_PATTERN.test(version)) {
    throw Errors.invalidArgument(
      `version (${describe(version)}) is malformed: versions are 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  return { name, version: version || undefined };
}

/**
 * Models compute in float32: a larger finite double (3.5e38, 1e300) would reach them as
 * infinity and come out as a confident but meaningless score, so it is refused.
 */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Throws INVALID_ARGUMENT unless v is a number a float32 model input can hold. */
export function checkModelInput(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw Errors.invalidArgument(`${where} is ${String(v)}; values must be finite numbers`);
  if (Math.abs(v) > FLOAT32_MAX)
    throw Errors.invalidArgument(`${where} is ${v}; values must be within float32's range (±3.4e38)`);
  return v;
}

export type Subject =
  | { kind: 'customer'; customerId: string }
  | { kind: 'raw'; reference: string; values: ReadonlyMap<string, number> };

function describe(value: string): string {
  return value.length > 20 ? `${value.length} characters` : JSON.stringify(value);
}

/**
 * Checks the customers of a per-customer request: 1 to maxBatch of them, each a well-formed
 * id or raw features with exactly the required names and finite values. Any malformed item
 * fails the whole call with INVALID_ARGUMENT naming the item; unknown customers are not
 * malformed and are answered per item later.
 */
export function validateSubjects(
  refs: readonly CustomerRef__Output[],
  maxBatch: number,
  requiredFeatures: readonly string[],
): Subject[] {
  if (refs.length === 0)
    throw Errors.invalidArgument('customers is empty: give 1 or more customer ids or raw features');
  if (refs.length > maxBatch) {
    throw Errors.invalidArgument(
      `customers has ${refs.length} items; at most ${maxBatch} are accepted per call`,
    );
  }
  return refs.map((ref, i) => {
    const where = `customers[${i}]`;
    if (ref.subject === 'customerId') {
      const id = ref.customerId ?? '';
      if (!CUSTOMER_ID_PATTERN.test(id)) {
        throw Errors.invalidArgument(
          `${where}.customer_id ${id === '' ? 'is empty' : `(${describe(id)}) is malformed`}: ids are 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
        );
      }
      return { kind: 'customer', customerId: id };
    }
    if (ref.subject === 'features' && ref.features) {
      return {
        kind: 'raw',
        ...validateRaw(ref.features.reference, ref.features.values, requiredFeatures, where),
      };
    }
    throw Errors.invalidArgument(`${where} sets neither customer_id nor features`);
  });
}

function validateRaw(
  reference: string,
  values: Record<string, number>,
  required: readonly string[],
  where: string,
): { reference: string; values: Map<string, number> } {
  if (reference.length > REFERENCE_MAX) {
    throw Errors.invalidArgument(`${where}.features.reference is longer than ${REFERENCE_MAX} characters`);
  }
  const accepted = `accepted names: ${required.join(', ')}`;
  const missing = required.filter((name) => !(name in values));
  if (missing.length > 0)
    throw Errors.invalidArgument(`${where}.features lacks ${missing.join(', ')}; ${accepted}`);
  const unknown = Object.keys(values).filter((name) => !required.includes(name));
  if (unknown.length > 0) {
    throw Errors.invalidArgument(
      `${where}.features has unknown ${unknown.slice(0, 5).map(describe).join(', ')}; ${accepted}`,
    );
  }
  const map = new Map<string, number>();
  for (const name of required) {
    map.set(name, checkModelInput(values[name], `${where}.features.${name}`));
  }
  return { reference, values: map };
}
