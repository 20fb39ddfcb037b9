import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicCases } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * A clerk opens a report that names a neighbour the masker cannot know, masks that name by hand,
 * checks the preview and publishes; then sets the categories' policy as admin. axe checks the
 * panel and the category page at 1280 and 390 px.
 */
describeBrowser('publication: staff mask a name and publish', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  const clerk = { email: 'tom@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  const admin = { email: 'ada@musterstadt.example', password: 'noch-ein-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    town = await seedBasics(server.db);
    await createUser(server, { ...clerk, name: 'Tom Tiefbau', teamIds: [town.teams.tiefbau.id] });
    await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('masks a name by hand, publishes, and passes axe at 1280 and 390 px', { timeout: 180_000 }, async () => {
    const c = await fileCase(server, {
      categoryId: town.categories.streetLight.id,
      reporterName: 'Erika Mustermann',
      description: 'Die Laterne vor dem Haus von Nachbar Quast ist dunkel. Gruß, Erika Mustermann',
    });
    const page = await signInThroughForm(browser, server.baseUrl, clerk, `/staff/faelle/${c.number}`);
    const preview = page.locator('#publication-preview');
    expect(await preview.textContent()).toBe('Die Laterne vor dem Haus von Nachbar Quast ist dunkel. Gruß, [Name entfernt]');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `case page with the publication panel at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('Weitere Stelle schwärzen').fill('Quast');
    await page.getByRole('button', { name: 'Schwärzen', exact: true }).click();
    await page.getByText('Die Stelle ist geschwärzt.').waitFor();
    expect(await preview.textContent()).toBe('Die Laterne vor dem Haus von Nachbar [Name entfernt] ist dunkel. Gruß, [Name entfernt]');
    await page.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await page.getByText('Das Anliegen ist jetzt öffentlich.').waitFor();
    const [row] = await server.db.select().from(publicCases).where(eq(publicCases.caseId, c.caseId));
    expect(row?.text).toBe('Die Laterne vor dem Haus von Nachbar [Name entfernt] ist dunkel. Gruß, [Name entfernt]');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await expectAccessible(page, `published case at ${width} px`);
    }

    await page.getByRole('button', { name: /Abmelden/ }).click();
    await page.getByText('Sie sind abgemeldet.').waitFor();
    const adminPage = await signInThroughForm(browser, server.baseUrl, admin, '/admin/kategorien');
    for (const width of [1280, 390]) {
      await adminPage.setViewportSize({ width, height: 900 });
      await expectAccessible(adminPage, `/admin/kategorien at ${width} px`);
    }
    await adminPage.locator(`#cat-${town.categories.litter.id}-publication`).selectOption('auto');
    await adminPage.locator(`#cat-${town.categories.litter.id}-publishDelayMinutes`).fill('-5');
    await adminPage.getByRole('button', { name: /Speichern.*Illegaler Müll/ }).click();
    await adminPage.getByText('Die Wartezeit kann nicht negativ sein.').first().waitFor();
    await expectAccessible(adminPage, '/admin/kategorien with an error');
    await adminPage.locator(`#cat-${town.categories.litter.id}-publishDelayMinutes`).fill('45');
    await adminPage.getByRole('button', { name: /Speichern.*Illegaler Müll/ }).click();
    await adminPage.getByText('Die Einstellungen der Kategorie sind gespeichert.').waitFor();
  });
});
