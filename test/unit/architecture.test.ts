import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder layout is the architecture: these rules are read from the import statements of
 * src/, so a change that breaks one fails here rather than in a review.
 */
const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : files(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

/** A file's folder under src/ ('.' for the top level; the console's page counts as console). */
const folderOf = (path: string) => {
  const rel = relative(SRC, path);
  return rel.includes('/') ? rel.split('/')[0]! : '.';
};

/** Every relative import of every file of src/, as [from file, to file]. */
const imports: [string, string][] = files(SRC).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map(
    (m): [string, string] => [file, resolve(dirname(file), m[1]!)],
  );
});

const folderEdges = new Set(
  imports
    .map(([from, to]) => [
      folderOf(from),
      relative(SRC, to).startsWith('generated/') ? 'generated' : folderOf(to),
    ])
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => `${a} -> ${b}`),
);
const importsOf = (folder: string) =>
  [...folderEdges].filter((e) => e.startsWith(`${folder} -> `)).map((e) => e.split(' -> ')[1]!);

describe('the layout of src/', () => {
  it('keeps the serving core free of transports and generated protobuf code', () => {
    expect(
      importsOf('serving').filter((f) => ['server', 'console', 'http', 'generated', 'cli'].includes(f)),
    ).toEqual([]);
  });

  it('keeps the gRPC transport and the console apart', () => {
    expect(importsOf('server')).not.toContain('console');
    expect(importsOf('console')).not.toContain('server');
    expect(importsOf('console')).not.toContain('generated');
    expect(importsOf('http')).not.toContain('server');
  });

  it('keeps serving code from training and data generation', () => {
    for (const folder of ['serving', 'server', 'http', 'console', 'models', 'features', 'inference'])
      expect(
        importsOf(folder).filter((f) => f === 'training' || f === 'offline'),
        folder,
      ).toEqual([]);
  });

  it('has no import loop between folders', () => {
    const graph = new Map<string, string[]>();
    for (const e of folderEdges) {
      const [a, b] = e.split(' -> ') as [string, string];
      if (a === '.' || b === '.') continue; // the entry point (app.ts) wires every folder
      graph.set(a, [...(graph.get(a) ?? []), b]);
    }
    const loops: string[] = [];
    const walk = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (next === path[0]) loops.push([...path, next].join(' -> '));
        else if (!path.includes(next) && next > path[0]!) walk(next, [...path, next]);
      }
    };
    for (const start of graph.keys()) walk(start, [start]);
    expect(loops).toEqual([]);
  });

  it('has no source file over 400 lines, the console page included', () => {
    const long = [...files(SRC), ...files(join(SRC, 'console/public'))]
      .map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    expect(long).toEqual([]);
  });
});
