import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { attachments, cases, contacts, messages } from '../../infra/schema/index.ts';

/** What the case page shows of mail, phone and letter cases: files, the contact, letter links. */
describeDb('case page: files, contact and letters', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let tief: TestUser;

  const get = (url: string, user: TestUser | null = leit) =>
    ctx.app.inject({ url, headers: { accept: 'text/html', ...(user ? { cookie: user.cookie } : {}) } });
  const contactOf = async (caseId: number) => {
    const [row] = await ctx.db.select({ id: cases.contactId }).from(cases).where(eq(cases.id, caseId));
    return row?.id ?? 0;
  };
  const addReply = async (caseId: number) => {
    const [row] = await ctx.db
      .insert(messages)
      .values({ caseId, kind: 'reply', channel: 'phone', authorUserId: leit.id, body: 'Wir kümmern uns.' })
      .returning({ id: messages.id });
    return row?.id ?? 0;
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  it('lists the files of a case and downloads them only as attachments, to those who may see the case', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
    const html = Buffer.from('<script>alert(document.cookie)</script>');
    const pdfKey = await ctx.storage.put(pdf, 'pdf');
    const htmlKey = await ctx.storage.put(html, 'html');
    const gone = await ctx.storage.put(pdf, 'pdf');
    const c = await fileCase(ctx, {
      channel: 'email',
      files: [
        { storageKey: pdfKey, filename: 'Grundriss Müßig (Entwurf).pdf', mimeType: 'application/pdf', bytes: 12_800 },
        { storageKey: htmlKey, filename: 'seite.html', mimeType: 'text/html', bytes: html.length },
        { storageKey: gone, filename: 'weg.pdf', mimeType: 'application/pdf', bytes: 3_355_443 },
      ],
    });
    await ctx.storage.remove(gone);
    const files = await ctx.db.select().from(attachments).where(eq(attachments.caseId, c.caseId)).orderBy(attachments.id);
    const [pdfRow, htmlRow, goneRow] = files;
    const url = (id: number | undefined) => `/staff/faelle/${c.number}/dateien/${id}`;

    const pageBody = (await get(`/staff/faelle/${c.number}`)).body;
    expect(pageBody).toContain('Dateien</h2>');
    expect(pageBody).toContain(`href="${url(pdfRow?.id)}"`);
    expect(pageBody).toContain('Grundriss Müßig (Entwurf).pdf');
    expect(pageBody).toContain('(PDF-Dokument, 12,5 KB)');
    expect(pageBody).toContain('(PDF-Dokument, 3,2 MB)');
    // Files are no photos: no thumbnail is offered for them.
    expect(pageBody).not.toContain('/fotos/');

    const res = await get(url(pdfRow?.id));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Grundriss Mussig (Entwurf).pdf"; filename*=UTF-8''Grundriss%20M%C3%BC%C3%9Fig%20%28Entwurf%29.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(pdf)).toBe(true);

    const page = await get(url(htmlRow?.id));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('application/octet-stream');
    expect(page.headers['content-disposition']).toMatch(/^attachment; filename="seite\.html"/);
    expect(page.headers['content-security-policy']).toContain('sandbox');

    // The photo route never serves a file, inline, with its declared type.
    expect((await get(`/staff/faelle/${c.number}/fotos/${htmlRow?.id}`)).statusCode).toBe(404);

    const other = await get(url(pdfRow?.id), tief);
    expect(other.statusCode).toBe(404);
    expect(other.body).toContain('Dieses Anliegen gibt es nicht, oder Sie haben keinen Zugriff darauf.');
    const unknown = await get(url(999_999));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Diese Datei gibt es nicht.');
    expect((await get(`/staff/faelle/${c.number}/dateien/abc`)).statusCode).toBe(404);
    const missing = await get(url(goneRow?.id));
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Diese Datei ist nicht mehr vorhanden.');
    // Another case's number does not open this case's file.
    const elsewhere = await fileCase(ctx);
    expect((await get(`/staff/faelle/${elsewhere.number}/dateien/${pdfRow?.id}`)).statusCode).toBe(404);
    // Signed out: a browser is sent to the login page.
    expect((await get(url(pdfRow?.id), null)).statusCode).toBe(303);
  });

  it('warns when the address is undeliverable, with the reason', async () => {
    const c = await fileCase(ctx, { channel: 'email', reporterName: 'Erika Mustermann', reporterEmail: 'erika.bounce@example.org' });
    const clean = (await get(`/staff/faelle/${c.number}`)).body;
    expect(clean).toContain('Kontakt</h2>');
    expect(clean).toContain('href="mailto:erika.bounce@example.org"');
    expect(clean).not.toContain('Diese Adresse ist nicht erreichbar');

    await ctx.db
      .update(contacts)
      .set({ undeliverableAt: new Date('2026-03-05T10:00:00Z'), undeliverableReason: '5.1.1 Postfach unbekannt' })
      .where(eq(contacts.id, await contactOf(c.caseId)));
    const body = (await get(`/staff/faelle/${c.number}`)).body;
    expect(body).toContain('Diese Adresse ist nicht erreichbar');
    expect(body).toContain('Seit dem 05.03.2026 kommt nicht an, was wir an erika.bounce@example.org schicken (5.1.1 Postfach unbekannt).');
  });

  it('lists the other cases of the same person that the viewer may see, newest first, at most 10', async () => {
    const email = 'paul.viel@example.org';
    const first = await fileCase(ctx, { channel: 'email', reporterName: 'Paul Viel', reporterEmail: email });
    const person = await contactOf(first.caseId);
    // The same person on the phone: a contact linked to the e-mail contact.
    const [phone] = await ctx.db.insert(contacts).values({ kind: 'phone', address: '+4975311111', personId: person }).returning();
    const byPhone = await fileCase(ctx, { channel: 'phone', contact: { kind: 'phone', address: '+4975311111' } });
    expect(await contactOf(byPhone.caseId)).toBe(phone?.id);
    const hidden = await fileCase(ctx, { channel: 'email', reporterEmail: email });
    await ctx.db.update(cases).set({ teamId: town.teams.tiefbau.id }).where(eq(cases.id, hidden.caseId));
    const stranger = await fileCase(ctx, { channel: 'email', reporterEmail: 'jemand.anders@example.org' });

    const body = (await get(`/staff/faelle/${first.number}`)).body;
    expect(body).toContain('Weitere Anliegen dieser Person');
    expect(body).toContain(`href="/staff/faelle/${byPhone.number}"`);
    expect(body).not.toContain(`href="/staff/faelle/${first.number}"`);
    expect(body).not.toContain(`href="/staff/faelle/${hidden.number}"`);
    expect(body).not.toContain(`href="/staff/faelle/${stranger.number}"`);
    // From the phone contact's case, the person's e-mail case is found the other way round.
    expect((await get(`/staff/faelle/${byPhone.number}`)).body).toContain(`href="/staff/faelle/${first.number}"`);

    const more = [];
    for (let i = 0; i < 10; i++) more.push(await fileCase(ctx, { channel: 'email', reporterEmail: email }));
    const full = (await get(`/staff/faelle/${first.number}`)).body;
    const listed = [...full.matchAll(/href="\/staff\/faelle\/(\d{4}-\d+)"/g)].map((m) => m[1]);
    expect(listed).toEqual(more.map((m) => m.number).reverse());
  });

  it('shows "Rückruf erwünscht" with the number, and letter links beside replies only with a postal address', async () => {
    const call = await fileCase(ctx, {
      channel: 'phone',
      reporterName: 'Jürgen Müßig',
      contact: { kind: 'postal', address: 'Hafenstraße 3\n78462 Musterstadt', displayName: 'Jürgen Müßig' },
      moreContacts: [{ kind: 'phone', address: '07531 900-123' }],
      callbackRequested: true,
    });
    const replyId = await addReply(call.caseId);
    const body = (await get(`/staff/faelle/${call.number}`)).body;
    expect(body).toContain('Rückruf erwünscht');
    expect(body).toContain('href="tel:+497531900123"');
    expect(body).toContain('Hafenstraße 3\n78462 Musterstadt');
    expect(body).toContain(`href="/anliegen/${call.number}/brief/${replyId}"`);
    expect(body).toContain(`href="/anliegen/${call.number}/brief/${replyId}.pdf"`);
    expect(body).toContain('Als Brief drucken');
    // The link leads to a letter indeed.
    expect((await get(`/anliegen/${call.number}/brief/${replyId}`)).statusCode).toBe(200);

    const mail = await fileCase(ctx, { channel: 'email', reporterEmail: 'ohne.anschrift@example.org' });
    await addReply(mail.caseId);
    const plain = (await get(`/staff/faelle/${mail.number}`)).body;
    expect(plain).toContain('Wir kümmern uns.');
    expect(plain).not.toContain('Als Brief drucken');
    expect(plain).not.toContain('Rückruf erwünscht');
  });
});
