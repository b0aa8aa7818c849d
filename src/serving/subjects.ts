import { Errors } from '../errors.js';
import { CUSTOMER_ID_PATTERN } from '../features/feature-set.js';

/**
 * Who a per-customer call is about, as a caller sent it and as the core checked it. Every bound
 * is here: a caller controls these values, and none is echoed whole into an error (a 15 MB name
 * once came back as a 15 MB message).
 */

/** A subject as a front end received it: a customer id, raw features, or neither (refused). */
export type SubjectRef =
  | { customerId: string }
  | { reference: string; values: Readonly<Record<string, number>> }
  | Record<string, never>;

export type Subject =
  | { kind: 'customer'; customerId: string }
  | { kind: 'raw'; reference: string; values: ReadonlyMap<string, number> };

const REFERENCE_MAX = 64;
const MODEL_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
const MODEL_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Models compute in float32: a larger finite double (3.5e38, 1e300) would reach them as
 * infinity and come out as a confident but meaningless score, so it is refused.
 */
export const FLOAT32_MAX = 3.4028234663852886e38;

export function describeValue(value: string): string {
  return value.length > 20 ? `${value.length} characters` : JSON.stringify(value);
}

/** A model name and optional version as a caller sent them: well formed, or INVALID_ARGUMENT. */
export function validateModelRef(
  name: string,
  version: string,
  field: string,
): { name: string; version: string | undefined } {
  if (name === '')
    throw Errors.invalidArgument(`${field} is empty: give a model name (ListModels lists them)`);
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw Errors.invalidArgument(
      `${field} (${describeValue(name)}) is malformed: names are 1 to 128 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  if (version !== '' && !MODEL_VERSION_PATTERN.test(version)) {
    throw Errors.invalidArgument(
      `version (${describeValue(version)}) is malformed: versions are 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  return { name, version: version || undefined };
}

/** Throws INVALID_ARGUMENT unless v is a number a float32 model input can hold. */
export function checkModelInput(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw Errors.invalidArgument(`${where} is ${String(v)}; values must be finite numbers`);
  if (Math.abs(v) > FLOAT32_MAX)
    throw Errors.invalidArgument(`${where} is ${v}; values must be within float32's range (±3.4e38)`);
  return v;
}

/** INVALID_ARGUMENT unless the id is well formed. */
export function checkCustomerId(id: string, where: string): string {
  if (!CUSTOMER_ID_PATTERN.test(id)) {
    throw Errors.invalidArgument(
      `${where} ${id === '' ? 'is empty' : `(${describeValue(id)}) is malformed`}: ids are 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'`,
    );
  }
  return id;
}

/**
 * Checks the customers of a per-customer request: 1 to maxBatch of them, each a well-formed
 * id or raw features with exactly the required names and finite values. Any malformed item
 * fails the whole call with INVALID_ARGUMENT naming the item; unknown customers are not
 * malformed and are answered per item later.
 */
export function validateSubjects(
  refs: readonly SubjectRef[],
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
  return refs.map((ref, i): Subject => {
    const where = `customers[${i}]`;
    if ('customerId' in ref)
      return { kind: 'customer', customerId: checkCustomerId(ref.customerId, `${where}.customer_id`) };
    if ('values' in ref)
      return { kind: 'raw', ...validateRaw(ref.reference, ref.values, requiredFeatures, where) };
    throw Errors.invalidArgument(`${where} sets neither customer_id nor features`);
  });
}

function validateRaw(
  reference: string,
  values: Readonly<Record<string, number>>,
  required: readonly string[],
  where: string,
): { reference: string; values: Map<string, number> } {
  if (reference.length > REFERENCE_MAX) {
    throw Errors.invalidArgument(`${where}.features.reference is longer than ${REFERENCE_MAX} characters`);
  }
  const accepted = `accepted names: ${required.join(', ')}`;
  const missing = required.filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0)
    throw Errors.invalidArgument(`${where}.features lacks ${missing.join(', ')}; ${accepted}`);
  const unknown = Object.keys(values).filter((name) => !required.includes(name));
  if (unknown.length > 0) {
    throw Errors.invalidArgument(
      `${where}.features has unknown ${unknown.slice(0, 5).map(describeValue).join(', ')}; ${accepted}`,
    );
  }
  const map = new Map<string, number>();
  for (const name of required) map.set(name, checkModelInput(values[name], `${where}.features.${name}`));
  return { reference, values: map };
}

/** The id a result carries: the customer id, or the caller's reference of raw features. */
export function subjectId(subject: Subject): string {
  return subject.kind === 'customer' ? subject.customerId : subject.reference;
}

/** The per-item error of an unknown customer (of the online table, or of a view the model reads). */
export function notFound(customerId: string, view?: string) {
  return {
    reason: 'customer_not_found' as const,
    message:
      view === undefined
        ? `customer ${customerId} is not in the feature store`
        : `customer ${customerId} has no row in feature view ${view}`,
  };
}

/** The per-item error of a customer whose view row lacks a value the model reads. */
export function valueMissing(customerId: string, input: string) {
  return {
    reason: 'feature_value_missing' as const,
    message: `customer ${customerId} has no value of ${input}, and its view declares no default`,
  };
}
