import { and, eq } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailAccount } from '../../src/features/channels/accounts/service.ts';
import { cases, messages } from '../../src/infra/schema/index.ts';
import { type Browser, describeBrowser, expectAccessible, launchBrowser } from '../helpers/browser.ts';
import { createUser, eventually, type TestContext, type TestUser } from '../helpers/context.ts';
import { type Dovecot, dovecotAvailable, startDovecot } from '../helpers/dovecot.ts';
import { seedBasics } from '../helpers/fixtures.ts';
import { mailboxClient } from '../helpers/mailbox.ts';
import { outboxMails } from '../helpers/outbox.ts';
import { composeMail } from '../helpers/raw-mail.ts';
import { startServer } from '../helpers/server.ts';
import { startSmtpPeer } from '../helpers/smtp-peer.ts';

const hasDovecot = dovecotAvailable();
const TOWN_BOX = 'buergerservice@musterstadt.example';
const CITIZEN = 'erika@example.org';

/** Message-IDs of a header value, with their angle brackets, in order. */
const ids = (value: string | string[] | undefined) => [value ?? []].flat().flatMap((v) => v.match(/<[^>]+>/g) ?? []);

/**
 * E-mail as a channel, end to end: a citizen's mail lands in a real Dovecot box → the IMAP intake
 * (IDLE) takes it through the real pipeline → the Leitstelle clerk hears of it live in the inbox,
 * opens it and answers in Chromium → the answer leaves through the mailbox's SMTP (a real peer),
 * threaded to the citizen's mail and our acknowledgement → the citizen's answer to it joins the
 * same case. A robot's mail (Auto-Submitted) gets no acknowledgement. axe checks the pages.
 */
describeBrowser('mail: citizen mail → live inbox → answer by SMTP → reply threads back', () => {
  describe.skipIf(!hasDovecot)('with a real Dovecot and SMTP peer', () => {
    let server: TestContext & { baseUrl: string };
    let imap: Dovecot;
    let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
    let box: ImapFlow;
    let browser: Browser;
    let clerk: TestUser;
    let admin: TestUser;
    let leitstelleId: number;

    const signIn = async (user: TestUser) => {
      const [name, value] = user.cookie.split('=') as [string, string];
      await browser.context.addCookies([{ name, value, url: server.baseUrl }]);
    };
    const received = (to: string) => smtp.received.filter((m) => m.to.includes(to));
    const parsed = async (i: number, to = CITIZEN) => simpleParser((await eventually(async () => received(to)[i], 20_000)).raw);
    const caseOf = (messageId: string) =>
      eventually(async () => {
        const [row] = await server.db
          .select({ id: cases.id, number: cases.number, teamId: cases.teamId })
          .from(messages)
          .innerJoin(cases, eq(cases.id, messages.caseId))
          .where(and(eq(messages.kind, 'inbound'), eq(messages.threadKey, `email:${messageId}`)));
        return row;
      }, 20_000);
    const accessibleAtBothWidths = async (page: Page, label: string) => {
      for (const [width, height] of [
        [1280, 800],
        [390, 844],
      ] as const) {
        await page.setViewportSize({ width, height });
        await expectAccessible(page, `${label} at ${width} px`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    };

    beforeAll(async () => {
      [imap, smtp, server] = await Promise.all([
        startDovecot({ password: 'imap-Kennwort-7' }),
        startSmtpPeer({ user: 'versand', password: 'smtp-geheim' }),
        startServer({ mailHandler: 'pipeline' }),
      ]);
      const town = await seedBasics(server.db);
      leitstelleId = town.teams.leitstelle.id;
      clerk = await createUser(server, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
      admin = await createUser(server, { role: 'admin', name: 'Ada Admin' });
      await createEmailAccount({ db: server.db, log: server.log, secrets: server.secrets, clock: server.clock }, null, {
        name: 'Bürgerservice',
        from: TOWN_BOX,
        imapHost: imap.host,
        imapPort: imap.port,
        imapSecurity: 'plain',
        imapUser: imap.user,
        imapPassword: imap.password,
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpSecurity: 'plain',
        smtpUser: 'versand',
        smtpPassword: 'smtp-geheim',
      });
      box = await mailboxClient(imap);
      await server.startWorkers();
      if (!server.mailIntake) throw new Error('the test app has no mail intake');
      await server.mailIntake.start();
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await box?.logout().catch(() => {});
      await browser?.close();
      await Promise.all([server?.close(), imap?.stop(), smtp?.close()]);
    });

    it('takes a citizen mail in live, answers it threaded by SMTP, and threads the citizen’s reply into the same case', {
      timeout: 180_000,
    }, async () => {
      await signIn(clerk);
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      const streamOpen = page.waitForResponse((r) => new URL(r.url()).pathname === '/staff/live');
      await page.goto(`${server.baseUrl}/staff`);
      expect((await streamOpen).status()).toBe(200);

      // 1. The citizen's mail arrives in the town mailbox.
      const started = Date.now();
      const citizenId = '<laterne-1@example.org>';
      await box.append(
        'INBOX',
        await composeMail({
          to: TOWN_BOX,
          subject: 'Straßenlaterne kaputt',
          messageId: citizenId,
          text: 'Guten Tag,\n\ndie Straßenlaterne vor der Hafenstraße 12 ist seit Montag dunkel. Bitte reparieren Sie sie.\n\nErika Mustermann',
        }),
      );

      // 2. The inbox hears of it without a reload, and shows it routed to the Leitstelle.
      await page.getByRole('status').getByText('1 neues Anliegen.').waitFor({ timeout: 20_000 });
      const live = Date.now() - started;
      const kase = await caseOf(citizenId);
      expect(kase.teamId).toBe(leitstelleId);
      await page.getByRole('link', { name: 'aktualisieren' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: kase.number }) });
      await expect(row.textContent()).resolves.toContain('Leitstelle');
      await expect(row.textContent()).resolves.toContain('Straßenlaterne');

      // 3. Our acknowledgement left through the mailbox's SMTP, marked automatic and threaded.
      const ack = await parsed(0);
      expect(ack.from?.value[0]?.address).toBe(TOWN_BOX);
      expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
      expect(ids(ack.inReplyTo)).toEqual([citizenId]);
      const ackId = ack.messageId ?? '';
      expect(ackId).toMatch(/^<.+@.+>$/);

      // 4. The clerk opens the case and answers in the browser.
      await page.getByRole('link', { name: kase.number }).click();
      await page.waitForURL(`${server.baseUrl}/staff/faelle/${kase.number}`);
      await expect(page.locator('main').textContent()).resolves.toContain('Hafenstraße 12');
      await accessibleAtBothWidths(page, 'case page of a mail case');
      await page
        .getByLabel('Antwort an die meldende Person')
        .fill('Danke für Ihre Meldung! Der Elektriker tauscht morgen das Leuchtmittel.');
      const sent = Date.now();
      await page.getByRole('button', { name: /^Antwort senden/ }).click();
      await page.waitForURL(new RegExp(`/staff/faelle/${kase.number}`));
      await expect(page.locator('main').textContent()).resolves.toContain('tauscht morgen das Leuchtmittel');

      // 5. The SMTP peer gets the answer from the mailbox's address, threaded to both earlier mails.
      const answer = await parsed(1);
      const answered = Date.now() - sent;
      expect(answer.from?.value[0]?.address).toBe(TOWN_BOX);
      expect(answer.text).toContain('tauscht morgen das Leuchtmittel');
      expect(answer.headers.get('auto-submitted')).toBeUndefined();
      expect(ids(answer.references)).toEqual([citizenId, ackId]);
      // In-Reply-To names the citizen's mail that is answered (RFC 5322), References the whole thread.
      expect(ids(answer.inReplyTo)).toEqual([citizenId]);
      const answerId = answer.messageId ?? '';
      expect(answerId).not.toBe(ackId);

      // 6. The citizen answers that mail; it joins the same case and shows in its thread.
      const caseStream = page.waitForResponse((r) => r.url().includes('/staff/live?fall='));
      await page.reload();
      expect((await caseStream).status()).toBe(200);
      const replied = Date.now();
      const replyId = '<laterne-2@example.org>';
      await box.append(
        'INBOX',
        await composeMail({
          to: TOWN_BOX,
          subject: `Re: ${answer.subject}`,
          messageId: replyId,
          inReplyTo: answerId,
          references: [citizenId, ackId, answerId],
          text: `Vielen Dank, das ging schnell!\n\nAm Dienstag schrieb ${TOWN_BOX}:\n> Danke für Ihre Meldung!`,
        }),
      );
      await page
        .getByRole('status')
        .getByText(/^Dieses Anliegen wurde gerade von .+ geändert\./)
        .waitFor({ timeout: 20_000 });
      expect((await caseOf(replyId)).id).toBe(kase.id);
      await page.getByRole('link', { name: 'neu laden' }).click();
      await page.getByText('Vielen Dank, das ging schnell!').waitFor();
      const threaded = Date.now() - replied;

      // 7. A second answer under a subject of the citizen's own (no case number in it): only
      //    In-Reply-To/References can put it into the case.
      const addendumId = '<laterne-3@example.org>';
      await box.append(
        'INBOX',
        await composeMail({
          to: TOWN_BOX,
          subject: 'Nachtrag: die Nachbarlaterne auch',
          messageId: addendumId,
          inReplyTo: answerId,
          references: [citizenId, ackId, answerId],
          text: 'Die Laterne gegenüber, vor Nummer 15, flackert übrigens auch.',
        }),
      );
      expect((await caseOf(addendumId)).id).toBe(kase.id);
      await page.reload();
      await page.getByText('vor Nummer 15, flackert übrigens auch').waitFor();
      const total = Date.now() - started;
      expect(await server.db.select({ id: cases.id }).from(cases)).toHaveLength(1);
      // Follow-ups are no new reports: no further acknowledgement (the delivery job polls every 0.5 s).
      await new Promise((r) => setTimeout(r, 1500));
      expect((await outboxMails(server.db, { caseId: kase.id })).map((m) => m.messageId)).toEqual([ackId, answerId]);
      expect(received(CITIZEN)).toHaveLength(2);
      process.stderr.write(
        `\nmail flow: citizen mail → live notice ${live} ms; "Antwort senden" → answer at the SMTP peer ${answered} ms; ` +
          `citizen's reply appended → shown in the thread ${threaded} ms; whole flow (axe included) ${total} ms\n`,
      );
    });

    it('gives a mail marked Auto-Submitted no acknowledgement, and says so on its case', { timeout: 60_000 }, async () => {
      const robot = 'abwesend@example.net';
      const robotId = '<abwesend-1@example.net>';
      await box.append(
        'INBOX',
        await composeMail({
          from: `Abwesenheitsnotiz <${robot}>`,
          to: TOWN_BOX,
          subject: 'Automatische Antwort: Laterne',
          messageId: robotId,
          headers: { 'Auto-Submitted': 'auto-replied' },
          text: 'Ich bin bis Montag nicht im Büro. Die Laterne in der Bahnhofstraße ist übrigens auch aus.',
        }),
      );
      const kase = await caseOf(robotId);
      // The delivery job runs every half second; give it time to send anything it would.
      await new Promise((r) => setTimeout(r, 2000));
      expect(await outboxMails(server.db, { caseId: kase.id })).toEqual([]);
      expect(received(robot)).toEqual([]);
      await signIn(clerk);
      const page = await browser.newPage();
      await page.goto(`${server.baseUrl}/staff/faelle/${kase.number}`);
      await page.getByText(/Keine automatische Eingangsbestätigung: Die Mail wurde automatisch erzeugt/).waitFor();
    });

    it('passes axe on /admin/kanaele at 1280 and 390 px', { timeout: 60_000 }, async () => {
      await signIn(admin);
      const page = await browser.newPage();
      await page.goto(`${server.baseUrl}/admin/kanaele`);
      await page.getByRole('link', { name: 'Bürgerservice' }).waitFor();
      await accessibleAtBothWidths(page, '/admin/kanaele');
    });
  });
});
