import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One customer row a server answered, as its prediction log recorded it. */
export interface ServedRow {
  /** YYYY-MM-DD: the day the served features describe. */
  asOf: string;
  /** By input name, as served (float32 values). */
  features: Record<string, number>;
}

interface LogLine {
  model?: unknown;
  customer_id?: unknown;
  features_as_of?: unknown;
  features?: unknown;
}

/**
 * The customer rows of a model in a JSON lines prediction log, oldest file first: per customer,
 * one row per as-of day (the last served wins: the same day's features are the same features).
 * Raw rows (no customer) and records of a log older than features_as_of are skipped; a line
 * that is not JSON fails with its file and line.
 */
export async function readServedRows(
  dir: string,
  model: string,
  cutoff: string,
): Promise<Map<string, ServedRow[]>> {
  const byCustomer = new Map<string, Map<string, ServedRow>>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const file of files) {
    let n = 0;
    for await (const line of createInterface({
      input: createReadStream(join(dir, file)),
      crlfDelay: Infinity,
    })) {
      n++;
      if (!line) continue;
      let record: LogLine;
      try {
        record = JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`${join(dir, file)}:${n}: not a JSON line`);
      }
      const { customer_id: id, features_as_of: asOf, features } = record;
      if (record.model !== model || typeof id !== 'string' || typeof asOf !== 'string') continue;
      if (asOf > cutoff || typeof features !== 'object' || features === null) continue;
      let days = byCustomer.get(id);
      if (!days) {
        days = new Map();
        byCustomer.set(id, days);
      }
      days.set(asOf, { asOf, features: features as Record<string, number> });
    }
  }
  return new Map([...byCustomer].map(([id, days]) => [id, [...days.values()]]));
}
