import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cases } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { createUser, type TestUser } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * A clerk takes down a call with the keyboard only: the text has the focus, Tab walks through the
 * caller's details, Alt+R ticks "Rückruf erwünscht", Alt+S saves; the case page says so and Alt+N
 * opens a fresh form. axe checks the form at desktop and phone width, with and without errors.
 */
describeBrowser('capture a phone call with the keyboard', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let clerk: TestUser;
  let town: Awaited<ReturnType<typeof seedBasics>>;

  beforeAll(async () => {
    server = await startServer();
    town = await seedBasics(server.db);
    clerk = await createUser(server, { name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id, town.teams.tiefbau.id] });
    browser = await launchBrowser();
    const [name, value] = clerk.cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: server.baseUrl }]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes axe at 1280 and 390 px, also with errors shown', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/erfassen`);
      await expectAccessible(page, `/erfassen at ${width} px`);
      await page.keyboard.press('Alt+R');
      await page.keyboard.press('Alt+S');
      await page.getByText('Bitte prüfen Sie Ihre Angaben').waitFor();
      await expectAccessible(page, `/erfassen with errors at ${width} px`);
    }
    await page.close();
  });

  it('takes down a call in under a minute without a mouse', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.baseUrl}/erfassen`);
    const started = Date.now();
    // The text has the focus on load.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('description');
    await page.keyboard.type('Die Laterne vor der Hafenstraße 3 flackert seit gestern Abend.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Erika Mustermann');
    await page.keyboard.press('Tab');
    await page.keyboard.type('07531 900-123');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('callback');
    await page.keyboard.press('Space');
    await page.keyboard.press('Alt+O');
    await page.keyboard.type('Hafenstraße 3');
    // Past the map block's buttons to the category, chosen by typing its first letters.
    while ((await page.evaluate(() => document.activeElement?.id)) !== 'categoryId') await page.keyboard.press('Tab');
    await page.keyboard.type('Str');
    expect(await page.locator('#categoryId').inputValue()).toBe(String(town.categories.streetLight.id));
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#type').inputValue()).toBe('defect');
    await page.keyboard.press('Alt+S');
    await page.waitForURL(/\/staff\/faelle\/\d{4}-\d{5}\?ok=angelegt$/);
    const number = /faelle\/(\d{4}-\d{5})/.exec(page.url())?.[1] ?? '';
    await page.getByText(`Anliegen ${number} angelegt`).waitFor();
    expect(Date.now() - started).toBeLessThan(60_000);
    await expectAccessible(page, 'case page after capture');

    const [row] = await server.db.select().from(cases).where(eq(cases.number, number));
    expect(row).toMatchObject({
      channel: 'phone',
      type: 'defect',
      categoryId: town.categories.streetLight.id,
      teamId: town.teams.tiefbau.id,
      reporterName: 'Erika Mustermann',
      locationText: 'Hafenstraße 3',
    });

    // "Nächsten Anruf erfassen": a fresh form with the focus on the text again.
    await page.keyboard.press('Alt+N');
    await page.waitForURL(`${server.baseUrl}/erfassen`);
    expect(await page.locator('#description').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('description');
    await page.close();
  });
});
