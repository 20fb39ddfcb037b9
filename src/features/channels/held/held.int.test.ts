import { asc, eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { intakeDeps, postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../../test/helpers/outbox.ts';
import { composeMail } from '../../../../test/helpers/raw-mail.ts';
import { attachments, cases, contacts, heldMessages, messages } from '../../../infra/schema/index.ts';
import { createEmailAccount } from '../accounts/service.ts';
import { mailHandler } from '../email/receive-mail.ts';

const LIST = '/staff/nicht-zugeordnet';

/** "Nicht zugeordnet": what the mail intake held, taken over through the pipeline or discarded. */
describeDb('Nicht zugeordnet', () => {
  let ctx: TestContext;
  let leit: TestUser;
  let accountId: number;
  let n = 0;

  const get = (url: string, user: TestUser = leit) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });
  const act = (id: number | string, action: 'uebernehmen' | 'verwerfen', user: TestUser = leit) =>
    postForm(ctx, LIST, `${LIST}/${id}/${action}`, user.cookie, {});
  const heldRow = async (id: number) => (await ctx.db.select().from(heldMessages).where(eq(heldMessages.id, id)))[0];
  /** A mail through the real mail handler, which holds it; returns the held row's id. */
  const holdMail = async (
    headers: Record<string, string>,
    subject: string,
    text: string,
    from = 'Erika Mustermann <erika@example.org>',
    more: Parameters<typeof composeMail>[0] = {},
  ) => {
    n += 1;
    const raw = await composeMail({ from, subject, text, headers, messageId: `<held-${n}@example.org>`, ...more });
    const result = await mailHandler(intakeDeps(ctx))(raw, { accountId, uid: n, uidValidity: 1n, size: raw.length });
    expect(result).toBe('held');
    const [row] = await ctx.db
      .select()
      .from(heldMessages)
      .where(eq(heldMessages.externalId, `<held-${n}@example.org>`));
    return row?.id ?? 0;
  };
  const casesFrom = async (id: number) => {
    const held = await heldRow(id);
    return ctx.db
      .select()
      .from(cases)
      .where(eq(cases.externalId, `held:${held?.externalId}`));
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    const town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    const account = await createEmailAccount({ db: ctx.db, log: ctx.log, secrets: ctx.secrets, clock: ctx.clock }, null, {
      name: 'Bürgerservice',
      from: 'buergerservice@musterstadt.example',
      imapHost: '127.0.0.1',
      imapPort: 143,
      imapSecurity: 'plain',
      imapUser: 'buergerservice',
      imapPassword: 'imap-Kennwort-5',
      mailbox: 'INBOX',
      smtpHost: '127.0.0.1',
      smtpPort: 25,
      smtpSecurity: 'plain',
      team: 'leitstelle',
    });
    accountId = account.id;
  });
  afterAll(() => ctx.close());

  const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const withFiles = async () => ({
    attachments: [
      {
        filename: 'muell.jpg',
        content: await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a3' } })
          .jpeg()
          .withExif({ IFD0: { Artist: 'Erika Mustermann' } })
          .toBuffer(),
        contentType: 'image/jpeg',
      },
      { filename: 'lageplan.pdf', content: PDF, contentType: 'application/pdf' },
    ],
  });
  const rawKeyOf = async (id: number) => ((await heldRow(id))?.details as { rawKey?: string } | undefined)?.rawKey ?? '';
  const stored = (key: string) =>
    ctx.storage.get(key).then(
      () => true,
      () => false,
    );

  it('lists what waits, newest first, with sender, subject, reason and the first lines, and counts it in the navigation', async () => {
    const news = await holdMail({ 'List-Id': '<news.example.org>' }, 'Newsletter März', 'Zeile eins\nZeile zwei\nZeile drei\nZeile vier');
    const spam = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Gewinn!', 'Sie haben gewonnen.', 'Gewinner <win@spam.example>');
    await ctx.db
      .update(heldMessages)
      .set({ receivedAt: new Date(Date.now() - 60_000) })
      .where(eq(heldMessages.id, news));
    const res = await get(LIST);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('<h1 class="kern-heading-large">Nicht zugeordnet</h1>');
    expect(body).toContain('Newsletter März');
    expect(body).toContain('Von erika@example.org');
    expect(body).toContain('Die Mail sieht nach einem Newsletter oder einer Listenmail aus.');
    expect(body).toContain('Der Spamfilter hat die Mail als Spam markiert.');
    expect(body).toContain('Zeile eins\nZeile zwei\nZeile drei …');
    expect(body).not.toContain('Zeile vier');
    expect(body.indexOf('Gewinn!')).toBeLessThan(body.indexOf('Newsletter März'));
    expect(body).toContain(`action="${LIST}/${spam}/uebernehmen"`);
    expect(body).toContain(`action="${LIST}/${news}/verwerfen"`);
    // The navigation of every staff page counts what waits.
    const inbox = (await get('/staff')).body;
    expect(inbox).toMatch(
      /href="\/staff\/nicht-zugeordnet">Nicht zugeordnet<span class="kern-badge[^"]*"><span class="kern-label">2<span class="kern-sr-only"> warten/,
    );
  });

  it('pages newest first without gaps or repeats, also between items received at the same moment', async () => {
    await ctx.db.delete(heldMessages);
    const at = new Date('2026-03-01T09:00:00Z');
    const rows = await ctx.db
      .insert(heldMessages)
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          externalId: `page-${i}`,
          reason: 'Der Spamfilter hat die Mail als Spam markiert.',
          subject: `Betreff Nummer ${i}`,
          body: 'Text',
          // Pairs share their moment: the id orders them.
          receivedAt: new Date(at.getTime() + Math.floor(i / 2) * 1000),
        })),
      )
      .returning({ id: heldMessages.id });
    const first = await get(LIST);
    const idsOn = (html: string) => [...html.matchAll(/nicht-zugeordnet\/(\d+)\/uebernehmen/g)].map((m) => Number(m[1]));
    const page1 = idsOn(first.body);
    expect(page1).toHaveLength(50);
    const next = /href="\/staff\/nicht-zugeordnet\?nach=(\d+)" rel="next"/.exec(first.body)?.[1];
    expect(next).toBeDefined();
    const page2 = idsOn((await get(`${LIST}?nach=${next}`)).body);
    expect([...page1, ...page2]).toEqual(rows.map((r) => r.id).reverse());
    expect((await get(`${LIST}?nach=abc`)).statusCode).toBe(400);
    // Above the cap the navigation says "99+" instead of counting further.
    await ctx.db.insert(heldMessages).values(Array.from({ length: 50 }, (_, i) => ({ externalId: `more-${i}`, reason: 'x', body: 'x' })));
    expect((await get('/staff')).body).toContain('99+<span class="kern-sr-only"> warten</span>');
    await ctx.db.delete(heldMessages);
    expect((await get('/staff')).body).not.toContain('kern-sr-only"> warten');
  });

  it('takes a newsletter over as a case with the sender as contact and no acknowledgement; a second time answers 409', async () => {
    const id = await holdMail({ 'List-Id': '<news.example.org>' }, 'Laterne defekt', 'Die Laterne in der Hafenstraße ist aus.');
    const res = await act(id, 'uebernehmen');
    expect(res.statusCode).toBe(303);
    const [kase] = await casesFrom(id);
    expect(kase).toBeDefined();
    expect(res.headers.location).toBe(`/staff/faelle/${kase?.number}?ok=aus-nicht-zugeordnet`);
    expect(kase).toMatchObject({ channel: 'email', channelAccountId: accountId, reporterEmail: 'erika@example.org' });
    expect(kase?.description).toBe('Betreff: Laterne defekt\n\nDie Laterne in der Hafenstraße ist aus.');
    const [contact] = await ctx.db
      .select()
      .from(contacts)
      .where(eq(contacts.id, kase?.contactId ?? 0));
    expect(contact).toMatchObject({ kind: 'email', address: 'erika@example.org', displayName: 'Erika Mustermann' });
    expect(await outboxMails(ctx.db, { caseId: kase?.id ?? 0 })).toHaveLength(0);
    const notes = await ctx.db
      .select({ body: messages.body })
      .from(messages)
      .where(eq(messages.caseId, kase?.id ?? 0));
    expect(notes.map((m) => m.body).join('\n')).toContain('Aus „Nicht zugeordnet“ übernommen von Lea Leitstelle.');
    expect(await heldRow(id)).toMatchObject({ decidedBy: leit.id, caseId: kase?.id });
    expect((await heldRow(id))?.decidedAt).toBeInstanceOf(Date);

    const shown = await get(res.headers.location as string);
    expect(shown.body).toContain('Die Nachricht aus „Nicht zugeordnet“ ist jetzt dieses Anliegen.');
    expect((await get(LIST)).body).not.toContain(`${LIST}/${id}/uebernehmen`);

    const again = await act(id, 'uebernehmen');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`Diese Nachricht ist schon als Anliegen ${kase?.number} übernommen.`);
    expect(await casesFrom(id)).toHaveLength(1);
  });

  it('acknowledges a mail a person wrote, and two clerks at once make one case', async () => {
    const id = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Kein Spam', 'Der Mülleimer am Markt ist voll.', 'Paul Bürger <paul@example.org>');
    const [a, b] = await Promise.all([act(id, 'uebernehmen'), act(id, 'uebernehmen')]);
    const found = await casesFrom(id);
    expect(found).toHaveLength(1);
    const statuses = [a?.statusCode, b?.statusCode].sort();
    // Both went through (the pipeline is idempotent) or the second saw the first's decision.
    expect([
      [303, 303],
      [303, 409],
    ]).toContainEqual(statuses);
    const mails = await outboxMails(ctx.db, { caseId: found[0]?.id ?? 0 });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.toAddress).toBe('paul@example.org');
  });

  it('takes a held mail over with its attachments: the photo through the photo pipeline, the PDF as sent', async () => {
    const id = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Müll im Park', 'Siehe Foto und Plan.', undefined, await withFiles());
    const rawKey = await rawKeyOf(id);
    expect(await stored(rawKey)).toBe(true);
    expect((await act(id, 'uebernehmen')).statusCode).toBe(303);
    const [kase] = await casesFrom(id);
    const files = await ctx.db
      .select()
      .from(attachments)
      .where(eq(attachments.caseId, kase?.id ?? 0))
      .orderBy(asc(attachments.id));
    expect(files.map((f) => [f.kind, f.filename ?? f.mimeType])).toEqual([
      ['photo', 'image/jpeg'],
      ['file', 'lageplan.pdf'],
    ]);
    expect(files[0]?.thumbKey).toBeTruthy();
    expect((await sharp(await ctx.storage.get(files[0]?.storageKey ?? '')).metadata()).exif).toBeUndefined();
    expect(Buffer.compare(await ctx.storage.get(files[1]?.storageKey ?? ''), PDF)).toBe(0);
    expect(kase?.description).toBe('Betreff: Müll im Park\n\nSiehe Foto und Plan.');
    // The raw copy has done its work once the case holds the files.
    expect(await stored(rawKey)).toBe(false);
  });

  it('threads a held answer into the case it answers, as an ordinary intake would', async () => {
    const first = await composeMail({
      messageId: '<erst-gemeldet@example.org>',
      subject: 'Bank kaputt',
      text: 'Die Bank am See ist kaputt.',
    });
    expect(await mailHandler(intakeDeps(ctx))(first, { accountId, uid: 900, uidValidity: 1n, size: first.length })).toBe('stored');
    const [original] = await ctx.db.select().from(cases).where(eq(cases.externalId, '<erst-gemeldet@example.org>'));
    const [ack] = await outboxMails(ctx.db, { caseId: original?.id ?? 0 });
    const id = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Re: Bank kaputt', 'Sie ist jetzt ganz umgefallen.', undefined, {
      inReplyTo: ack?.messageId ?? '',
      references: [ack?.messageId ?? ''],
      ...(await withFiles()),
    });
    const res = await act(id, 'uebernehmen');
    expect(res.headers.location).toBe(`/staff/faelle/${original?.number}?ok=aus-nicht-zugeordnet`);
    expect(await casesFrom(id)).toHaveLength(0);
    expect(await heldRow(id)).toMatchObject({ caseId: original?.id });
    const thread = await ctx.db
      .select()
      .from(messages)
      .where(eq(messages.caseId, original?.id ?? 0));
    expect(thread.filter((m) => m.kind === 'inbound').map((m) => m.body)).toEqual([
      'Betreff: Bank kaputt\n\nDie Bank am See ist kaputt.',
      'Betreff: Re: Bank kaputt\n\nSie ist jetzt ganz umgefallen.',
    ]);
    const files = await ctx.db
      .select()
      .from(attachments)
      .where(eq(attachments.caseId, original?.id ?? 0));
    expect(files.map((f) => f.kind).sort()).toEqual(['file', 'photo']);
  });

  it('deletes the stored raw mail when a held mail is discarded', async () => {
    const id = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Gewinnspiel', 'Sie haben gewonnen!', undefined, await withFiles());
    const rawKey = await rawKeyOf(id);
    expect(await stored(rawKey)).toBe(true);
    expect((await act(id, 'verwerfen')).statusCode).toBe(303);
    expect(await stored(rawKey)).toBe(false);
  });

  it('discards an item: hidden from the list, kept with who and when; twice 409, unknown 404, wrong CSRF 403', async () => {
    const id = await holdMail({}, 'Leer', '', 'Leer <leer@example.org>');
    const res = await act(id, 'verwerfen');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${LIST}?ok=verworfen`);
    const after = await get(res.headers.location as string);
    expect(after.body).toContain('Die Nachricht ist verworfen.');
    expect(after.body).not.toContain(`${LIST}/${id}/`);
    expect(await heldRow(id)).toMatchObject({ decidedBy: leit.id, caseId: null });

    const twice = await act(id, 'verwerfen');
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Diese Nachricht wurde schon verworfen.');
    expect((await act(id, 'uebernehmen')).statusCode).toBe(409);
    expect(await casesFrom(id)).toHaveLength(0);

    for (const unknown of ['999999', 'abc']) {
      const res404 = await act(unknown, 'uebernehmen');
      expect(res404.statusCode).toBe(404);
      expect(res404.body).toContain('Diese Nachricht gibt es nicht (mehr) in „Nicht zugeordnet“.');
      expect((await act(unknown, 'verwerfen')).statusCode).toBe(404);
    }

    const other = await holdMail({ 'X-Spam-Flag': 'YES' }, 'Noch eine', 'Text', 'Jemand <jemand@example.org>');
    const csrf = await csrfFor(ctx.app, LIST, leit.cookie);
    const forged = await ctx.app.inject({
      method: 'POST',
      url: `${LIST}/${other}/uebernehmen`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: 'falsch' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Das Formular ist abgelaufen');
    expect((await heldRow(other))?.decidedAt).toBeNull();
    expect(
      await ctx.db
        .select()
        .from(cases)
        .where(inArray(cases.externalId, [`held:<held-${n}@example.org>`])),
    ).toHaveLength(0);

    const signedOut = await ctx.app.inject({ method: 'POST', url: `${LIST}/${other}/verwerfen`, headers: { accept: 'text/html' } });
    expect(signedOut.statusCode).toBe(401);
    expect((await heldRow(other))?.decidedAt).toBeNull();
  });
});
