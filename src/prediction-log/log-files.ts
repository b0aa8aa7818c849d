import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The records of a JSON lines prediction log (JsonLinesSink's files), oldest file first, as
 * parsed JSON. Streamed: memory is one line. A file's last line that is not JSON is a record torn
 * by a failed write (a full disk; the writer truncates what it can, a crash cannot): it is
 * skipped and reported to `onTorn`. Any other line that is not JSON fails with its file and line.
 */
export async function* readLogRecords(
  dir: string,
  onTorn: (file: string, line: number) => void = () => {},
): AsyncGenerator<Record<string, unknown>> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const file of files) {
    const path = join(dir, file);
    let n = 0;
    // One line behind: whether a line is the file's last is known only when the next one comes.
    let pending: { line: string; n: number } | undefined;
    const parse = (p: { line: string; n: number }, last: boolean): Record<string, unknown> | undefined => {
      let record: unknown;
      try {
        record = JSON.parse(p.line);
      } catch {
        if (last) {
          onTorn(path, p.n);
          return undefined;
        }
        throw new Error(`${path}:${p.n}: not a JSON line`);
      }
      return typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : undefined;
    };
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      n++;
      if (!line) continue;
      if (pending) {
        const record = parse(pending, false);
        if (record) yield record;
      }
      pending = { line, n };
    }
    if (pending) {
      const record = parse(pending, true);
      if (record) yield record;
    }
  }
}
