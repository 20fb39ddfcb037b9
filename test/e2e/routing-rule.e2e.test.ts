import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyTemplates, slaPolicies } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * The routing journey of the workflows issue: an administrator writes a rule in the browser (with a
 * dry run first) → a citizen's report is routed by it → the Tiefbauamt clerk sees it with its SLA
 * clock, reads in the audit trail which rule sent it, and answers with a Textbaustein.
 */
describeBrowser('rule → routed report → clock and Textbaustein answer', () => {
  let server: TestContext & { baseUrl: string };
  // The administrator works in one browser; citizen and clerk share another (the citizen has no session).
  let adminBrowser: Browser;
  let browser: Browser;
  const admin = { email: 'ada@musterstadt.example', password: 'ein-sehr-gutes-passwort' };
  const clerk = { email: 'tim.tief@musterstadt.example', password: 'noch-ein-gutes-passwort' };

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' });
    await createUser(server, { ...clerk, name: 'Tim Tief', teamIds: [town.teams.tiefbau.id] });
    await server.db.insert(slaPolicies).values({ name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 });
    await server.db.insert(replyTemplates).values({
      teamId: town.teams.tiefbau.id,
      title: 'Laterne kommt dran',
      body: 'Danke, {{name}}! Die Laterne zu {{vorgang}} steht auf unserer Liste.',
    });
    adminBrowser = await launchBrowser();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await adminBrowser?.close();
    await browser?.close();
    await server?.close();
  });

  const signIn = (in_: Browser, who: { email: string; password: string }, path: string) =>
    signInThroughForm(in_, server.baseUrl, who, path);

  let caseNumber = '';

  it('an administrator writes a rule: words "Laterne" → Tiefbauamt, tries it, saves it', { timeout: 120_000 }, async () => {
    const page = await signIn(adminBrowser, admin, '/admin/regeln/neu');
    await expectAccessible(page, 'new rule');
    await page.getByLabel('Name der Regel').fill('Laternen ans Tiefbauamt');
    await page.getByLabel('Weitere Bedingung').selectOption({ label: 'Wörter im Text' });
    await page.getByRole('button', { name: 'Bedingung hinzufügen' }).click();
    await page.getByLabel('Wörter', { exact: true }).fill('Laterne, Straßenlampe');
    // And a group: the report came by web form or by e-mail.
    await page.getByLabel('Weitere Bedingung').selectOption({ label: 'Gruppe: alle oder eine von mehreren Bedingungen' });
    await page.getByRole('button', { name: 'Bedingung hinzufügen' }).click();
    await page.getByLabel('Bedingung für diese Gruppe').selectOption({ label: 'Kanal' });
    await page.getByRole('button', { name: 'Zur Gruppe hinzufügen' }).click();
    await page.locator('input[name="c-1-0-list"][value="web"]').check();
    await page.locator('input[name="c-1-0-list"][value="email"]').check();
    await expectAccessible(page, 'rule with a group of conditions');
    // A new rule starts with one "An ein Team weiterleiten" row.
    await page.locator('#a-0-value').selectOption({ label: 'Tiefbauamt' });
    await page.getByRole('button', { name: 'Probelauf' }).click();
    await page.getByText('Probelauf', { exact: false }).first().waitFor();
    await expectAccessible(page, 'rule dry run');
    await page.getByRole('button', { name: 'Regel speichern' }).click();
    await page.waitForURL(/\/admin\/regeln\/\d+\?hinweis=gespeichert/);
    await page.goto(`${server.baseUrl}/admin/regeln`);
    await page.getByRole('link', { name: 'Laternen ans Tiefbauamt' }).waitFor();
    await expectAccessible(page, 'rule list');
  });

  it('a citizen reports a dark street lamp and the rule routes it', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/melden`);
    await page.getByLabel('Beschreibung').fill('Die Laterne am Spielplatz Gartenstraße ist seit Tagen dunkel.');
    await page.getByLabel('Störung').check();
    await page.getByLabel('Datenschutz', { exact: false }).first().check();
    await page.getByRole('button', { name: 'Anliegen absenden' }).click();
    await page.waitForURL(/\/melden\/danke\//);
    caseNumber = /\d{4}-\d{5,}/.exec((await page.textContent('main')) ?? '')?.[0] ?? '';
    expect(caseNumber).not.toBe('');
  });

  it('the Tiefbauamt clerk sees it with its clock, the rule in the audit trail, and answers with a Textbaustein', {
    timeout: 120_000,
  }, async () => {
    const page = await signIn(browser, clerk, '/staff');
    const row = page.getByRole('row', { name: new RegExp(caseNumber) });
    await expect(row.textContent()).resolves.toMatch(/im Plan|bald fällig/);
    await expectAccessible(page, 'inbox with clocks');
    await page.getByRole('link', { name: caseNumber }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${caseNumber}`));
    await expect(page.locator('main').textContent()).resolves.toContain('Regel „Laternen ans Tiefbauamt“');
    await page.getByLabel('Textbaustein').selectOption({ label: 'Laterne kommt dran' });
    await page.getByRole('button', { name: 'Einfügen' }).click();
    const reply = page.getByLabel('Antwort an die meldende Person');
    await expect(reply.inputValue()).resolves.toContain(`Die Laterne zu ${caseNumber} steht auf unserer Liste.`);
    await page.getByRole('button', { name: 'Antwort senden', exact: true }).click();
    await page.waitForURL(new RegExp(`/staff/faelle/${caseNumber}`));
    await expect(page.locator('main').textContent()).resolves.toContain('steht auf unserer Liste');
    await expectAccessible(page, 'case page after the answer');
  });
});
