import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's chromium (`make test-tools` installs it), driven by playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless chromium with one page at 1280 x 900, and the page's console errors and uncaught
 * exceptions collected in `errors` (a console test expects none it did not provoke).
 */
export async function openBrowser(options: { acceptDownloads?: boolean } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { browser, page, errors };
}

/**
 * A copy of the repository's models in `dir` without a serving policy, with churn v1 copied as
 * churn v2 (its manifest changed by `manifest`): a second version to pin, canary or shadow.
 */
export function modelsWithSecondChurn(dir: string, manifest: Record<string, unknown> = {}): string {
  cpSync(new URL('../../models/', import.meta.url).pathname, dir, { recursive: true });
  rmSync(join(dir, 'serving-policy.json'), { force: true });
  cpSync(join(dir, 'churn', '1'), join(dir, 'churn', '2'), { recursive: true });
  const file = join(dir, 'churn', '2', 'manifest.json');
  writeFileSync(
    file,
    JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version: '2', ...manifest }),
  );
  return dir;
}
