import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** A command-line tool of dist/cli run as a user runs it, from the repository's root: its stdout. */
export async function cli(env: Record<string, string>, script: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('node', [join(ROOT, 'dist/cli', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return stdout;
}
