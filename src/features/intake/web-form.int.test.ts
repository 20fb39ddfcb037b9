import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, csrfFor, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { multipart, type UploadFile } from '../../../test/helpers/multipart.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { attachments, auditEvents, cases, categories } from '../../infra/schema/index.ts';

const html = { accept: 'text/html' };

/** A small JPEG whose EXIF carries a GPS position in the Altstadt fixture district (47.665 N, 9.175 E). */
async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'Erika Mustermann' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '47/1 39/1 5400/100', GPSLongitudeRef: 'E', GPSLongitude: '9/1 10/1 3000/100' },
    })
    .toBuffer();
}

async function openForm(ctx: TestContext) {
  // One page load: the nonce belongs to the browser (cookie) that loaded the form.
  const { token, cookie, body } = await csrfFor(ctx.app, '/melden');
  const nonce = /name="nonce" value="([^"]+)"/.exec(body)?.[1] ?? '';
  return { nonce, token, cookie };
}

async function post(
  ctx: TestContext,
  fields: Record<string, string | undefined>,
  files: UploadFile[] = [],
  session?: { token: string; cookie: string; nonce: string },
) {
  const s = session ?? (await openForm(ctx));
  const body = await multipart({ _csrf: s.token, nonce: s.nonce, ...fields }, files.length ? { photos: files } : {});
  return ctx.app.inject({ method: 'POST', url: '/melden', payload: body.payload, headers: { ...body.headers, ...html, cookie: s.cookie } });
}

const valid = {
  description: 'Die Laterne vor Hausnummer 12 ist seit drei Tagen dunkel.',
  type: 'defect',
  locationText: 'Marktstätte 12',
  consent: 'yes',
};

const caseCount = async (ctx: TestContext) => (await ctx.db.select({ id: cases.id }).from(cases)).length;

describeDb('web report form', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    await ctx.db.insert(categories).values({ slug: 'alt', name: 'Abgeschaffte Kategorie', groupName: 'Sauberkeit', active: false });
  });
  afterAll(() => ctx.close());

  it('shows the form with every field, active categories grouped, a nonce and the map settings', async () => {
    const res = await ctx.app.inject({ url: '/melden', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('enctype="multipart/form-data"');
    expect(res.body).toMatch(
      /<textarea[^>]*name="description"[^>]*maxLength="5000"|<textarea[^>]*maxlength="5000"[^>]*name="description"/i,
    );
    for (const value of ['defect', 'idea', 'complaint', 'question', 'praise', 'unknown']) expect(res.body).toContain(`value="${value}"`);
    expect(res.body).toContain('<optgroup label="Straße &amp; Verkehr">');
    expect(res.body).toContain('Straßenbeleuchtung');
    expect(res.body).not.toContain('Abgeschaffte Kategorie');
    expect(res.body).toMatch(
      /type="file"[^>]*accept="image\/jpeg,image\/png,image\/webp,image\/heic,image\/heif"|accept="image\/jpeg,image\/png,image\/webp,image\/heic,image\/heif"[^>]*type="file"/,
    );
    expect(res.body).toMatch(/name="nonce" value="[A-Za-z0-9_-]{44}"/);
    expect(res.body).toContain('data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"');
    expect(res.body).toContain('href="/datenschutz"');
    expect(res.body).toContain('<script type="module" src="/assets/js/map-picker.js">');
    expect(res.body).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
  });

  it('stores a report with photo and e-mail, redirects (303) and thanks with number and private link', async () => {
    const res = await post(ctx, { ...valid, reporterName: 'Erika', reporterEmail: 'Erika@Example.org' }, [
      { data: await jpegWithGps(), filename: 'IMG_0001.jpg', type: 'image/jpeg' },
    ]);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    const token = /^\/melden\/danke\/([A-Za-z0-9_-]+)$/.exec(location)?.[1] ?? '';
    expect(token).not.toBe('');

    const [row] = await ctx.db.select().from(cases).where(eq(cases.trackingToken, token));
    expect(row).toMatchObject({ channel: 'web', type: 'defect', reporterEmail: 'erika@example.org', locationText: 'Marktstätte 12' });
    expect(row?.consentAt).toBeInstanceOf(Date);
    // No pin was set, so the photo's GPS position became the location (and found the district).
    expect(row?.lat).toBeCloseTo(47.665, 3);
    expect(row?.lon).toBeCloseTo(9.175, 3);
    expect(row?.districtId).toBe(town.districts.altstadt.id);
    const files = await ctx.db
      .select()
      .from(attachments)
      .where(eq(attachments.caseId, row?.id ?? 0));
    expect(files).toHaveLength(1);
    const stored = await ctx.storage.get(files[0]?.storageKey ?? '');
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    const mails = await outboxMails(ctx.db, { caseId: row?.id ?? 0 });
    expect(mails.map((m) => m.toAddress)).toEqual(['erika@example.org']);

    const thanks = await ctx.app.inject({ url: location, headers: html });
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain(row?.number);
    expect(thanks.body).toContain(`http://localhost:3000/verfolgen/${token}`);
    expect(thanks.body).toContain('Lesezeichen');
    expect(thanks.body).toContain('an Ihre E-Mail-Adresse unterwegs');
    expect(thanks.body).toContain('Position aus Ihrem Foto');
    expect(thanks.headers['referrer-policy']).toBe('no-referrer');
    expect(thanks.body).toContain('<meta name="robots" content="noindex, nofollow"/>');
  });

  it('says so when no confirmation mail goes out, and a pin beats the photo position', async () => {
    const res = await post(ctx, { ...valid, lat: '47.6601', lon: '9.1702' }, [{ data: await jpegWithGps(), filename: 'a.jpg' }]);
    expect(res.statusCode).toBe(303);
    const token = String(res.headers.location).split('/').pop() ?? '';
    const [row] = await ctx.db.select().from(cases).where(eq(cases.trackingToken, token));
    expect(row?.lat).toBe(47.6601);
    expect(row?.lon).toBe(9.1702);
    const [created] = await ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, row?.id ?? 0));
    expect(created?.details).toMatchObject({ locationSource: 'citizen' });
    const thanks = await ctx.app.inject({ url: String(res.headers.location), headers: html });
    expect(thanks.body).toContain('keine E-Mail-Adresse angegeben');
    expect(thanks.body).not.toContain('Position aus Ihrem Foto');
  });

  it('comes back with 400, the values kept and a message per field when description and consent are missing', async () => {
    const before = await caseCount(ctx);
    const res = await post(ctx, { type: 'idea', reporterName: 'Max <b>Muster</b>', locationText: 'Am Hafen 3', reporterEmail: 'kaputt' }, [
      { data: await jpegWithGps(), filename: 'a.jpg' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Bitte prüfen Sie Ihre Angaben');
    expect(res.body).toContain('Bitte beschreiben Sie kurz Ihr Anliegen.');
    expect(res.body).toContain('Bitte stimmen Sie der Verarbeitung');
    expect(res.body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an');
    expect(res.body).toContain('value="Am Hafen 3"');
    expect(res.body).toContain('value="Max &lt;b>Muster&lt;/b>"');
    expect(res.body).toMatch(/value="idea"[^>]*checked|checked[^>]*value="idea"/);
    expect(res.body).toContain('Bitte wählen Sie Ihre Fotos noch einmal aus');
    expect(res.body).toContain('aria-describedby="description-hint description-error"');
    expect(await caseCount(ctx)).toBe(before);
  });

  it('rejects half a map pin, an out-of-range coordinate and an inactive category', async () => {
    const half = await post(ctx, { ...valid, lat: '47.66' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('Der Kartenpunkt ist unvollständig');
    const range = await post(ctx, { ...valid, lat: '147.66', lon: '9.17' });
    expect(range.statusCode).toBe(400);
    expect(range.body).toContain('Breite des Kartenpunkts ist ungültig');
    const [inactive] = await ctx.db.select().from(categories).where(eq(categories.slug, 'alt'));
    const cat = await post(ctx, { ...valid, categoryId: String(inactive?.id) });
    expect(cat.statusCode).toBe(400);
    expect(cat.body).toContain('Diese Kategorie gibt es nicht mehr');
    expect(cat.body).toContain(valid.description);
  });

  it('escapes HTML and script in description and name on the tracking page', async () => {
    const evil = '<script>alert(1)</script>';
    const res = await post(ctx, { ...valid, description: `Hallo ${evil}`, reporterName: evil });
    expect(res.statusCode).toBe(303);
    const token = String(res.headers.location).split('/').pop() ?? '';
    for (const url of [String(res.headers.location), `/verfolgen/${token}`]) {
      const page = await ctx.app.inject({ url, headers: html });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(evil);
    }
    const tracking = await ctx.app.inject({ url: `/verfolgen/${token}`, headers: html });
    expect(tracking.body).toContain('Hallo &lt;script>alert(1)&lt;/script>');
  });

  it('rejects a text file named like a photo with 400 and stores no case', async () => {
    const before = await caseCount(ctx);
    const res = await post(ctx, valid, [
      { data: Buffer.from('Das ist kein Foto, nur Text.\n'.repeat(20)), filename: 'foto.jpg', type: 'image/jpeg' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Foto 1 ist kein Bild');
    expect(res.body).toContain(valid.description);
    expect(await caseCount(ctx)).toBe(before);
  });

  it('refuses a post without or with a wrong CSRF token (403) and stores nothing', async () => {
    const before = await caseCount(ctx);
    const s = await openForm(ctx);
    const missing = await post(ctx, { ...valid, _csrf: undefined }, [], { ...s, token: '' });
    expect(missing.statusCode).toBe(403);
    const wrong = await post(ctx, valid, [], { ...s, token: 'falsch' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('Das Formular ist abgelaufen');
    const noCookie = await post(ctx, valid, [], { ...s, cookie: '' });
    expect(noCookie.statusCode).toBe(403);
    expect(await caseCount(ctx)).toBe(before);
  });

  it('stores one case when the same form is sent twice (double click, reload)', async () => {
    const s = await openForm(ctx);
    const first = await post(ctx, valid, [], s);
    const second = await post(ctx, valid, [{ data: await jpegWithGps(), filename: 'a.jpg' }], s);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const rows = await ctx.db
      .select()
      .from(cases)
      .where(eq(cases.externalId, `web:${s.nonce}`));
    expect(rows).toHaveLength(1);
    expect(
      await ctx.db
        .select()
        .from(attachments)
        .where(eq(attachments.caseId, rows[0]?.id ?? 0)),
    ).toHaveLength(0);
  });

  it('refuses a known nonce from another browser: 400, a fresh form, no second case and no tracking link', async () => {
    const first = await openForm(ctx);
    const made = await post(ctx, valid, [], first);
    expect(made.statusCode).toBe(303);
    const token = String(made.headers.location).split('/').pop() ?? '';
    const before = await caseCount(ctx);

    // Another browser (its own cookie and CSRF token) sends the first one's nonce.
    const other = await openForm(ctx);
    const replay = await post(ctx, { ...valid, description: 'Wer hat das gemeldet?' }, [], { ...other, nonce: first.nonce });
    expect(replay.statusCode).toBe(400);
    expect(replay.headers.location).toBeUndefined();
    expect(replay.body).toContain('Dieses Formular wurde nicht in diesem Browser geöffnet');
    expect(replay.body).not.toContain(token);
    expect(replay.body).not.toContain(first.nonce);
    expect(replay.body).toContain('Wer hat das gemeldet?');
    expect(await caseCount(ctx)).toBe(before);

    // The fresh nonce on that page is the other browser's own: sending it again works.
    const fresh = /name="nonce" value="([^"]+)"/.exec(replay.body)?.[1] ?? '';
    const again = await post(ctx, valid, [], { ...other, nonce: fresh });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).not.toBe(made.headers.location);

    // The first browser still gets its own thanks page back (double click, back button).
    const repeat = await post(ctx, valid, [], first);
    expect(repeat.headers.location).toBe(made.headers.location);
  });

  it('refuses a nonce this app did not issue (made up by a script)', async () => {
    const s = await openForm(ctx);
    const before = await caseCount(ctx);
    const res = await post(ctx, valid, [], { ...s, nonce: randomBytes(33).toString('base64url') });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Dieses Formular wurde nicht in diesem Browser geöffnet');
    expect(await caseCount(ctx)).toBe(before);
  });

  it('answers four photos with 400 and "höchstens 3 Fotos" at the photo field, and stores nothing', async () => {
    const before = await caseCount(ctx);
    const filesBefore = (await ctx.db.select().from(attachments)).length;
    const photo = await jpegWithGps();
    const four = [1, 2, 3, 4].map((i) => ({ data: photo, filename: `foto-${i}.jpg`, type: 'image/jpeg' }));
    const res = await post(ctx, valid, four);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<a class="kern-link" href="#photos">Sie können höchstens 3 Fotos anhängen\.<\/a>/);
    expect(res.body).toContain('id="photos-error"');
    expect(res.body).toContain(valid.description);
    expect(await caseCount(ctx)).toBe(before);
    expect(await ctx.db.select().from(attachments)).toHaveLength(filesBefore);
  });

  it('refuses JSON instead of the form with a German 415 and stores nothing', async () => {
    const s = await openForm(ctx);
    const before = await caseCount(ctx);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/melden',
      headers: { ...html, cookie: s.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ _csrf: s.token, nonce: s.nonce, ...valid }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.body).toContain('Dieses Datenformat wird hier nicht angenommen');
    expect(await caseCount(ctx)).toBe(before);
  });

  it('answers an unknown thank-you link with a German 404', async () => {
    const res = await ctx.app.inject({ url: `/melden/danke/${randomBytes(24).toString('base64url')}`, headers: html });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Bestätigungsseite gibt es nicht');
  });
});

describeDb('web report form with a small photo limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { MAX_PHOTO_MB: '0.05' } });
    await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  it('answers a photo over the limit with the German 413 page and stores no case', async () => {
    const big = await sharp(randomBytes(300 * 300 * 3), { raw: { width: 300, height: 300, channels: 3 } })
      .jpeg({ quality: 100 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(ctx.config.maxPhotoBytes);
    const res = await post(ctx, valid, [{ data: big, filename: 'gross.jpg', type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(413);
    expect(res.body).toContain('Das war zu viel auf einmal');
    expect(res.body).toContain('Es wurde nichts gespeichert');
    expect(await caseCount(ctx)).toBe(0);
  });
});

describeDb('web report form rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('limits report posts per address (429 after 30 in ten minutes)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await ctx.app.inject({ method: 'POST', url: '/melden', headers: html })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s !== 429)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});
