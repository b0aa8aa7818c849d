import { existsSync } from 'node:fs';

/**
 * The public data sets the tests read, from ../shared/datasets beside the repository (CI has it
 * too; the repository carries no copy of them). DATASETS_DIR overrides the folder.
 */
export const DATASETS_DIR =
  process.env.DATASETS_DIR ?? new URL('../../../shared/datasets/', import.meta.url).pathname;

/** The path of one data set, or an error naming where it was looked for. */
export function dataset(file: string): string {
  const path = `${DATASETS_DIR.replace(/\/?$/, '/')}${file}`;
  if (!existsSync(path)) throw new Error(`data set ${file} not found at ${path} (set DATASETS_DIR)`);
  return path;
}
