import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { multipart, type UploadFile } from '../../../test/helpers/multipart.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { fixedClock } from '../../infra/clock.ts';
import { attachments, caseReporters, cases, messages, reportDrafts } from '../../infra/schema/index.ts';
import { allJobs } from '../../jobs.ts';
import { duplicatesJobs } from './jobs.ts';

const html = { accept: 'text/html' };
const lamp = 'Die Laterne vor Hausnummer 12 ist seit drei Tagen dunkel.';
/** Metres → degrees at ~47.66° N, enough for placing test points. */
const north = (m: number) => m / 111_320;

describeDb('duplicate reports on the web form', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  /** Each test gets its own corner of town, so earlier cases are never candidates by accident. */
  let spot = 0;
  const place = () => {
    spot++;
    return { lat: 47.6 + spot * 0.01, lon: 9.1 };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  const existing = (at: { lat: number; lon: number }, over: Parameters<typeof fileCase>[1] = {}) =>
    fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      description: 'Straßenlaterne vor Nummer 12 ist dunkel',
      locationText: 'Marktstätte 12',
      reporterName: 'Erika Erstmelderin',
      reporterEmail: 'erika@example.org',
      ...at,
      ...over,
    });

  async function openForm() {
    // One page load: the nonce belongs to the browser (cookie) that loaded the form.
    const { token, cookie, body } = await csrfFor(ctx.app, '/melden');
    const nonce = /name="nonce" value="([^"]+)"/.exec(body)?.[1] ?? '';
    return { nonce, token, cookie };
  }

  async function post(
    url: string,
    fields: Record<string, string | undefined>,
    files: UploadFile[] = [],
    session?: Awaited<ReturnType<typeof openForm>>,
  ) {
    const s = session ?? (await openForm());
    const body = await multipart({ _csrf: s.token, nonce: s.nonce, ...fields }, files.length ? { photos: files } : {});
    return ctx.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...html, cookie: s.cookie } });
  }

  const report = (at: { lat: number; lon: number }, over: Record<string, string> = {}) => ({
    description: lamp,
    type: 'defect',
    categoryId: String(town.categories.streetLight.id),
    lat: String(at.lat),
    lon: String(at.lon),
    consent: 'yes',
    ...over,
  });
  /** "Nicht mehr folgen" on a follower's page, as the button posts it. */
  const stopFollowing = async (followPage: string) => {
    const { token, cookie } = await csrfFor(ctx.app, followPage);
    return ctx.app.inject({
      method: 'POST',
      url: `${followPage}/beenden`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...html },
      payload: new URLSearchParams({ _csrf: token }).toString(),
    });
  };
  const caseCount = async () => (await ctx.db.select({ id: cases.id }).from(cases)).length;

  it('offers an open report of the same category 20 m away with similar text, without creating a case or showing personal data', async () => {
    const at = place();
    const first = await existing(at);
    const before = await caseCount();
    const res = await post('/melden', report({ lat: at.lat + north(20), lon: at.lon }, { reporterEmail: 'zweite@example.org' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Das wurde schon gemeldet');
    expect(res.body).toContain(`Meldung ${first.number}`);
    expect(res.body).toContain('Straßenbeleuchtung');
    expect(res.body).toContain('etwa 20 m entfernt');
    expect(res.body).toContain('Dieser Meldung folgen');
    expect(res.body).toContain('formaction="/melden/folgen"');
    expect(res.body).toContain('Trotzdem neu melden');
    // What the citizen typed travels on; the first reporter stays anonymous and their link secret.
    expect(res.body).toContain('value="zweite@example.org"');
    expect(res.body).not.toContain('erika@example.org');
    expect(res.body).not.toContain('Erstmelderin');
    expect(res.body).not.toContain(first.trackingToken);
    expect(await caseCount()).toBe(before);
  });

  it("the offer shows only the masked public text: the masker's for an unpublished report, the reviewed one once published", async () => {
    const at = place();
    const first = await existing(at, {
      description: 'Straßenlaterne vor Nummer 12 ist dunkel, sagt Erika Erstmelderin, Rückruf unter 0151 2345678',
      locationText: 'bei Erika Erstmelderin, Marktstätte 12',
    });
    const offer = await post('/melden', report({ lat: at.lat + north(20), lon: at.lon }));
    expect(offer.body).toContain(`Meldung ${first.number}`);
    expect(offer.body).toContain('sagt [Name entfernt], Rückruf unter [Telefon entfernt]');
    expect(offer.body).toContain('bei [Name entfernt], Marktstätte 12');
    expect(offer.body).not.toContain('Erstmelderin');
    expect(offer.body).not.toContain('2345678');

    await publishForTest(ctx.db, first.caseId, { text: 'Straßenlaterne vor Nummer 12 ist dunkel (geprüft).' });
    const again = await post('/melden', report({ lat: at.lat + north(20), lon: at.lon }));
    expect(again.body).toContain('„Straßenlaterne vor Nummer 12 ist dunkel (geprüft).“');
    expect(again.body).not.toContain('Rückruf');
  });

  it('offers nothing 200 m away, in another category, for a closed report, or for different words', async () => {
    const far = place();
    await existing(far);
    expect((await post('/melden', report({ lat: far.lat + north(200), lon: far.lon }))).statusCode).toBe(303);

    const other = place();
    await existing(other);
    const litter = report({ lat: other.lat + north(20), lon: other.lon }, { categoryId: String(town.categories.litter.id) });
    expect((await post('/melden', litter)).statusCode).toBe(303);

    const closed = place();
    const done = await existing(closed);
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, done.caseId));
    expect((await post('/melden', report({ lat: closed.lat + north(20), lon: closed.lon }))).statusCode).toBe(303);

    const words = place();
    await existing(words);
    const bench = report({ lat: words.lat + north(20), lon: words.lon }, { description: 'Die Parkbank ist umgekippt.' });
    expect((await post('/melden', bench)).statusCode).toBe(303);

    const noPin = place();
    await existing(noPin);
    expect((await post('/melden', report(noPin, { lat: '', lon: '' }))).statusCode).toBe(303);
  });

  it('follows: adds a reporter with an own token and a confirmation mail, creates no case, and is idempotent', async () => {
    const at = place();
    const first = await existing(at);
    const before = await caseCount();
    const session = await openForm();
    const fields = report({ lat: at.lat + north(15), lon: at.lon }, { reporterName: 'Zora Zweite', reporterEmail: 'Zora@Example.org' });
    const res = await post('/melden/folgen', { ...fields, follow: first.number }, [], session);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    const token = /^\/folgen\/([A-Za-z0-9_-]+)\?neu=1$/.exec(location)?.[1] ?? '';
    expect(token).not.toBe('');
    expect(token).not.toBe(first.trackingToken);
    expect(await caseCount()).toBe(before);

    const rows = await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, first.caseId));
    expect(rows).toMatchObject([{ kind: 'follower', name: 'Zora Zweite', email: 'zora@example.org', trackingToken: token }]);
    const mails = await outboxMails(ctx.db, { to: 'zora@example.org' });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`[${first.number}] Sie folgen dieser Meldung`);
    expect(mails[0]?.text).toContain(`http://localhost:3000/folgen/${token}`);
    expect(mails[0]?.text).not.toContain(first.trackingToken);

    const page = await ctx.app.inject({ url: location, headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain(`Sie folgen der Meldung ${first.number}`);
    expect(page.body).toContain('Geklappt');
    expect(page.body).toContain('Tiefbauamt');
    expect(page.body).not.toContain('erika@example.org');
    expect(page.body).not.toContain('Straßenlaterne vor Nummer 12 ist dunkel');

    // Double click, or the back button and the same choice again: still one follower, one mail.
    const again = await post('/melden/folgen', { ...fields, follow: first.number }, [], session);
    expect(again.headers.location).toBe(location);
    const resubmit = await post('/melden', fields, [], session);
    expect(resubmit.statusCode).toBe(303);
    expect(resubmit.headers.location).toBe(`/folgen/${token}`);
    expect(await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, first.caseId))).toHaveLength(1);
    expect(await outboxMails(ctx.db, { to: 'zora@example.org' })).toHaveLength(1);
    expect(await caseCount()).toBe(before);
  });

  it("refuses a follow with another browser's nonce: no follow link, no second follower, no draft taken", async () => {
    const at = place();
    const first = await existing(at);
    const mine = await openForm();
    const fields = report({ lat: at.lat + north(15), lon: at.lon }, { reporterEmail: 'zora@example.org' });
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#0cf' } })
      .jpeg()
      .toBuffer();
    expect((await post('/melden', fields, [{ data: jpeg, filename: 'lampe.jpg', type: 'image/jpeg' }], mine)).statusCode).toBe(200);
    const followed = await post('/melden/folgen', { ...fields, follow: first.number }, [], mine);
    expect(followed.statusCode).toBe(303);
    const token = /^\/folgen\/([A-Za-z0-9_-]+)/.exec(String(followed.headers.location))?.[1] ?? '';

    // Someone else who learnt that nonce: neither the follow page nor the report form hands out the link.
    const stranger = { ...(await openForm()), nonce: mine.nonce };
    const replay = await post('/melden/folgen', { ...fields, follow: first.number }, [], stranger);
    expect(replay.statusCode).toBe(400);
    expect(replay.headers.location).toBeUndefined();
    expect(replay.body).toContain('nicht in diesem Browser geöffnet');
    expect(replay.body).not.toContain(token);
    const viaForm = await post('/melden', fields, [], stranger);
    expect(viaForm.statusCode).toBe(400);
    expect(viaForm.headers.location).toBeUndefined();
    expect(viaForm.body).not.toContain(token);
    expect(await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, first.caseId))).toHaveLength(1);

    // A stranger's offer page never touches the draft of another browser's nonce either.
    const other = place();
    await existing(other);
    const owner = await openForm();
    const draftFields = report({ lat: other.lat + north(15), lon: other.lon });
    expect((await post('/melden', draftFields, [{ data: jpeg, filename: 'a.jpg', type: 'image/jpeg' }], owner)).statusCode).toBe(200);
    const [draft] = await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, owner.nonce));
    const intruder = { ...(await openForm()), nonce: owner.nonce };
    expect((await post('/melden', { ...draftFields, duplicates: 'ignore' }, [], intruder)).statusCode).toBe(400);
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, owner.nonce))).toEqual([draft]);
  });

  it('refuses to follow a case that is no candidate for what was entered, and shows what is on offer now', async () => {
    const at = place();
    const first = await existing(at);
    const elsewhere = await existing(place());
    const fields = report({ lat: at.lat + north(10), lon: at.lon });
    const res = await post('/melden/folgen', { ...fields, follow: elsewhere.number });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(`Die Meldung ${elsewhere.number} ist inzwischen abgeschlossen`);
    expect(res.body).toContain(`Meldung ${first.number}`);
    expect(await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, elsewhere.caseId))).toHaveLength(0);

    const crafted = await post('/melden/folgen', { ...fields, follow: 'nicht-eine-nummer' });
    expect(crafted.statusCode).toBe(400);
  });

  it('"Trotzdem neu melden" creates the case with the photos kept from the first attempt, then forgets the draft', async () => {
    const at = place();
    await existing(at);
    const session = await openForm();
    const fields = report({ lat: at.lat + north(25), lon: at.lon });
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#fc0' } })
      .jpeg()
      .toBuffer();
    const offered = await post('/melden', fields, [{ data: jpeg, filename: 'lampe.jpg', type: 'image/jpeg' }], session);
    expect(offered.statusCode).toBe(200);
    expect(offered.body).toContain('Ihr Foto haben wir bis morgen aufbewahrt');
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce))).toHaveLength(1);

    const res = await post('/melden', { ...fields, duplicates: 'ignore' }, [], session);
    expect(res.statusCode).toBe(303);
    const token = /\/melden\/danke\/(.+)$/.exec(String(res.headers.location))?.[1] ?? '';
    const [row] = await ctx.db.select().from(cases).where(eq(cases.trackingToken, token));
    expect(row?.description).toBe(lamp);
    const photos = await ctx.db
      .select()
      .from(attachments)
      .where(eq(attachments.caseId, row?.id ?? 0));
    expect(photos).toHaveLength(1);
    await expect(ctx.storage.get(photos[0]?.storageKey ?? '')).resolves.toBeInstanceOf(Buffer);
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce))).toHaveLength(0);

    // The same form again (double submit) is the same case, not a new offer.
    const again = await post('/melden', fields, [], session);
    expect(again.headers.location).toBe(res.headers.location);
  });

  it('keeps what a follower wrote and their photos for staff, not for the first reporter’s tracking page', async () => {
    const at = place();
    const first = await existing(at);
    const session = await openForm();
    const words = 'Die Laterne flackert auch, und der Mast ist schief.';
    const fields = report({ lat: at.lat + north(10), lon: at.lon }, { description: words, reporterName: 'Fritz Folger' });
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#08c' } })
      .jpeg()
      .toBuffer();
    const offered = await post('/melden', fields, [{ data: jpeg, filename: 'mast.jpg', type: 'image/jpeg' }], session);
    expect(offered.body).toContain('legen wir dem Team dazu');
    const res = await post('/melden/folgen', { ...fields, follow: first.number }, [], session);
    expect(res.statusCode).toBe(303);

    const kept = await ctx.db.select().from(messages).where(eq(messages.caseId, first.caseId));
    const note = kept.find((m) => m.kind === 'follower');
    expect(note?.body).toBe(words);
    const photos = await ctx.db.select().from(attachments).where(eq(attachments.caseId, first.caseId));
    expect(photos.filter((p) => p.messageId === note?.id)).toHaveLength(1);
    await expect(ctx.storage.get(photos[0]?.storageKey ?? '')).resolves.toBeInstanceOf(Buffer);
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce))).toHaveLength(0);

    const staff = await createUser(ctx, { role: 'admin' });
    const casePage = await ctx.app.inject({ url: `/staff/faelle/${first.number}`, headers: { ...html, cookie: staff.cookie } });
    expect(casePage.body).toContain('Meldung einer weiteren Person, die diesem Anliegen folgt');
    expect(casePage.body).toContain('der Mast ist schief');
    const tracking = await ctx.app.inject({ url: `/verfolgen/${first.trackingToken}`, headers: html });
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).not.toContain('der Mast ist schief');
    const photoId = photos.find((p) => p.messageId === note?.id)?.id;
    expect(tracking.body).not.toContain(`/fotos/${photoId}`);
    const direct = await ctx.app.inject({ url: `/verfolgen/${first.trackingToken}/fotos/${photoId}`, headers: html });
    expect(direct.statusCode).toBe(404);

    // "Nicht mehr folgen": their words and photos leave the case too, files included.
    const url = String(res.headers.location).replace('?neu=1', '');
    const ended = await stopFollowing(url);
    expect(ended.body).toContain('was Sie dazu geschrieben und fotografiert haben, sind gelöscht');
    expect((await ctx.db.select().from(messages).where(eq(messages.caseId, first.caseId))).map((m) => m.kind)).not.toContain('follower');
    expect(
      await ctx.db
        .select()
        .from(attachments)
        .where(eq(attachments.id, photoId ?? 0)),
    ).toHaveLength(0);
    await expect(ctx.storage.get(photos[0]?.storageKey ?? '')).rejects.toThrow();
    expect((await ctx.db.select().from(messages).where(eq(messages.caseId, first.caseId))).length).toBeGreaterThan(0);
  });

  it('an abandoned draft and its photos are gone after a day, by the hourly job', async () => {
    const at = place();
    await existing(at);
    const session = await openForm();
    const jpeg = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#f00' } })
      .jpeg()
      .toBuffer();
    const offered = await post(
      '/melden',
      report({ lat: at.lat + north(5), lon: at.lon }),
      [{ data: jpeg, filename: 'a.jpg', type: 'image/jpeg' }],
      session,
    );
    expect(offered.statusCode).toBe(200);
    const [draft] = await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce));
    const key = draft?.photos[0]?.storageKey ?? '';
    await expect(ctx.storage.get(key)).resolves.toBeInstanceOf(Buffer);

    const job = allJobs({ ...ctx, mailer: ctx.mailer }).find((j) => j.name === 'duplicates.sweep-drafts');
    expect(job?.cron).toBe('17 * * * *');
    const sweep = duplicatesJobs({ db: ctx.db, storage: ctx.storage, log: ctx.log, clock: fixedClock(new Date()) })[0];
    await sweep?.handler({});
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce))).toHaveLength(1);
    const tomorrow = fixedClock(new Date(Date.now() + 25 * 60 * 60 * 1000));
    await duplicatesJobs({ db: ctx.db, storage: ctx.storage, log: ctx.log, clock: tomorrow })[0]?.handler({});
    expect(await ctx.db.select().from(reportDrafts).where(eq(reportDrafts.nonce, session.nonce))).toHaveLength(0);
    await expect(ctx.storage.get(key)).rejects.toThrow();
  });

  it('ends following: the row with the address goes, the link stops working', async () => {
    const at = place();
    const first = await existing(at);
    const res = await post('/melden/folgen', { ...report(at, { reporterEmail: 'weg@example.org' }), follow: first.number });
    const url = String(res.headers.location).replace('?neu=1', '');
    const ended = await stopFollowing(url);
    expect(ended.statusCode).toBe(200);
    expect(ended.body).toContain('Sie folgen nicht mehr');
    expect(await ctx.db.select().from(caseReporters).where(eq(caseReporters.email, 'weg@example.org'))).toHaveLength(0);
    expect((await ctx.app.inject({ url, headers: html })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/folgen/${randomBytes(24).toString('base64url')}`, headers: html })).statusCode).toBe(404);
  });
});
