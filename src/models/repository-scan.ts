import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A version folder of the model repository, with the signature of its files. */
export interface Candidate {
  name: string;
  version: string;
  dir: string;
  /** Changes when model.tflite or manifest.json is rewritten (mtime and size). */
  signature: string;
}

export const MODEL_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const MODEL_VERSION = /^[1-9][0-9]{0,9}$/;

/**
 * The model repository's version folders: models/<name>/<version>/ holding manifest.json and
 * model.tflite, names and versions well formed. Reads directory entries and stats only.
 */
export function scanRepository(root: string): Candidate[] {
  if (!existsSync(root)) return [];
  const found: Candidate[] = [];
  for (const name of readdirSync(root)) {
    if (!MODEL_NAME.test(name) || !statSync(join(root, name)).isDirectory()) continue;
    for (const version of readdirSync(join(root, name))) {
      const dir = join(root, name, version);
      if (!MODEL_VERSION.test(version) || !statSync(dir).isDirectory()) continue;
      const files = ['manifest.json', 'model.tflite'].map((f) => join(dir, f));
      if (!files.every(existsSync)) continue;
      const signature = files.map((f) => `${statSync(f).mtimeMs}:${statSync(f).size}`).join('|');
      found.push({ name, version, dir, signature });
    }
  }
  return found;
}
