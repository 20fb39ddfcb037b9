import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * A clerk merges a phone case into an earlier report by its number: first with a typo, then the
 * confirmation with both cases side by side, then the merge. axe at 1280 and 390 px on each step.
 */
describeBrowser('staff: merge a case into another by its number', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  const clerk = { email: 'tim.tief@musterstadt.example', password: 'ein-sehr-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    town = await seedBasics(server.db);
    await createUser(server, { ...clerk, name: 'Tim Tief', teamIds: [town.teams.tiefbau.id] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('typo, confirmation with both cases, merge; axe at 1280 and 390 px', { timeout: 180_000 }, async () => {
    // Street lights belong to the clerk's team, the Tiefbauamt.
    const categoryId = town.categories.streetLight.id;
    const first = await fileCase(server, { categoryId, description: 'Gullydeckel in der Seestraße klappert laut.', lat: 47.66, lon: 9.17 });
    const call = await fileCase(server, {
      categoryId,
      channel: 'phone',
      externalId: null,
      description: 'Anruf: Deckel auf der Straße am See scheppert bei jedem Auto.',
    });
    const page = await signInThroughForm(browser, server.baseUrl, clerk, `/staff/faelle/${call.number}`);
    const check = async (label: string) => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await expectAccessible(page, `${label} at ${width} px`);
      }
    };
    await check('case page with the merge panel');

    await page.getByLabel('In Anliegen zusammenführen').fill('2026-1');
    await page.getByRole('button', { name: 'Zusammenführen prüfen' }).click();
    await page.getByRole('heading', { name: `Anliegen ${call.number} zusammenführen` }).waitFor();
    await expect(page.locator('main').textContent()).resolves.toContain('Bitte geben Sie die Nummer so ein: 2026-00012.');
    await check('merge check with an error');

    await page.getByLabel('Nummer des anderen Anliegens').fill(first.number);
    await page.getByRole('button', { name: 'Prüfen' }).click();
    const confirm = page.getByRole('button', { name: `${call.number} in ${first.number} zusammenführen` });
    await confirm.waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Gullydeckel in der Seestraße klappert laut.');
    expect(main).toContain('Deckel auf der Straße am See scheppert');
    await check('merge confirmation');

    await confirm.click();
    await page.waitForURL(new RegExp(`/staff/faelle/${first.number}\\?ok=zusammengefuehrt`));
    const after = (await page.locator('main').textContent()) ?? '';
    expect(after).toContain('Die Anliegen sind zusammengeführt');
    expect(after).toContain(`Anliegen ${call.number}`);
    await check('the case that carries on');
  });
});
