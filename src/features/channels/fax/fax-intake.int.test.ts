import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intakeDeps } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { makePdf, popplerAvailable } from '../../../../test/helpers/pdf.ts';
import { composeMail } from '../../../../test/helpers/raw-mail.ts';
import { attachments, cases, contacts, heldMessages, messages } from '../../../infra/schema/index.ts';
import { createEmailAccount } from '../accounts/service.ts';
import { mailHandler } from '../email/receive-mail.ts';
import { storeFaxPages } from './pages.ts';

const hasPoppler = popplerAvailable();
const GATEWAY = 'fax@telefon.musterstadt.example';

describeDb('faxes through the fax gateway: mails of a fax box become fax cases with their pages as photos', () => {
  let ctx: TestContext;
  let staff: TestUser;
  let accountId: number;
  const logLines: string[] = [];
  let uid = 0;

  beforeAll(async () => {
    ctx = await createTestContext({ logLines });
    await seedBasics(ctx.db);
    // Whichever team the routing picks, an admin sees the case.
    staff = await createUser(ctx, { role: 'admin' });
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Fax-Eingang',
      from: 'buergerservice@musterstadt.example',
      imapHost: '127.0.0.1',
      imapPort: 143,
      imapSecurity: 'plain',
      imapUser: 'fax',
      imapPassword: 'geheim',
      smtpHost: '127.0.0.1',
      smtpPort: 25,
      smtpSecurity: 'plain',
      faxSender: `^${GATEWAY.replace(/\./g, '\\.')}$`,
      faxSubject: '^Fax (von|from)',
    });
    accountId = account.id;
  }, 30_000);
  afterAll(async () => {
    await ctx?.close();
  });

  const handle = (raw: Buffer) => mailHandler(intakeDeps(ctx))(raw, { accountId, uid: ++uid, uidValidity: 1n, size: raw.length });
  const faxMail = async (pdf: Buffer, over: Record<string, unknown> = {}) =>
    composeMail({
      from: `Telefonanlage <${GATEWAY}>`,
      subject: 'Fax von +49 7531 12345',
      text: 'Sie haben ein Fax auf 07531 900-100 erhalten.',
      attachments: [{ filename: 'fax-20260501-1030.pdf', content: pdf, contentType: 'application/pdf' }],
      ...over,
    });
  const lastCase = async () => {
    const [row] = await ctx.db
      .select()
      .from(cases)
      .orderBy(asc(cases.id))
      .limit(1)
      .offset((await ctx.db.$count(cases)) - 1);
    if (!row) throw new Error('no case');
    const files = await ctx.db.select().from(attachments).where(eq(attachments.caseId, row.id)).orderBy(asc(attachments.id));
    const notes = await ctx.db.select().from(messages).where(eq(messages.caseId, row.id));
    const [contact] = row.contactId ? await ctx.db.select().from(contacts).where(eq(contacts.id, row.contactId)) : [];
    return { row, files, notes: notes.filter((m) => m.kind === 'note').map((m) => m.body), inbound: notes, contact };
  };
  const uploads = () => (existsSync(join(ctx.dataDir, 'uploads')) ? readdirSync(join(ctx.dataDir, 'uploads'), { recursive: true }) : []);

  it.skipIf(!hasPoppler)(
    'takes a gateway mail as a fax: pages as photos, the PDF kept, the number from the subject, no acknowledgement',
    async () => {
      const pdf = await makePdf(2);
      expect(await handle(await faxMail(pdf))).toBe('stored');
      const { row, files, notes, contact } = await lastCase();
      expect(row.channel).toBe('fax');
      expect(row.description).toBe('Fax mit 2 Seiten\n\nBetreff: Fax von +49 7531 12345\n\nSie haben ein Fax auf 07531 900-100 erhalten.');
      expect(row.reporterEmail).toBeNull();
      // Contacts store numbers in international form, as the capture form's do.
      expect(contact).toMatchObject({ kind: 'phone', address: '+49753112345' });

      const photos = files.filter((f) => f.kind === 'photo');
      expect(photos).toHaveLength(2);
      for (const p of photos) {
        expect(p).toMatchObject({ mimeType: 'image/png' });
        expect(p.thumbKey).toBeTruthy();
        expect(p.width).toBeGreaterThan(700);
        expect(p.height).toBeGreaterThan(p.width ?? 0);
      }
      const [kept] = files.filter((f) => f.kind === 'file');
      expect(kept).toMatchObject({ filename: 'fax-20260501-1030.pdf', mimeType: 'application/pdf', bytes: pdf.length });
      expect(Buffer.compare(await ctx.storage.get(kept?.storageKey ?? ''), pdf)).toBe(0);
      expect(await outboxMails(ctx.db, { caseId: row.id })).toEqual([]);
      expect(notes).toEqual([]);

      // The case page shows the pages as it shows any photo, and serves them.
      const page = await ctx.app.inject({ method: 'GET', url: `/staff/faelle/${row.number}`, headers: { cookie: staff.cookie } });
      expect(page.statusCode).toBe(200);
      for (const p of photos) expect(page.body).toContain(`/staff/faelle/${row.number}/fotos/${p.id}`);
      const image = await ctx.app.inject({
        method: 'GET',
        url: `/staff/faelle/${row.number}/fotos/${photos[0]?.id}`,
        headers: { cookie: staff.cookie },
      });
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
    },
  );

  it.skipIf(!hasPoppler)('keeps no page images of a mail it already took in', async () => {
    const raw = await faxMail(await makePdf(2), { messageId: '<fax-einmal@telefon.musterstadt.example>' });
    expect(await handle(raw)).toBe('stored');
    const before = uploads().length;
    expect(await handle(raw)).toBe('duplicate');
    expect(uploads()).toHaveLength(before);
  });

  it('takes a gateway fax that looks like a newsletter as a fax, not into "Nicht zugeordnet"', async () => {
    const raw = await faxMail(await makePdf(1), {
      messageId: '<fax-rundschreiben@telefon.musterstadt.example>',
      headers: { 'List-Unsubscribe': '<mailto:abmelden@telefon.musterstadt.example>', Precedence: 'bulk' },
    });
    expect(await handle(raw)).toBe('stored');
    const { row } = await lastCase();
    expect(row.channel).toBe('fax');
    expect(row.externalId).toBe('<fax-rundschreiben@telefon.musterstadt.example>');
    expect(await ctx.db.$count(heldMessages)).toBe(0);
  });

  it('still holds a newsletter from another sender of the fax box', async () => {
    const raw = await composeMail({
      from: 'Rundbrief <news@example.org>',
      subject: 'Fax von +49 7531 12345',
      text: 'Unser Angebot der Woche.',
      headers: { 'List-Unsubscribe': '<mailto:abmelden@example.org>' },
    });
    expect(await handle(raw)).toBe('held');
  });

  it('leaves a citizen mail in the same box an e-mail case with its acknowledgement', async () => {
    const raw = await composeMail({ subject: 'Schlagloch in der Hauptstraße', text: 'Vor Hausnummer 3 ist ein tiefes Loch.' });
    expect(await handle(raw)).toBe('stored');
    const { row } = await lastCase();
    expect(row.channel).toBe('email');
    expect(row.reporterEmail).toBe('erika@example.org');
    expect(await outboxMails(ctx.db, { caseId: row.id, to: 'erika@example.org' })).toHaveLength(1);
  });

  it.skipIf(!hasPoppler)('makes the case from a broken PDF, keeps the file and tells staff', async () => {
    const broken = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n');
    expect(await handle(await faxMail(broken, { subject: 'Fax from 07531 55555' }))).toBe('stored');
    const { row, files, notes, contact } = await lastCase();
    expect(row.channel).toBe('fax');
    expect(row.description).toMatch(/^Fax \(die Seiten ließen sich nicht lesen, siehe PDF im Anhang\)/);
    expect(contact).toMatchObject({ kind: 'phone', address: '+49753155555' });
    expect(files.map((f) => f.kind)).toEqual(['file']);
    expect(notes).toContain(
      'Das Fax „fax-20260501-1030.pdf“ ist beschädigt oder kein lesbares PDF, seine Seiten lassen sich nicht als Bilder zeigen. Das PDF liegt dem Anliegen bei.',
    );
  });

  it.skipIf(!hasPoppler)('says so when the PDF needs a password', async () => {
    expect(await handle(await faxMail(await makePdf(1, { userPassword: 'geheim' })))).toBe('stored');
    const { files, notes } = await lastCase();
    expect(files.map((f) => f.kind)).toEqual(['file']);
    expect(notes).toContain(
      'Das Fax „fax-20260501-1030.pdf“ ist mit einem Passwort geschützt, seine Seiten lassen sich nicht als Bilder zeigen. Das PDF liegt dem Anliegen bei.',
    );
  });

  it('without Poppler on the server: the case with the PDF, a note for staff and an error in the log', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(ctx.dataDir, 'nothing-here');
    try {
      expect(await handle(await faxMail(await makePdf(1)))).toBe('stored');
    } finally {
      process.env.PATH = path;
    }
    const { row, files, notes } = await lastCase();
    expect(row.channel).toBe('fax');
    expect(files.map((f) => f.kind)).toEqual(['file']);
    expect(notes).toContain(
      'Die Seiten des Faxes lassen sich nicht als Bilder zeigen: Auf dem Server fehlt das Programm pdftoppm (Debian-Paket poppler-utils). Das PDF liegt dem Anliegen bei.',
    );
    const errors = logLines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors.map((l) => l.msg)).toContain('pdftoppm/pdfinfo not found: install poppler-utils, fax pages are not shown as images');
  });

  it.skipIf(!hasPoppler)('shows at most the page limit as images and says that the PDF holds the rest', async () => {
    const pages = await storeFaxPages(ctx, [{ filename: 'lang.pdf', content: await makePdf(3) }], 2);
    expect(pages.photos).toHaveLength(2);
    expect(pages.pageCount).toBe(3);
    expect(pages.notes).toEqual([
      'Das Fax „lang.pdf“ hat 3 Seiten; als Bilder gezeigt werden die ersten 2 (höchstens 2 je Fax). Alle Seiten stehen im PDF.',
    ]);
  });

  it('notes a fax whose subject names no number, and has no contact then', async () => {
    expect(await handle(await faxMail(await makePdf(1), { subject: 'Fax von Unbekannt', attachments: [] }))).toBe('stored');
    const { row, notes } = await lastCase();
    expect(row.channel).toBe('fax');
    expect(row.contactId).toBeNull();
    expect(row.description.split('\n')[0]).toBe('Fax ohne PDF');
    expect(notes).toContain('Die Faxnummer des Absenders stand nicht im Betreff der Mail; sie steht vielleicht auf der ersten Seite.');
  });
});
