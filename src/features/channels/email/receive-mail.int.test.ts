import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeDeps } from '../../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { composeMail, rawMail } from '../../../../test/helpers/raw-mail.ts';
import { attachments, auditEvents, cases, contacts, heldMessages, messages } from '../../../infra/schema/index.ts';
import { createEmailAccount } from '../accounts/service.ts';
import type { MailHandler } from './intake-types.ts';
import { mailHandler } from './receive-mail.ts';

describeDb('mail into the one pipeline: cases, threads, loops, bounces, attachments', () => {
  let ctx: TestContext;
  let handle: MailHandler;
  let accountId: number;
  let fixtures: Awaited<ReturnType<typeof seedBasics>>;
  const meta = (uid: number) => ({ accountId, uid, uidValidity: 1n, size: 1000 });
  let uid = 0;
  const take = (raw: Buffer) => handle(raw, meta(++uid));

  beforeAll(async () => {
    ctx = await createTestContext();
    fixtures = await seedBasics(ctx.db);
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Bürgerservice',
      from: 'buergerservice@musterstadt.example',
      team: 'innovationsmanagement',
      imapHost: '127.0.0.1',
      imapPort: 1143,
      imapSecurity: 'plain',
      imapUser: 'postfach',
      imapPassword: 'geheim',
      smtpHost: '127.0.0.1',
      smtpPort: 2525,
      smtpSecurity: 'plain',
    });
    accountId = account.id;
    handle = mailHandler(intakeDeps(ctx));
  });
  afterAll(() => ctx?.close());

  const caseOf = async (id: number) => (await ctx.db.select().from(cases).where(eq(cases.id, id)))[0];
  const casesFrom = (messageId: string) =>
    ctx.db
      .select({ caseId: messages.caseId })
      .from(messages)
      .where(eq(messages.threadKey, `email:${messageId}`));

  it('a citizen mail becomes a case with its contact, the account, the default team and an acknowledgement from that mailbox', async () => {
    const raw = await composeMail({
      messageId: '<erste@example.org>',
      subject: 'Bank kaputt',
      text: 'Die Bank am Spielplatz ist kaputt.\n\n-- \nErika Mustermann\nTel. 0171 000000',
    });
    expect(await take(raw)).toBe('stored');
    const [hit] = await casesFrom('<erste@example.org>');
    const c = await caseOf(hit?.caseId ?? 0);
    expect(c).toMatchObject({ channel: 'email', channelAccountId: accountId, teamId: fixtures.teams.innovation.id });
    expect(c?.description).toContain('Betreff: Bank kaputt');
    expect(c?.description).toContain('Die Bank am Spielplatz ist kaputt.');
    expect(c?.description).not.toContain('0171');
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.id, c?.contactId ?? 0));
    expect(contact).toMatchObject({ kind: 'email', address: 'erika@example.org', displayName: 'Erika Mustermann' });
    const [ack] = await outboxMails(ctx.db, { caseId: c?.id ?? 0 });
    expect(ack).toMatchObject({
      toAddress: 'erika@example.org',
      channelAccountId: accountId,
      automatic: true,
      inReplyTo: '<erste@example.org>',
    });
    expect(ack?.references).toEqual(['<erste@example.org>']);
    // The same mail again (a crash between commit and flag): nothing new.
    expect(await take(raw)).toBe('duplicate');
    expect(await casesFrom('<erste@example.org>')).toHaveLength(1);
    expect(await outboxMails(ctx.db, { caseId: c?.id ?? 0 })).toHaveLength(1);
  });

  it('an answer to our mail joins its case; the case number in the subject only from the case contact', async () => {
    const first = await casesFrom('<erste@example.org>');
    const caseId = first[0]?.caseId ?? 0;
    const [ack] = await outboxMails(ctx.db, { caseId });
    const answer = await composeMail({
      messageId: '<antwort@example.org>',
      inReplyTo: ack?.messageId ?? '',
      references: ['<erste@example.org>', ack?.messageId ?? ''],
      subject: `AW: ${ack?.subject}`,
      text: 'Danke! Sie steht neben der Rutsche.\n\nAm 01.12.2026 um 10:00 schrieb Stadt Musterstadt:\n> Vielen Dank für Ihre Meldung',
    });
    expect(await take(answer)).toBe('stored');
    const thread = await ctx.db.select().from(messages).where(eq(messages.caseId, caseId)).orderBy(asc(messages.id));
    const inbound = thread.filter((m) => m.kind === 'inbound');
    expect(inbound).toHaveLength(2);
    expect(inbound[1]?.body).toContain('neben der Rutsche');
    expect(inbound[1]?.body).not.toContain('Vielen Dank für Ihre Meldung');
    const c = await caseOf(caseId);
    const bySubject = (from: string, id: string) =>
      composeMail({ from, messageId: id, subject: `Nachtrag [${c?.number}]`, text: 'Noch etwas: die Bank wackelt.' });
    expect(await take(await bySubject('Erika Mustermann <erika@example.org>', '<nachtrag@example.org>'))).toBe('stored');
    expect((await casesFrom('<nachtrag@example.org>'))[0]?.caseId).toBe(caseId);
    // Someone else typing the number does not write into Erika's case.
    expect(await take(await bySubject('Fremd <fremd@example.org>', '<fremd@example.org>'))).toBe('stored');
    expect((await casesFrom('<fremd@example.org>'))[0]?.caseId).not.toBe(caseId);
  });

  it('never answers a robot (RFC 3834): the case is made, no acknowledgement, a note says why', async () => {
    const raw = await composeMail({
      messageId: '<abwesend@example.org>',
      subject: 'Abwesenheitsnotiz',
      text: 'Ich bin bis Montag nicht im Büro, und die Ampel an der Ecke ist übrigens defekt.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await take(raw)).toBe('stored');
    const caseId = (await casesFrom('<abwesend@example.org>'))[0]?.caseId ?? 0;
    expect(await outboxMails(ctx.db, { caseId })).toHaveLength(0);
    const notes = await ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'note')));
    expect(notes.map((n) => n.body).join(' ')).toContain('Keine automatische Eingangsbestätigung');
  });

  it('a newsletter waits in "Nicht zugeordnet", once', async () => {
    const raw = await composeMail({
      messageId: '<news-1@verlag.example>',
      from: 'Verlag <news@verlag.example>',
      subject: 'Unser Dezember-Angebot',
      text: 'Jetzt zugreifen!',
      headers: { 'List-Unsubscribe': '<https://verlag.example/abmelden>', Precedence: 'bulk' },
    });
    expect(await take(raw)).toBe('held');
    expect(await take(raw)).toBe('duplicate');
    const held = await ctx.db.select().from(heldMessages).where(eq(heldMessages.externalId, '<news-1@verlag.example>'));
    expect(held).toHaveLength(1);
    expect(held[0]?.reason).toMatch(/Newsletter|Verteiler|Liste/);
    expect(await casesFrom('<news-1@verlag.example>')).toHaveLength(0);
  });

  it('a bounce marks the address undeliverable and notes it on the case; later answers are not mailed', async () => {
    const filed = await take(
      await composeMail({
        from: 'Tippfehler <tipp@exampel.org>',
        messageId: '<tipp@exampel.org>',
        subject: 'Laterne',
        text: 'Die Laterne flackert.',
      }),
    );
    expect(filed).toBe('stored');
    const caseId = (await casesFrom('<tipp@exampel.org>'))[0]?.caseId ?? 0;
    const [ack] = await outboxMails(ctx.db, { caseId });
    const dsn = rawMail(`From: MAILER-DAEMON@mail.musterstadt.example
To: buergerservice@musterstadt.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mail.musterstadt.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Die Mail konnte nicht zugestellt werden.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.musterstadt.example

Final-Recipient: rfc822; tipp@exampel.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b1
Content-Type: text/rfc822-headers

Message-ID: ${ack?.messageId}
To: tipp@exampel.org
Subject: ${ack?.subject}

--b1--
`);
    expect(await take(dsn)).toBe('stored');
    expect(await take(dsn)).toBe('duplicate');
    const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.address, 'tipp@exampel.org'));
    expect(contact?.undeliverableAt).toBeInstanceOf(Date);
    expect(contact?.undeliverableReason).toContain('5.1.1');
    const trail = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, 'bounced')));
    expect(trail).toHaveLength(1);
    // No case for the bounce itself.
    expect(await casesFrom('<dsn-1@mail.musterstadt.example>')).toHaveLength(1);
    expect((await casesFrom('<dsn-1@mail.musterstadt.example>'))[0]?.caseId).toBe(caseId);
  });

  describe('attachments', () => {
    it('photos go through the photo pipeline (no EXIF), PDFs are kept as files, programs are refused with a note', async () => {
      const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
        .jpeg()
        .withExif({ IFD0: { Artist: 'Erika Mustermann' } })
        .toBuffer();
      const raw = await composeMail({
        messageId: '<anhaenge@example.org>',
        subject: 'Schlagloch',
        text: 'Foto und Plan anbei.',
        attachments: [
          { filename: 'schlagloch.jpg', content: photo, contentType: 'image/jpeg' },
          {
            filename: 'lageplan.pdf',
            content: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
            contentType: 'application/pdf',
          },
          { filename: 'rechnung.exe', content: Buffer.from('MZ\x90\x00programm'), contentType: 'application/octet-stream' },
        ],
      });
      expect(await take(raw)).toBe('stored');
      const caseId = (await casesFrom('<anhaenge@example.org>'))[0]?.caseId ?? 0;
      const files = await ctx.db.select().from(attachments).where(eq(attachments.caseId, caseId)).orderBy(asc(attachments.id));
      expect(files.map((f) => [f.kind, f.filename ?? f.mimeType])).toEqual([
        ['photo', 'image/jpeg'],
        ['file', 'lageplan.pdf'],
      ]);
      const stored = await ctx.storage.get(files[0]?.storageKey ?? '');
      expect((await sharp(stored).metadata()).exif).toBeUndefined();
      const notes = await ctx.db
        .select()
        .from(messages)
        .where(and(eq(messages.caseId, caseId), eq(messages.kind, 'note')));
      expect(notes.map((n) => n.body).join(' ')).toContain('rechnung.exe');
    });

    it('a mail with only an attachment and an empty mail still say what they are', async () => {
      const onlyPdf = await composeMail({
        messageId: '<nur-pdf@example.org>',
        subject: '',
        text: '',
        attachments: [{ filename: 'antrag.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), contentType: 'application/pdf' }],
      });
      expect(await take(onlyPdf)).toBe('stored');
      const c = await caseOf((await casesFrom('<nur-pdf@example.org>'))[0]?.caseId ?? 0);
      expect(c?.description).toBe('Die Mail enthielt nur Anhänge.');
      const empty = await composeMail({ messageId: '<leer@example.org>', subject: '', text: '' });
      expect(await take(empty)).toBe('held');
    });
  });

  it('broken MIME and a header injection attempt still make one clean case', async () => {
    const broken = rawMail(`From: Max <max@example.org>
Subject: =?utf-8?B?SGFsbG8NCkJjYzogYm9zZUBleGFtcGxlLm9yZw==?=
Message-ID: <kaputt@example.org>
Content-Type: multipart/mixed; boundary="fehlt"

Die Mülltonne wurde nicht geleert.
`);
    expect(await take(broken)).toBe('stored');
    const c = await caseOf((await casesFrom('<kaputt@example.org>'))[0]?.caseId ?? 0);
    expect(c?.description).toContain('Mülltonne');
    expect(c?.description.split('\n')[0]).not.toMatch(/\r|\nBcc/);
    const [ack] = await outboxMails(ctx.db, { caseId: c?.id ?? 0 });
    expect(ack?.toAddress).toBe('max@example.org');
  });
});
