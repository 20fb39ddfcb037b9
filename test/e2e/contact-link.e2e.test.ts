import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestUser } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * A clerk finds the caller of an earlier phone case and another mail address of the same citizen
 * from the contact panel, links both as the same person and sees "Weitere Anliegen dieser Person"
 * grow; then unlinks one again. axe checks the panel with hits and after linking at 1280 and 390 px.
 */
describeBrowser('linking contacts as one person on the case page', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let clerk: TestUser;
  let mail: string;
  let call: string;
  let work: string;

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    clerk = await createUser(server, { name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id] });
    const question = { type: 'question' as const };
    mail = (await fileCase(server, { ...question, channel: 'email', reporterName: 'Greta Grün', reporterEmail: 'greta@example.org' }))
      .number;
    call = (
      await fileCase(server, {
        ...question,
        channel: 'phone',
        description: 'Anruf wegen der Laterne am Seeweg.',
        contact: { kind: 'phone', address: '07531 4711', displayName: 'Greta Grün' },
      })
    ).number;
    work = (await fileCase(server, { ...question, channel: 'email', reporterName: 'Greta Grün', reporterEmail: 'g.gruen@firma.example' }))
      .number;
    browser = await launchBrowser();
    const [name, value] = clerk.cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: server.baseUrl }]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('links a phone contact and a second address, "weitere Anliegen" grows, and unlinks again', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/staff/faelle/${mail}`);
    await page.getByRole('heading', { name: 'Kontakt derselben Person zuordnen' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Weitere Anliegen dieser Person' }).count()).toBe(0);
    const otherCases = page.locator('h3:has-text("Weitere Anliegen dieser Person") + ul > li');

    // The number as the caller said it: found by its normalised form.
    await page.getByLabel('Kontakt suchen').fill('07531 / 47 11');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByText('+4975314711').waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `contact search hits at ${width} px`);
    }
    await page.getByRole('button', { name: 'Als dieselbe Person verknüpfen' }).click();
    await page.getByText('Die Kontakte sind jetzt als dieselbe Person verknüpft.').waitFor();
    expect(await otherCases.count()).toBe(1);
    expect(await otherCases.first().textContent()).toContain(call);

    // By the name's beginning: the other mail address, and the phone contact already belongs to her.
    await page.getByLabel('Kontakt suchen').fill('Gret');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByText('g.gruen@firma.example').waitFor();
    expect(await page.getByText('gehört schon zu dieser Person').count()).toBe(1);
    await page.getByRole('button', { name: 'Als dieselbe Person verknüpfen' }).click();
    await page.getByText('Die Kontakte sind jetzt als dieselbe Person verknüpft.').waitFor();
    expect(await otherCases.count()).toBe(2);
    expect(await page.getByRole('heading', { name: 'Weitere Kontakte dieser Person' }).count()).toBe(1);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `contact panel with a linked person at ${width} px`);
    }

    await page.locator('li', { hasText: 'g.gruen@firma.example' }).getByRole('button', { name: 'Verknüpfung lösen' }).click();
    await page.getByText('Die Verknüpfung ist gelöst').waitFor();
    expect(await otherCases.count()).toBe(1);
    expect(await page.getByRole('link', { name: work }).count()).toBe(0);
    await page.close();
  });
});
