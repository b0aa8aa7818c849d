import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsWithSecondChurn, openBrowser } from '../helpers/browser.js';
import { type TestServer, withDemoServer } from '../helpers/server.js';

/**
 * The console with caller authorization on, in a real browser: it asks for an access token, says
 * who is signed in, lets each caller do what the access policy allows (a marketer saves audiences
 * but cannot change what is served; ops can, and the audit trail names them), and signs out.
 */
const dir = mkdtempSync(join(tmpdir(), 'loyalty-signin-'));
const file = (name: string) => join(dir, name);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let server: TestServer;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  writeFileSync(
    file('tokens.json'),
    JSON.stringify({
      tokens: [
        { caller: 'marketer', sha256: sha256('marketer-secret') },
        { caller: 'ops', sha256: sha256('ops-secret') },
      ],
    }),
  );
  writeFileSync(
    file('policy.json'),
    JSON.stringify({
      callers: {
        marketer: { allow: ['console/Read', 'console/Write'] },
        ops: { allow: ['*'] },
      },
    }),
  );
  server = await withDemoServer({
    // A second churn version, so that there is a change to make.
    LOYALTY_MODELS_DIR: modelsWithSecondChurn(file('models')),
    LOYALTY_AUTH_TOKENS: file('tokens.json'),
    LOYALTY_AUTH_POLICY: file('policy.json'),
  });
  base = `http://127.0.0.1:${server.app.httpPort}`;
  ({ browser, page } = await openBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(secret: string) {
  await page.locator('#signin').waitFor();
  await page.fill('#signin-token', secret);
  await page.click('#signin button[type="submit"]');
}

describe('the console with caller authorization on', () => {
  it('asks for a token, refuses a wrong one, says who is signed in, and signs out', async () => {
    await page.goto(`${base}/console/#models`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Sign in to use the console');
    expect(await page.locator('article.model').count()).toBe(0);
    await signIn('not-a-token');
    await expect.poll(() => page.locator('#who').textContent()).toMatch(/Not signed in: .*token/);
    await signIn('ops-secret');
    await expect.poll(() => page.locator('#who-name').textContent()).toBe('ops');
    await page.locator('article[data-model="churn"]').waitFor();
    expect(await page.isHidden('#signin')).toBe(true);
    // The token is kept for the tab only, never in the page's address or local storage.
    expect(page.url()).not.toContain('ops-secret');
    expect(await page.evaluate('JSON.stringify(localStorage)')).toBe('{}');

    // A change by ops: confirmed, then in the audit trail under ops' name.
    const form = page.locator('form[aria-label="Rollout of churn"]');
    await form.locator('select[name="default"]').selectOption('1');
    await form.locator('button[type="submit"]').click();
    await page.click('#confirm-yes');
    await expect
      .poll(() => page.locator('#policy-changes tbody tr').first().textContent())
      .toMatch(/opschurnDefault version: the highest → v1$/);

    await page.click('#who button');
    await expect.poll(() => page.locator('#who').textContent()).toBe('Sign in to use the console');
  });

  it('lets a marketer save audiences under their name, but not change what is served', async () => {
    await page.goto(`${base}/console/#campaigns`);
    await signIn('marketer-secret');
    await expect.poll(() => page.locator('#who-name').textContent()).toBe('marketer');
    await page.locator('#campaign-model option[value="churn"]').waitFor({ state: 'attached' });
    await page.fill('#campaign-top', '10');
    await page.fill('#audience-name', 'top-ten');
    await page.click('#audience-save');
    await expect
      .poll(() => page.locator('#campaign-result').textContent())
      .toMatch(/Saved as top-ten \(marketer,/);

    await page.goto(`${base}/console/#models`);
    const form = page.locator('form[aria-label="Rollout of churn"]');
    await form.waitFor();
    await form.locator('select[name="default"]').selectOption('2');
    await form.locator('button[type="submit"]').click();
    await page.click('#confirm-yes');
    await expect
      .poll(() => page.locator('.rollout-status[data-model="churn"]').textContent())
      .toMatch(/The server refused the change: .*marketer.*admin\/ServingPolicy.Write/);
    expect(server.app.registry.resolve('churn').version).toBe('1');
    // Without a credential the server answers 401 whatever the page does.
    expect((await fetch(`${base}/console/api/audiences`)).status).toBe(401);
    expect((await fetch(`${base}/admin/v1/serving-policy/audit`)).status).toBe(401);
  });
});
