import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * An administrator sets up deadlines (with one mistake on the way) and the Leitstelle's office hours
 * and lead; a citizen report comes in; a clerk sees its clock in the inbox sorted by due time and on
 * the case page, and puts the case on hold. axe checks every page on the way.
 */
describeBrowser('deadlines: admin sets them up → clerk sees the clock', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  const admin = { email: 'ada.admin@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  const clerk = { email: 'lea@musterstadt.example', password: 'noch-ein-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' });
    await createUser(server, { ...clerk, name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = (who: { email: string; password: string }, path: string) => signInThroughForm(browser, server.baseUrl, who, path);

  it('passes axe on every page', { timeout: 120_000 }, async () => {
    const page = await signIn(admin, '/admin/fristen');
    await expectAccessible(page, 'deadlines overview');

    await page.getByLabel('Name der Frist').fill('Standard');
    await page.getByLabel('Zeit bis zur ersten Antwort').fill('acht');
    await page.getByLabel('Zeit bis zur Erledigung').fill('40');
    await page.getByRole('button', { name: 'Frist anlegen' }).click();
    await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihre Angaben' }).waitFor();
    expect(await page.getByLabel('Name der Frist').inputValue()).toBe('Standard');
    await expectAccessible(page, 'new deadline with errors');
    await page.getByLabel('Zeit bis zur ersten Antwort').fill('8');
    await page.getByRole('button', { name: 'Frist anlegen' }).click();
    await page.getByRole('link', { name: 'Standard', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Standard', exact: true }).click();
    await expectAccessible(page, 'edit deadline');

    await page.goto(`${server.baseUrl}/admin/fristen`);
    await page.getByRole('link', { name: 'Leitstelle' }).click();
    await expectAccessible(page, 'office hours');
    await page.getByLabel('Samstag').fill('09:00–12:00');
    await page.getByLabel('Lea Leitstelle').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Öffnungszeiten und Teamleitung sind gespeichert.').waitFor();
    expect(await page.getByRole('row', { name: /Leitstelle/ }).textContent()).toContain('Lea Leitstelle');

    await page.getByRole('button', { name: /Abmelden/ }).click();
    await page.getByText('Sie sind abgemeldet.').waitFor();

    const c = await fileCase(server, { description: 'Die Straßenlaterne am Spielplatz flackert.' });
    const inbox = await signIn(clerk, '/staff');
    await inbox.getByLabel('Sortierung').selectOption('faelligkeit');
    await inbox.getByRole('button', { name: 'Filtern' }).click();
    await inbox.waitForURL(/sortierung=faelligkeit/);
    const row = inbox.getByRole('row', { name: new RegExp(c.number) });
    expect(await row.textContent()).toMatch(/im Plan|bald fällig|überfällig/);
    await expectAccessible(inbox, 'inbox by due time');

    await inbox.getByRole('link', { name: c.number }).click();
    await inbox.getByRole('heading', { name: 'Fristen' }).waitFor();
    expect(await inbox.locator('#sla-title + p').textContent()).toContain('nach der Regel „Standard“');
    await expectAccessible(inbox, 'case page with deadlines');
  });
});
