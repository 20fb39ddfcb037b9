import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cases, contacts, heldMessages, messages } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { fileCase } from '../helpers/cases.ts';
import { createUser, type TestUser } from '../helpers/context.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { startServer } from '../helpers/server.ts';

/**
 * The case page with what the channels bring (files, the contact panel with an undeliverable
 * address and a call back, the person's other cases, letter links) and "Nicht zugeordnet" with a
 * take over by click. axe checks both at desktop and phone width.
 */
describeBrowser('case page contact panel and "Nicht zugeordnet"', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let clerk: TestUser;
  let withLetter: string;
  let undeliverable: string;

  beforeAll(async () => {
    server = await startServer();
    const town = await seedBasics(server.db);
    clerk = await createUser(server, { name: 'Lea Leitstelle', teamIds: [town.teams.leitstelle.id] });
    const pdfKey = await server.storage.put(Buffer.from('%PDF-1.7\n%%EOF\n'), 'pdf');
    const call = await fileCase(server, {
      channel: 'phone',
      reporterName: 'Jürgen Müßig',
      contact: { kind: 'postal', address: 'Hafenstraße 3\n78462 Musterstadt', displayName: 'Jürgen Müßig' },
      moreContacts: [
        { kind: 'phone', address: '07531 900-123' },
        { kind: 'email', address: 'juergen@example.org' },
      ],
      callbackRequested: true,
      files: [{ storageKey: pdfKey, filename: 'Lageplan Hafenstraße.pdf', mimeType: 'application/pdf', bytes: 48_213 }],
    });
    withLetter = call.number;
    await server.db
      .insert(messages)
      .values({ caseId: call.caseId, kind: 'reply', channel: 'phone', authorUserId: clerk.id, body: 'Wir kümmern uns.' });
    await fileCase(server, { channel: 'email', reporterEmail: 'juergen@example.org', description: 'Noch eine Laterne ist aus.' });
    const mail = await fileCase(server, { channel: 'email', reporterName: 'Erika Muster', reporterEmail: 'erika@example.org' });
    const [row] = await server.db.select({ contactId: cases.contactId }).from(cases).where(eq(cases.id, mail.caseId));
    await server.db
      .update(contacts)
      .set({ undeliverableAt: new Date(), undeliverableReason: '5.1.1 Postfach unbekannt' })
      .where(eq(contacts.id, row?.contactId ?? 0));
    await server.db.insert(heldMessages).values([
      {
        externalId: '<news-1@example.org>',
        reason: 'Die Mail sieht nach einem Newsletter oder einer Listenmail aus.',
        sender: 'news@example.org',
        subject: 'Newsletter März',
        body: 'Liebe Leserinnen und Leser,\nhier sind die Neuigkeiten.',
      },
      {
        externalId: '<spam-1@example.org>',
        reason: 'Der Spamfilter hat die Mail als Spam markiert.',
        sender: 'paul@example.org',
        subject: 'Bank am Spielplatz kaputt',
        body: 'Die Bank am Spielplatz Seeweg ist gebrochen.',
      },
    ]);
    browser = await launchBrowser();
    const [name, value] = clerk.cookie.split('=') as [string, string];
    await browser.context.addCookies([{ name, value, url: server.baseUrl }]);
    undeliverable = mail.number;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('passes axe on the case page with files, contact, letter links and an undeliverable address at 1280 and 390 px', {
    timeout: 120_000,
  }, async () => {
    const page = await browser.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/staff/faelle/${withLetter}`);
      await page.getByRole('heading', { name: 'Kontakt', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Lageplan Hafenstraße.pdf' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Als Brief drucken' }).count()).toBe(1);
      expect(await page.getByText('Rückruf erwünscht').count()).toBe(1);
      expect(await page.getByRole('heading', { name: 'Weitere Anliegen dieser Person' }).count()).toBe(1);
      await expectAccessible(page, `case page with letter at ${width} px`);
      await page.goto(`${server.baseUrl}/staff/faelle/${undeliverable}`);
      await page.getByText('Diese Adresse ist nicht erreichbar').waitFor();
      await expectAccessible(page, `case page with undeliverable address at ${width} px`);
    }
    await page.close();
  });

  it('passes axe on "Nicht zugeordnet" at 1280 and 390 px and takes a mail over by click', { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${server.baseUrl}/staff`);
      await page.getByRole('link', { name: /Nicht zugeordnet 2 warten/ }).click();
      await page.getByRole('heading', { name: 'Newsletter März' }).waitFor();
      await expectAccessible(page, `Nicht zugeordnet at ${width} px`);
    }
    await page.locator('li', { hasText: 'Newsletter März' }).getByRole('button', { name: 'Verwerfen' }).click();
    await page.getByText('Die Nachricht ist verworfen.').waitFor();
    await expectAccessible(page, 'Nicht zugeordnet after discarding');
    await page.getByRole('button', { name: 'Als Anliegen übernehmen' }).click();
    await page.waitForURL(/\/staff\/faelle\/\d{4}-\d{5}\?ok=aus-nicht-zugeordnet$/);
    await page.getByText('Die Nachricht aus „Nicht zugeordnet“ ist jetzt dieses Anliegen.').waitFor();
    expect(await page.getByText('Die Bank am Spielplatz Seeweg ist gebrochen.').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'case taken over from Nicht zugeordnet');
    await page.goto(`${server.baseUrl}/staff/nicht-zugeordnet`);
    await page.getByText('Hier wartet nichts.', { exact: false }).waitFor();
    await expectAccessible(page, 'Nicht zugeordnet, empty');
    await page.close();
  });
});
