import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The records of a JSON lines prediction log (JsonLinesSink's files), oldest file first, as
 * parsed JSON; a line that is not JSON fails with its file and line. Streamed: memory is one line.
 */
export async function* readLogRecords(dir: string): AsyncGenerator<Record<string, unknown>> {
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
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new Error(`${join(dir, file)}:${n}: not a JSON line`);
      }
      if (typeof record === 'object' && record !== null) yield record as Record<string, unknown>;
    }
  }
}
