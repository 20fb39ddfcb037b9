import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browser, describeBrowser, expectAccessible, launchBrowser, signInThroughForm } from '../helpers/browser.ts';
import { createUser, type TestContext } from '../helpers/context.ts';
import { freePort } from '../helpers/dovecot.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';
import { startSmtpPeer } from '../helpers/smtp-peer.ts';

/**
 * An administrator adds a mailbox on /admin/kanaele, corrects a mistake, tests the connection
 * (the IMAP port is closed, the SMTP peer is real) and reads the result. axe checks every page.
 */
describeBrowser('admin: channel accounts', () => {
  let server: TestContext & { baseUrl: string };
  let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
  let browser: Browser;
  const admin = { email: 'ada.admin@musterstadt.example', password: 'ein-sehr-gutes-passwort' };

  beforeAll(async () => {
    [server, smtp] = await Promise.all([startServer(), startSmtpPeer({ user: 'versand', password: 'smtp-geheim' })]);
    await seedBasics(server.db);
    await createUser(server, { ...admin, name: 'Ada Admin', role: 'admin' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), smtp?.close()]);
  });

  it('adds a mailbox, tests it and passes axe on every page', { timeout: 120_000 }, async () => {
    const closedImap = await freePort();
    const page = await signInThroughForm(browser, server.baseUrl, admin, '/admin');
    await page.getByRole('link', { name: 'Kanäle' }).click();
    await page.getByRole('heading', { name: 'Neues E-Mail-Postfach' }).waitFor();
    await expectAccessible(page, 'channel list, empty');

    await page.getByLabel('Name des Postfachs').fill('Bürgerservice');
    await page.getByLabel('Absenderadresse').fill('buergerservice-ohne-at');
    await page.getByLabel('Team für neue Anliegen').selectOption('leitstelle');
    await page.getByLabel('IMAP-Server').fill('127.0.0.1');
    await page.getByLabel('IMAP-Port').fill(String(closedImap));
    await page
      .getByLabel(/^unverschlüsselt \(nur im internen Netz/)
      .first()
      .check();
    await page.getByLabel('Benutzername (IMAP)').fill('postfach');
    await page.getByLabel('Passwort (IMAP)').fill('imap-geheim');
    await page.getByLabel('SMTP-Server').fill('127.0.0.1');
    await page.getByLabel('SMTP-Port').fill(String(smtp.port));
    await page
      .getByLabel(/^unverschlüsselt \(nur im internen Netz/)
      .last()
      .check();
    await page.getByLabel('Benutzername (SMTP)').fill('versand');
    await page.getByLabel('Passwort (SMTP)').fill('smtp-geheim');
    await page.getByRole('button', { name: 'Postfach anlegen' }).click();
    await page.getByRole('heading', { name: 'Bitte prüfen Sie Ihre Angaben' }).waitFor();
    expect(await page.getByLabel('Passwort (IMAP)').inputValue()).toBe('');
    await expectAccessible(page, 'new channel with errors');

    await page.getByLabel('Absenderadresse').fill('buergerservice@musterstadt.example');
    await page.getByLabel('Passwort (IMAP)').fill('imap-geheim');
    await page.getByLabel('Passwort (SMTP)').fill('smtp-geheim');
    await page.getByRole('button', { name: 'Postfach anlegen' }).click();
    await page.getByRole('heading', { name: 'Postfach: Bürgerservice' }).waitFor();
    await expectAccessible(page, 'edit channel');

    await page.getByRole('button', { name: 'Verbindung testen' }).click();
    await page.getByText(`IMAP: Server nicht erreichbar (127.0.0.1:${closedImap})`).first().waitFor();
    await page.getByText('SMTP: Anmeldung erfolgreich, der Server nimmt Mails an.').waitFor();
    expect(await page.content()).not.toContain('geheim');
    await expectAccessible(page, 'channel test result');

    await page.getByRole('link', { name: 'Kanäle' }).click();
    await page.getByRole('cell', { name: 'gestört' }).waitFor();
    await expectAccessible(page, 'channel list');
  });
});
