import { afterAll, beforeAll, expect, it } from 'vitest';
import { loginThrottles } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * An administrator signs in through the login form, makes a mistake on the new-user form, adds a
 * colleague with a generated password, adds a team, and signs out. axe checks every page on the way.
 * (The pages load no script of their own; the form posts work without JavaScript.)
 */
describeBrowser('admin: sign in → users and teams → sign out', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  const admin = { email: 'ada.admin@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  let adminId = 0;

  beforeAll(async () => {
    server = await startServer();
    await seedBasics(server.db);
    adminId = (await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' })).id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes axe on every page', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/admin`);
    expect(page.url()).toBe(`${server.baseUrl}/anmelden?weiter=%2Fadmin`);
    await expectAccessible(page, 'login');

    await page.getByLabel('E-Mail-Adresse').fill(admin.email);
    await page.getByLabel('Passwort').fill('falsch-falsch-falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('E-Mail oder Passwort stimmt nicht.').waitFor();
    await expectAccessible(page, 'login with error');
    await page.getByLabel('Passwort').fill(admin.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${server.baseUrl}/admin`);
    await expectAccessible(page, 'admin overview');

    await page.getByRole('link', { name: 'Zugänge' }).click();
    await expectAccessible(page, 'user list');
    await page.getByRole('link', { name: 'Neuen Zugang anlegen' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Bea Bauhof');
    await page.getByLabel('E-Mail-Adresse').fill('bea-ohne-at');
    await page.getByLabel('Tiefbauamt').check();
    await page.getByRole('button', { name: 'Zugang anlegen' }).click();
    await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihre Angaben' }).waitFor();
    expect(await page.getByLabel('Tiefbauamt').isChecked()).toBe(true);
    await expectAccessible(page, 'new user with errors');
    await page.getByLabel('E-Mail-Adresse').fill('bea@musterstadt.example');
    await page.getByRole('button', { name: 'Zugang anlegen' }).click();
    await page.getByRole('heading', { name: 'Zugang angelegt' }).waitFor();
    await expectAccessible(page, 'generated password');
    await page.getByRole('link', { name: 'Zum Zugang' }).click();
    await expectAccessible(page, 'edit user');

    await page.goto(`${server.baseUrl}/admin/teams`);
    await page.getByLabel('Name des Teams').fill('Grünflächenamt');
    await page.getByRole('button', { name: 'Team anlegen' }).click();
    await page.getByRole('cell', { name: 'gruenflaechenamt' }).waitFor();
    await expectAccessible(page, 'teams');
    await page.getByRole('link', { name: 'Grünflächenamt' }).click();
    await expectAccessible(page, 'edit team');

    // The classifier page: no model yet in a fresh town, and nothing to learn from yet.
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByRole('link', { name: 'Klassifikator' }).click();
    await page.getByText('Noch kein Modell').waitFor();
    expect(await page.getByRole('button', { name: 'Jetzt neu lernen' }).count()).toBe(0);
    await expectAccessible(page, 'classifier');

    // Sign-in protection with one counter of an unknown address and one of a known account.
    const now = new Date();
    const counter = { failures: 12, firstFailureAt: now, lastFailureAt: now, blockedUntil: new Date(now.getTime() + 60_000) };
    await server.db.insert(loginThrottles).values([
      { ...counter, scope: 'address', keyHash: 'e2e-address' },
      { ...counter, scope: 'account', keyHash: 'e2e-account', userId: adminId },
    ]);
    await page.goto(`${server.baseUrl}/admin`);
    await page.getByRole('link', { name: 'Anmeldeschutz' }).click();
    await page.getByRole('cell', { name: 'unbekannte Adresse (Netzadresse)' }).waitFor();
    await expectAccessible(page, 'sign-in protection');
    await page.getByRole('button', { name: /Sperre aufheben \(unbekannte Adresse/ }).click();
    await page.getByText('Die Wartezeit ist aufgehoben').waitFor();
    await expectAccessible(page, 'sign-in protection lifted');

    await page.getByRole('button', { name: /Abmelden/ }).click();
    await page.getByText('Sie sind abgemeldet.').waitFor();
    await page.goto(`${server.baseUrl}/admin`);
    expect(page.url()).toContain('/anmelden');
  });
});
