import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { type FeatureRepository, repositorySchema, type SourceSpec } from './repository-schema.js';

/** A repository file that is not valid: every problem, each with its line and field. */
export class RepositoryError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n  ${problems.join('\n  ')}`,
    );
  }
}

/** A parsed repository and the folder its relative file paths start from. */
export interface LoadedRepository {
  file: string;
  repository: FeatureRepository;
  /** Absolute paths of file sources, by source name. */
  files: ReadonlyMap<string, string>;
}

/** Reads and validates a repository file (YAML, or JSON, which is YAML too). */
export function readRepository(file: string): LoadedRepository {
  return parseRepository(readFileSync(file, 'utf8'), file);
}

export function parseRepository(text: string, file: string): LoadedRepository {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RepositoryError(
      file,
      doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`),
    );
  }
  const parsed = repositorySchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new RepositoryError(
      file,
      parsed.error.issues.map((issue) => {
        const path = issue.path.map(String);
        // The deepest node the document has on the issue's path (a missing field is its parent's).
        let line: number | undefined;
        for (let n = path.length; n >= 0 && line === undefined; n--) {
          const node = doc.getIn(
            issue.path.slice(0, n).map((p) => (typeof p === 'number' ? p : String(p))),
            true,
          );
          if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
        }
        const where = path.length > 0 ? path.join('.') : '(top level)';
        return `${line === undefined ? '' : `line ${line}: `}${where}: ${issue.message}`;
      }),
    );
  }
  const folder = dirname(resolve(file));
  const files = new Map<string, string>();
  for (const [name, source] of Object.entries(parsed.data.sources))
    if ('file' in source)
      files.set(name, isAbsolute(source.file) ? source.file : resolve(folder, source.file));
  return { file, repository: parsed.data, files };
}

/** A file source's format: as declared, else from its extension. */
export function fileFormat(source: Extract<SourceSpec, { file: string }>): 'csv' | 'parquet' {
  if (source.format) return source.format;
  if (/\.parquet$/i.test(source.file)) return 'parquet';
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(source.file)) return 'csv';
  throw new Error(`${source.file}: say its format (csv or parquet); the extension does not tell`);
}
