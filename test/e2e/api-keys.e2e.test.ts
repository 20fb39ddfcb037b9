import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * An administrator makes an Open311 key on /admin/schnittstellen (first with a mistake), sees it
 * once, finds it gone after a reload, and revokes it. axe checks each state at 1280 and 390 px.
 */
describeBrowser('admin: Open311 API keys', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  const admin = { email: 'ada.admin@musterstadt.example', password: 'ein-sehr-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    await seedBasics(server.db);
    await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('create with an error, key shown once, revoke; axe at 1280 and 390 px', { timeout: 120_000 }, async () => {
    const page = await signInThroughForm(browser, server.baseUrl, admin, '/admin');
    await page.getByRole('link', { name: 'Schnittstellen' }).click();
    await page.waitForURL(`${server.baseUrl}/admin/schnittstellen`);
    const check = async (label: string) => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await expectAccessible(page, `${label} at ${width} px`);
      }
    };
    await check('no keys');

    await page.getByLabel('Anfragen pro Minute').fill('0');
    await page.getByRole('button', { name: 'Schlüssel erzeugen' }).click();
    await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihre Angaben' }).waitFor();
    await check('form with errors');

    await page.getByLabel('Name des Schlüssels').fill('FixMyStreet Musterstadt');
    await page.getByLabel('Anfragen pro Minute').fill('60');
    await page.getByRole('button', { name: 'Schlüssel erzeugen' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^a311_/);
    await check('key shown once');

    await page.goto(`${server.baseUrl}/admin/schnittstellen`);
    expect(await page.content()).not.toContain(key);
    await page.getByRole('button', { name: 'Widerrufen (FixMyStreet Musterstadt)' }).click();
    await page.getByText('Der Schlüssel ist widerrufen.').waitFor();
    await check('revoked');
  });
});
