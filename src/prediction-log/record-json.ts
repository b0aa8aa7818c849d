import type { PredictionRecord } from './prediction-log.js';

/** The features of a record by name, with its output: the JSON both sinks store. */
export function featuresObject(record: PredictionRecord): Record<string, number> {
  const features: Record<string, number> = {};
  record.featureNames.forEach((name, i) => {
    features[name] = record.features[i]!;
  });
  return features;
}

/** One JSON line (snake_case, as the table's columns). */
export function recordJson(record: PredictionRecord): string {
  return JSON.stringify({
    request_id: record.requestId,
    time: new Date(record.time).toISOString(),
    caller: record.caller,
    model: record.model,
    version: record.version,
    customer_id: record.customerId,
    features_as_of: record.featuresAsOf,
    features: featuresObject(record),
    output: Array.from(record.output),
  });
}
