import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * The first whole journey: a citizen files a report with a photo and an e-mail address → a clerk of
 * the Leitstelle signs in, finds it by search and replies → the citizen's tracking page shows the
 * reply. axe checks every page on the way.
 */
describeBrowser('citizen report → staff reply → tracking page', () => {
  let server: TestContext & { baseUrl: string };
  let citizen: Browser;
  let staff: Browser;
  let photoPath: string;
  const clerk = { email: 'clara.klar@musterstadt.example', password: 'ein-sehr-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    await createUser(server, { ...clerk, name: 'Clara Klar', teamIds: [town.teams.leitstelle.id, town.teams.tiefbau.id] });
    await server.startWorkers();
    const dir = mkdtempSync(join(tmpdir(), 'amtsblatt-e2e-'));
    photoPath = join(dir, 'laterne.jpg');
    writeFileSync(
      photoPath,
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#334455' } })
        .jpeg()
        .toBuffer(),
    );
    citizen = await launchBrowser();
    staff = await launchBrowser();
  });

  afterAll(async () => {
    await citizen?.close();
    await staff?.close();
    await server?.close();
  });

  let trackingUrl = '';
  let caseNumber = '';

  it('a citizen files a report with a photo and an e-mail address', async () => {
    const page = await citizen.newPage();
    await page.goto(`${server.baseUrl}/`);
    await expectAccessible(page, 'home');
    await page.getByRole('link', { name: 'Anliegen melden' }).first().click();
    await expectAccessible(page, 'report form');
    await page
      .getByLabel('Beschreibung', { exact: false })
      .first()
      .fill('Die Laterne vor dem Rathaus flackert seit Montag und geht dann ganz aus.');
    await page.getByLabel('Störung').check();
    await page.getByLabel('Adresse', { exact: false }).first().fill('Rathausplatz 1');
    await page.setInputFiles('input[type=file]', photoPath);
    await page.getByLabel('E-Mail', { exact: false }).first().fill('buerger@example.org');
    await page.getByLabel('Datenschutz', { exact: false }).first().check();
    await page.getByRole('button', { name: /absenden|senden/i }).click();
    await page.waitForURL(/\/melden\/danke\//);
    await expectAccessible(page, 'confirmation page');
    const body = await page.textContent('main');
    caseNumber = /\d{4}-\d{5}/.exec(body ?? '')?.[0] ?? '';
    expect(caseNumber).not.toBe('');
    trackingUrl = (await page.locator('a[href*="/verfolgen/"]').first().getAttribute('href')) ?? '';
    expect(trackingUrl).toContain('/verfolgen/');
    await page.goto(trackingUrl);
    await expectAccessible(page, 'tracking page');
    await expect(page.locator('main').textContent()).resolves.toContain(caseNumber);
  });

  it('a clerk signs in, finds the report by search and replies', async () => {
    const page = await staff.newPage();
    await page.goto(`${server.baseUrl}/staff`);
    await page.waitForURL(/\/anmelden/);
    await expectAccessible(page, 'login');
    await page.getByLabel('E-Mail', { exact: false }).fill(clerk.email);
    await page.getByLabel('Passwort', { exact: false }).fill(clerk.password);
    await page.getByRole('button', { name: /anmelden/i }).click();
    await page.waitForURL(/\/staff/);
    await expectAccessible(page, 'inbox');
    await page.getByLabel('Suche', { exact: false }).first().fill('Laterne Rathaus');
    await page
      .getByRole('button', { name: /filtern|suchen|anwenden/i })
      .first()
      .click();
    await page.getByRole('link', { name: caseNumber }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${caseNumber}`));
    await expectAccessible(page, 'case page');
    await expect(page.locator('img[src*="/fotos/"]').count()).resolves.toBeGreaterThan(0);
    await page
      .getByLabel('Antwort', { exact: false })
      .first()
      .fill('Danke für den Hinweis! Die Laterne bekommt morgen ein neues Leuchtmittel.');
    await page.getByRole('button', { name: /^Antwort senden/ }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${caseNumber}`));
    await expect(page.locator('main').textContent()).resolves.toContain('neues Leuchtmittel');
  });

  it("the citizen's tracking page shows the reply", async () => {
    const page = await citizen.newPage();
    await page.goto(trackingUrl);
    await expect(page.locator('main').textContent()).resolves.toContain('neues Leuchtmittel');
    await expectAccessible(page, 'tracking page with reply');
  });
});

describeBrowser('the report form without JavaScript', () => {
  let server: TestContext & { baseUrl: string };
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await seedBasics(server.db);
    browser = await launchBrowser({ javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows errors accessibly, keeps the input, and accepts the corrected report', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page.getByLabel('Adresse', { exact: false }).first().fill('Bahnhofstraße 3');
    await page.getByRole('button', { name: /absenden|senden/i }).click();
    // axe itself needs JavaScript; the error state is checked with axe in report-form.e2e.test.ts.
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('beschreiben');
    await expect(page.getByLabel('Adresse', { exact: false }).first().inputValue()).resolves.toBe('Bahnhofstraße 3');
    await page.getByLabel('Beschreibung', { exact: false }).first().fill('Der Fahrkartenautomat am Bahnhof ist mit Graffiti besprüht.');
    await page.getByLabel('Datenschutz', { exact: false }).first().check();
    await page.getByRole('button', { name: /absenden|senden/i }).click();
    await page.waitForURL(/\/melden\/danke\//);
    await expect(page.locator('main').textContent()).resolves.toMatch(/\d{4}-\d{5}/);
  });
});
