import { type FileHandle, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PredictionRecord, PredictionSink } from './prediction-log.js';
import { recordJson } from './record-json.js';

export interface JsonLinesOptions {
  dir: string;
  /** A file is closed and a new one started past this size. */
  rotateBytes: number;
  /** This process's newest files kept; older ones are deleted at rotation. */
  keepFiles: number;
}

/**
 * JSON lines files `predictions-<time>-<pid>-<sequence>.jsonl` in a folder: one record per line, a new file
 * past `rotateBytes`, at most `keepFiles` of this process's files (several server processes
 * write their own files side by side).
 */
export class JsonLinesSink implements PredictionSink {
  private file: { handle: FileHandle; bytes: number } | undefined;
  /** Files this sink created: two rotations within one millisecond still get two names. */
  private created = 0;

  constructor(private readonly options: JsonLinesOptions) {}

  async write(records: readonly PredictionRecord[]): Promise<void> {
    const text = `${records.map(recordJson).join('\n')}\n`;
    const bytes = Buffer.byteLength(text);
    if (this.file && this.file.bytes + bytes > this.options.rotateBytes) await this.rotate();
    this.file ??= await this.create();
    const file = this.file;
    try {
      await file.handle.write(text);
    } catch (err) {
      // A partial write (a full disk) leaves a torn record, which the next write would bury in
      // the middle of the file: cut the file back to its last whole record and start a new file
      // next time (the reader skips a torn last line should the cut fail too).
      this.file = undefined;
      await file.handle.truncate(file.bytes).catch(() => {});
      await file.handle.close().catch(() => {});
      throw err;
    }
    file.bytes += bytes;
  }

  private async create(): Promise<{ handle: FileHandle; bytes: number }> {
    await mkdir(this.options.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const sequence = String(this.created++).padStart(6, '0');
    const name = `predictions-${stamp}-${process.pid}-${sequence}.jsonl`;
    const handle = await open(join(this.options.dir, name), 'a');
    return { handle, bytes: 0 };
  }

  private async rotate(): Promise<void> {
    await this.file?.handle.close();
    this.file = undefined;
    const mine = (await readdir(this.options.dir))
      .filter((f) => f.startsWith('predictions-') && f.includes(`-${process.pid}-`))
      .sort();
    // The file about to be created counts as one of those kept.
    const excess = mine.length - (this.options.keepFiles - 1);
    for (const f of mine.slice(0, Math.max(0, excess))) await rm(join(this.options.dir, f), { force: true });
  }

  async close(): Promise<void> {
    await this.file?.handle.close();
    this.file = undefined;
  }
}
