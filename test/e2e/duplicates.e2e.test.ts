import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, eventually, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { outboxMails } from '../helpers/outbox.ts';
import { startServer } from '../helpers/server.ts';

/**
 * The same street lamp reported three times: the first citizen reports it on the form, the second
 * is offered to follow and follows, a third writes an e-mail. The clerk merges the mail into the
 * first report and resolves it with a reply; all three hear about it once. axe on every page.
 */
describeBrowser('duplicate report → follow → merge → everyone hears it is fixed', () => {
  let server: TestContext & { baseUrl: string };
  let first: Browser;
  let second: Browser;
  let staff: Browser;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  const clerk = { email: 'tim.tief@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  let firstNumber = '';
  let followUrl = '';
  let mergedTracking = '';

  beforeAll(async () => {
    server = await startServer();
    town = await seedBasics(server.db);
    await createUser(server, { ...clerk, name: 'Tim Tief', teamIds: [town.teams.tiefbau.id] });
    await server.startWorkers();
    [first, second, staff] = [await launchBrowser(), await launchBrowser(), await launchBrowser()];
  });

  afterAll(async () => {
    for (const b of [first, second, staff]) await b?.close();
    await server?.close();
  });

  async function fillReport(browser: Browser, text: string, email: string) {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page.getByLabel('Beschreibung').fill(text);
    await page.getByLabel('Störung').check();
    await page.getByLabel('Kategorie').selectOption({ label: 'Straßenbeleuchtung' });
    await page.getByRole('button', { name: 'Markierung in die Kartenmitte setzen' }).click();
    await page.getByLabel('E-Mail', { exact: false }).first().fill(email);
    await page.getByLabel('Datenschutz', { exact: false }).check();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    return page;
  }

  it('the first citizen reports a dark street lamp', async () => {
    const page = await fillReport(first, 'Die Laterne vor dem Rathaus ist seit drei Tagen dunkel.', 'erste@example.org');
    await page.waitForURL(/\/melden\/danke\//);
    firstNumber = /\d{4}-\d{5}/.exec((await page.textContent('main')) ?? '')?.[0] ?? '';
    expect(firstNumber).not.toBe('');
  });

  it('a second citizen reports the same lamp, is offered to follow, and follows', async () => {
    const page = await fillReport(second, 'Straßenlaterne am Rathaus dunkel', 'zweite@example.org');
    await page.waitForSelector('h1:has-text("Das wurde schon gemeldet")');
    await expectAccessible(page, 'duplicate offer');
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain(`Meldung ${firstNumber}`);
    expect(main).not.toContain('erste@example.org');
    await page.getByRole('button', { name: 'Dieser Meldung folgen' }).click();
    await page.waitForURL(/\/folgen\//);
    await expectAccessible(page, 'follower page');
    await expect(page.locator('main').textContent()).resolves.toContain(`Sie folgen der Meldung ${firstNumber}`);
    followUrl = page.url().replace('?neu=1', '');
  });

  it('the clerk merges an e-mail about the same lamp and resolves the report with a reply', async () => {
    const [lat, lon] = [47.6633, 9.1753 + 15 / 75_000];
    const mail = await fileCase(server, {
      channel: 'email',
      categoryId: town.categories.streetLight.id,
      description: 'Guten Tag, die Laterne am Rathaus ist kaputt und dunkel.',
      lat,
      lon,
      reporterEmail: 'dritte@example.org',
    });
    mergedTracking = `${server.baseUrl}/verfolgen/${mail.trackingToken}`;
    const page = await staff.newPage();
    await page.goto(`${server.baseUrl}/anmelden`);
    await page.getByLabel('E-Mail', { exact: false }).fill(clerk.email);
    await page.getByLabel('Passwort', { exact: false }).fill(clerk.password);
    await page.getByRole('button', { name: /anmelden/i }).click();
    await page.waitForURL(/\/staff/);
    await page.goto(`${server.baseUrl}/staff/faelle/${firstNumber}`);
    await expectAccessible(page, 'case page with duplicates');
    await page.getByRole('button', { name: new RegExp(`Zusammenführen \\(${firstNumber} bleibt`) }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${firstNumber}\\?ok=zusammengefuehrt`));
    await expectAccessible(page, 'case page after merge');
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Die Anliegen sind zusammengeführt');
    expect(main).toContain('dritte@example.org');
    expect(main).toContain('zweite@example.org');
    // What the follower wrote reached the clerk, marked as theirs.
    expect(main).toContain('Meldung einer weiteren Person, die diesem Anliegen folgt');
    expect(main).toContain('Straßenlaterne am Rathaus dunkel');

    await page.getByLabel('Antwort an die meldende Person').fill('Danke! Die Laterne leuchtet wieder.');
    await page.getByRole('button', { name: 'Antworten und erledigen' }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${firstNumber}\\?ok=antwort-erledigt`));

    // Each of the three gets exactly one mail about the fix, and every mail leaves the outbox.
    const about = await eventually(async () => {
      const rows = await outboxMails(server.db, { to: ['erste@example.org', 'zweite@example.org', 'dritte@example.org'] });
      const fixes = rows.filter((r) => /leuchtet wieder|ist erledigt|jetzt ist die Sache erledigt/.test(r.text));
      return fixes.length === 3 && fixes.every((r) => r.status !== 'queued' && r.status !== 'sending') ? fixes : null;
    });
    expect(about.map((m) => m.toAddress).sort()).toEqual(['dritte@example.org', 'erste@example.org', 'zweite@example.org']);
    const [mergedMail] = await outboxMails(server.db, { to: 'dritte@example.org', caseId: mail.caseId ?? 0 });
    expect(mergedMail?.subject).toContain(mail.number);
  });

  it("the follower's page and the merged report's tracking page show the resolution", async () => {
    const page = await second.newPage();
    await page.goto(followUrl);
    await expect(page.locator('main').textContent()).resolves.toContain('Erledigt!');
    await expectAccessible(page, 'follower page, resolved');
    await page.goto(mergedTracking);
    await expect(page.locator('main').textContent()).resolves.toContain('Erledigt – zusammen mit einer gleichen Meldung');
    await expectAccessible(page, 'tracking page of the merged report');
  });
});
