import { parseArgs } from 'node:util';

/** Parses --name value flags of a command line tool, exiting with usage on a bad flag. */
export function parseFlags<
  T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>,
>(options: T, usage: string) {
  try {
    return parseArgs({ options, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${usage}\n`);
    process.exit(2);
  }
}
