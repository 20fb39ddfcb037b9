import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';

/** Debian's Chromium; Playwright's own browser download is not used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

if (!chromiumAvailable) {
  const msg = `Chromium nicht gefunden (${CHROMIUM}): die Browser-Tests werden ÜBERSPRUNGEN. Installieren: apt-get install chromium`;
  if (process.env.CI === 'true') throw new Error(`${msg} – mit CI=true ist das ein Fehler.`);
  process.stderr.write(`\n\n!!!!!!!!!!\n${msg}\n!!!!!!!!!!\n\n`);
}

export function describeBrowser(name: string, fn: () => void): void {
  describe.skipIf(!chromiumAvailable)(name, fn);
}

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'amtsblatt-chromium-'));
  // launch() refuses --user-data-dir, so a persistent context in a throwaway folder is used. The
  // networking flags stop Chromium from trying to reach the internet from a closed network.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    locale: 'de-DE',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Runs axe with the WCAG 2.1 A/AA rules (BITV 2.0) and fails with a readable list of violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const problems = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(problems, `axe on ${label}`).toEqual([]);
}

/**
 * Signs in through the real login form: opens `path` (which sends a signed-out browser to the login
 * page and back), fills e-mail and password, and returns the page once it is back at `path`.
 */
export async function signInThroughForm(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
  path: string,
): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('E-Mail-Adresse').fill(who.email);
  await page.getByLabel('Passwort').fill(who.password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(`${baseUrl}${path}`);
  return page;
}
