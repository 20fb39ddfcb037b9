import { eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { projectionRowForTest } from '../../../test/helpers/public-cases.ts';
import { attachments } from '../../infra/schema/index.ts';
import { processAndStorePhotos } from '../intake/photos.ts';
import { COUNT_CAP } from './filters.ts';

const html = { accept: 'text/html' };
const SECRET_TEXT = 'Wasserrohrbruch GEHEIMSACHE am Bodenseeufer';
const EVIL_TEXT = 'Schild <script>alert("x")</script> & <b>fett</b> umgefallen';

describeDb('public reports: list, map data and case pages', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let lamp: { caseId: number; number: string };
  let litter: { caseId: number; number: string };
  let idea: { caseId: number; number: string };
  let dup: { caseId: number; number: string };
  let secret: { caseId: number; number: string };
  let releasedPhoto: number;
  let unreleasedPhoto: number;
  let secretPhoto: number;
  /** Every body /meldungen answered in this file, for the privacy check at the end. */
  const seen: string[] = [];

  const get = async (url: string, headers: Record<string, string> = html) => {
    const res = await ctx.app.inject({ url, headers });
    seen.push(res.body);
    return res;
  };

  const photoOf = async (colour: string) => {
    // EXIF with a camera owner's name goes in; the photo pipeline must drop it.
    const image = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
      .withExif({ IFD0: { Artist: 'Erika Mustermann' } })
      .jpeg()
      .toBuffer();
    return (await processAndStorePhotos(ctx.storage, [image, image])).photos;
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    const inAltstadt = { lat: 47.665, lon: 9.175 };
    lamp = await fileCase(ctx, {
      description: EVIL_TEXT,
      categoryId: town.categories.streetLight.id,
      ...inAltstadt,
      photos: await photoOf('#c33'),
    });
    litter = await fileCase(ctx, {
      description: 'Sperrmüll an der Bushaltestelle',
      categoryId: town.categories.litter.id,
      lat: 47.7,
      lon: 9.2,
    });
    idea = await fileCase(ctx, { type: 'idea', description: 'Mehr Bänke am See', lat: 47.68, lon: 9.19 });
    dup = await fileCase(ctx, { description: 'Laterne dunkel, schon wieder', categoryId: town.categories.streetLight.id, ...inAltstadt });
    secret = await fileCase(ctx, { description: SECRET_TEXT, ...inAltstadt, photos: await photoOf('#3c3') });

    const photos = await ctx.db.select().from(attachments).where(eq(attachments.caseId, lamp.caseId)).orderBy(attachments.id);
    releasedPhoto = photos[0]?.id ?? 0;
    unreleasedPhoto = photos[1]?.id ?? 0;
    const [sp] = await ctx.db.select().from(attachments).where(eq(attachments.caseId, secret.caseId));
    secretPhoto = sp?.id ?? 0;

    const day = (iso: string) => new Date(`${iso}T10:00:00+02:00`);
    await projectionRowForTest(ctx.db, lamp.caseId, {
      status: 'in_progress',
      districtId: town.districts.altstadt.id,
      districtName: 'Altstadt',
      photoIds: [releasedPhoto],
      reportedAt: day('2026-06-10'),
      updates: [
        { status: 'new', createdAt: day('2026-06-10') },
        { status: 'in_progress', text: 'Der Elektriker kommt am Dienstag.', createdAt: day('2026-06-12') },
      ],
    });
    await projectionRowForTest(ctx.db, litter.caseId, {
      status: 'rejected',
      statusNote: 'Privatgrundstück, bitte an den Eigentümer wenden.',
      reportedAt: day('2025-03-10'),
      districtId: null,
      districtName: null,
    });
    await projectionRowForTest(ctx.db, idea.caseId, {
      status: 'not_responsible',
      forwardedTo: 'Landratsamt Konstanz',
      reportedAt: day('2026-01-05'),
    });
    await projectionRowForTest(ctx.db, dup.caseId, { status: 'duplicate', duplicateOfNumber: lamp.number, reportedAt: day('2026-06-11') });
    // Enough for a second page: 26 more plain reports without a point on the map.
    for (let i = 0; i < 26; i++) {
      const c = await fileCase(ctx, { description: `Bank Nummer ${i} wackelt`, type: 'complaint' });
      await projectionRowForTest(ctx.db, c.caseId, { reportedAt: day('2026-02-01') });
    }
  }, 60_000);
  afterAll(() => ctx?.close());

  const numbersOn = (body: string) => [...body.matchAll(/href="\/meldungen\/(\d{4}-\d+)"/g)].map((m) => m[1]);

  describe('/meldungen list', () => {
    it('lists published cases newest first with a count, each linking to its page', async () => {
      const res = await get('/meldungen');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('30 Meldungen');
      const numbers = numbersOn(res.body);
      expect(numbers).toHaveLength(25);
      expect(numbers[0]).toBe(dup.number);
      expect(numbers[1]).toBe(lamp.number);
      expect(res.body).toContain('in Bearbeitung');
      expect(res.body).toContain('href="/meldungen?seite=2"');
      // The map is an enhancement: hidden in the HTML, with a skip link to the list.
      expect(res.body).toMatch(/<section[^>]*data-public-map[^>]*hidden>/);
      expect(res.body).toContain('href="#liste"');
    });

    it('filters by category, type, status, district and time', async () => {
      const only = async (query: string) => numbersOn((await get(`/meldungen?${query}`)).body);
      expect(await only('kategorie=strassenbeleuchtung')).toEqual([dup.number, lamp.number]);
      expect(await only('art=idea')).toEqual([idea.number]);
      expect(await only('status=rejected')).toEqual([litter.number]);
      expect(await only(`bezirk=${town.districts.altstadt.id}`)).toEqual([dup.number, lamp.number]);
      expect(await only('von=2025-01-01&bis=2025-12-31')).toEqual([litter.number]);
      // "bis" includes its own day, in the town's time.
      expect(await only('von=2026-06-11&bis=2026-06-11')).toEqual([dup.number]);
      expect(await only('kategorie=strassenbeleuchtung&status=duplicate')).toEqual([dup.number]);
      const filtered = await get('/meldungen?kategorie=strassenbeleuchtung');
      expect(filtered.body).toContain('2 Meldungen');
      // The map asks with the same filters.
      expect(filtered.body).toContain('data-query="kategorie=strassenbeleuchtung"');
    });

    it('pages with a fixed size and clamps a page past the end to the last one', async () => {
      const second = await get('/meldungen?seite=2');
      expect(second.statusCode).toBe(200);
      expect(numbersOn(second.body)).toHaveLength(5);
      expect(second.body).toContain('Seite 2 von 2');
      expect(second.body).toContain('href="/meldungen"');
      const far = await get('/meldungen?seite=5000');
      expect(far.statusCode).toBe(200);
      expect(far.body).toContain('Seite 5.000 gibt es nicht; hier ist die letzte Seite.');
      expect(numbersOn(far.body)).toEqual(numbersOn(second.body));
    });

    it.each([
      ['absurd page', 'seite=1000000000', 'Die Seitenzahl muss eine ganze Zahl zwischen 1 und 99.999 sein.'],
      ['negative page', 'seite=-3', 'Die Seitenzahl muss'],
      ['page zero', 'seite=0', 'Die Seitenzahl muss'],
      ['page as text', 'seite=zwei', 'Die Seitenzahl muss'],
      ['unknown category', 'kategorie=gibt-es-nicht', 'Diese Kategorie gibt es nicht.'],
      ['unknown district', 'bezirk=999999', 'Diesen Stadtteil gibt es nicht.'],
      ['SQL in the category', `kategorie=${encodeURIComponent("x' OR '1'='1")}`, 'Diese Kategorie gibt es nicht.'],
      ['SQL in the status', `status=${encodeURIComponent('new; DROP TABLE cases;--')}`, 'Diesen Status gibt es nicht.'],
      ['SQL in the district', `bezirk=${encodeURIComponent('1 OR 1=1')}`, 'Diesen Stadtteil gibt es nicht.'],
      ['a huge string', `kategorie=${'a'.repeat(20_000)}`, 'Diese Kategorie gibt es nicht.'],
      ['an array for a scalar', 'status=new&status=resolved', 'Bitte geben Sie bei „Status“ nur einen Wert an.'],
      ['bracket array syntax', 'art[]=idea', ''],
      ['an impossible date', 'von=2026-13-45', '„Gemeldet ab“ ist kein gültiges Datum'],
      ['a date as words', 'bis=gestern', 'Bitte geben Sie bei „Gemeldet bis“ ein Datum an'],
      ['from after to', 'von=2026-06-01&bis=2026-05-01', '„Gemeldet ab“ muss vor „Gemeldet bis“ liegen.'],
    ])('answers %s with a German message and 400, never with SQL', async (_label, query, message) => {
      const res = await get(`/meldungen?${query}`);
      if (query === 'art[]=idea') {
        // An unknown key is ignored, not an error: the unfiltered list.
        expect(res.statusCode).toBe(200);
        return;
      }
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Bitte prüfen Sie Ihre Angaben');
      expect(res.body).toContain(message.replaceAll('"', '&quot;'));
      expect(res.body).not.toMatch(/syntax error|Failed query|DrizzleQueryError|\.ts:\d+/i);
      expect(numbersOn(res.body)).toEqual([]);
    });
  });

  describe('/meldungen/karte.geojson', () => {
    const box = '9.16,47.65,9.21,47.71';

    it('answers an RFC 7946 FeatureCollection of the box, coordinates as [lon, lat]', async () => {
      const res = await get(`/meldungen/karte.geojson?bbox=${box}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
      const body = res.json();
      expect(body.type).toBe('FeatureCollection');
      expect(body.capped).toBe(false);
      expect(body.features.map((f: { id: string }) => f.id).sort()).toEqual([lamp.number, litter.number, idea.number, dup.number].sort());
      const lampFeature = body.features.find((f: { id: string }) => f.id === lamp.number);
      expect(lampFeature).toEqual({
        type: 'Feature',
        id: lamp.number,
        geometry: { type: 'Point', coordinates: [9.175, 47.665] },
        properties: {
          number: lamp.number,
          category: 'Straßenbeleuchtung',
          status: 'in_progress',
          statusLabel: 'in Bearbeitung',
          reportedAt: '2026-06-10T08:00:00.000Z',
          url: `/meldungen/${lamp.number}`,
        },
      });
    });

    it('keeps to the box and the list filters', async () => {
      const ids = async (query: string) =>
        (await get(`/meldungen/karte.geojson?${query}`)).json().features.map((f: { id: string }) => f.id);
      expect(await ids('bbox=9.17,47.66,9.18,47.67')).toEqual([dup.number, lamp.number]);
      expect(await ids(`bbox=${box}&status=rejected`)).toEqual([litter.number]);
      expect(await ids(`bbox=${box}&kategorie=strassenbeleuchtung&von=2026-06-11`)).toEqual([dup.number]);
      expect(await ids('bbox=10,50,10.5,50.5')).toEqual([]);
    });

    it.each([
      ['no bbox', '', 'Bitte geben Sie den Kartenausschnitt'],
      ['three numbers', 'bbox=9.1,47.6,9.2', 'vier Dezimalzahlen'],
      ['an exponent', 'bbox=9e0,47.6,9.2,47.7', 'vier Dezimalzahlen'],
      ['SQL', `bbox=${encodeURIComponent('9.1,47.6,9.2,47.7) OR (1=1')}`, 'vier Dezimalzahlen'],
      ['inverted longitudes', 'bbox=9.2,47.6,9.1,47.7', 'vertauscht'],
      ['inverted latitudes', 'bbox=9.1,47.7,9.2,47.6', 'vertauscht'],
      ['out of range', 'bbox=179.5,89.5,181,91', 'außerhalb der Erde'],
      ['too large', 'bbox=5,45,15,55', 'zu groß'],
      ['an array', 'bbox=9.1,47.6,9.2,47.7&bbox=9.1,47.6,9.2,47.7', 'Bitte geben Sie den Kartenausschnitt'],
      ['a bad filter', `bbox=${box}&status=kaputt`, 'Diesen Status gibt es nicht.'],
      ['an absurd filter value', `bbox=${box}&bezirk=${'9'.repeat(5000)}`, 'Diesen Stadtteil gibt es nicht.'],
    ])('refuses %s with 400 and a German JSON error', async (_label, query, message) => {
      // No Accept header, as a script or curl might send: still JSON, never the HTML error page.
      const res = await get(`/meldungen/karte.geojson?${query}`, {});
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json().error).toContain(message);
    });

    it('answers a control character refused by the input edge as JSON too', async () => {
      const res = await get(`/meldungen/karte.geojson?bbox=${box}&kategorie=%00`, {});
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(typeof res.json().error).toBe('string');
    });
  });

  describe('/meldungen/:number', () => {
    it('shows the public facts, the escaped text, history, answer and released photo', async () => {
      const res = await get(`/meldungen/${lamp.number}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`Meldung ${lamp.number}`);
      expect(res.body).toContain('Schild &lt;script>alert(&quot;x&quot;)&lt;/script> &amp; &lt;b>fett&lt;/b> umgefallen');
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).toContain('Straßenbeleuchtung');
      expect(res.body).toContain('Altstadt');
      expect(res.body).toContain('in Bearbeitung');
      expect(res.body).toContain('Der Elektriker kommt am Dienstag.');
      expect(res.body).toContain('10.06.2026');
      expect(res.body).toContain('12.06.2026');
      expect(res.body).toContain(`src="/meldungen/${lamp.number}/fotos/${releasedPhoto}/vorschau"`);
      expect(res.body).not.toContain(`/fotos/${unreleasedPhoto}`);
    });

    it('says where a case went, why it was rejected, and links the original of a duplicate', async () => {
      expect((await get(`/meldungen/${idea.number}`)).body).toContain('nicht zuständig</strong> — weitergeleitet an Landratsamt Konstanz');
      expect((await get(`/meldungen/${litter.number}`)).body).toContain('Begründung: Privatgrundstück, bitte an den Eigentümer wenden.');
      expect((await get(`/meldungen/${dup.number}`)).body).toContain(`href="/meldungen/${lamp.number}"`);
    });

    it('answers unpublished, unknown and malformed numbers with the same friendly 404', async () => {
      const unpublished = await get(`/meldungen/${secret.number}`);
      const unknown = await get('/meldungen/2026-99999');
      const malformed = await get(`/meldungen/${encodeURIComponent("1' OR '1'='1")}`);
      for (const res of [unpublished, unknown, malformed]) {
        expect(res.statusCode).toBe(404);
        expect(res.body).toContain('Diese Meldung gibt es nicht oder sie ist nicht öffentlich.');
      }
      expect(unpublished.body).toBe(unknown.body);
      expect(unpublished.body).toBe(malformed.body);
    });
  });

  describe('photos', () => {
    it('serves a released photo and thumbnail, cacheable and without metadata', async () => {
      const [stored] = await ctx.db.select().from(attachments).where(eq(attachments.id, releasedPhoto));
      const full = await get(`/meldungen/${lamp.number}/fotos/${releasedPhoto}`);
      expect(full.statusCode).toBe(200);
      expect(full.headers['content-type']).toBe(stored?.mimeType);
      expect(full.headers['cache-control']).toBe('public, max-age=600');
      expect(full.rawPayload.equals(await ctx.storage.get(stored?.storageKey ?? ''))).toBe(true);
      const meta = await sharp(full.rawPayload).metadata();
      expect(meta.exif).toBeUndefined();
      const thumb = await get(`/meldungen/${lamp.number}/fotos/${releasedPhoto}/vorschau`);
      expect(thumb.statusCode).toBe(200);
      expect(thumb.rawPayload.equals(await ctx.storage.get(stored?.thumbKey ?? ''))).toBe(true);
    });

    it.each([
      ['a photo not in photo_ids', () => `/meldungen/${lamp.number}/fotos/${unreleasedPhoto}`],
      ['its thumbnail', () => `/meldungen/${lamp.number}/fotos/${unreleasedPhoto}/vorschau`],
      ['another case’s photo under this number', () => `/meldungen/${dup.number}/fotos/${releasedPhoto}`],
      ['an unpublished case’s photo', () => `/meldungen/${secret.number}/fotos/${secretPhoto}`],
      ['a garbage id', () => `/meldungen/${lamp.number}/fotos/1e9`],
    ])('answers %s with 404', async (_label, url) => {
      const res = await get(url());
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Dieses Foto gibt es nicht oder es ist nicht öffentlich.');
    });
  });

  it('links /meldungen from the home page and the public navigation', async () => {
    const home = await get('/');
    expect(home.body.match(/href="\/meldungen"/g)?.length).toBeGreaterThanOrEqual(2);
    const tracking = await get('/verfolgen/unbekannt-aber-lang-genug');
    expect(tracking.body).toContain('href="/meldungen"');
  });

  // Last: runs over every body collected above.
  it('never shows an unpublished case: its number and text appear in no answer', async () => {
    await get('/meldungen?seite=1');
    await get('/meldungen/karte.geojson?bbox=9.17,47.66,9.18,47.67');
    expect(seen.length).toBeGreaterThan(40);
    for (const body of seen) {
      expect(body).not.toContain(secret.number);
      expect(body).not.toContain('GEHEIMSACHE');
    }
  });
});

describeDb('public map data: the cap', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    // The pipeline is not what is tested here: plain case rows, each published the one test way.
    const rows = await ctx.db.execute<{
      id: number;
    }>(sql`insert into cases (number, tracking_token, channel, type, description, lat, lon, created_at)
      select '2026-' || lpad(g::text, 6, '0'), md5(random()::text || g), 'web', 'defect', 'Gully ' || g || ' verstopft', 47.66 + g * 0.00001, 9.17,
             timestamptz '2026-01-01 00:00Z' + g * interval '1 minute'
      from generate_series(0, 501) g returning id`);
    const ids = (rows as unknown as { rows: { id: number }[] }).rows.map((r) => r.id);
    for (const id of ids) await projectionRowForTest(ctx.db, id);
  }, 60_000);
  afterAll(() => ctx?.close());

  it('returns the newest 500 and says there are more', async () => {
    const res = await ctx.app.inject({ url: '/meldungen/karte.geojson?bbox=9.1,47.6,9.2,47.7' });
    const body = res.json();
    expect(res.statusCode).toBe(200);
    expect(body.features).toHaveLength(500);
    expect(body.capped).toBe(true);
    expect(body.hint).toContain('500 neuesten Meldungen');
    expect(body.features[0].properties.reportedAt).toBe(new Date(Date.UTC(2026, 0, 1) + 501 * 60_000).toISOString());
  });
});

describeDb('/meldungen: the count beyond its cap', () => {
  let ctx: TestContext;
  const listOf = async (query = '') => (await ctx.app.inject({ url: `/meldungen${query}`, headers: { accept: 'text/html' } })).body;
  beforeAll(async () => {
    ctx = await createTestContext();
    // COUNT_CAP + 1 published cases (bulk rows; the pipeline is not what is tested), a tenth of them rejected.
    await ctx.db.execute(sql`insert into cases (number, tracking_token, channel, type, description, created_at)
      select '2026-' || lpad(g::text, 6, '0'), md5(random()::text || g), 'web', 'defect', 'Bank ' || g || ' wackelt',
             timestamptz '2026-01-01 00:00Z' + g * interval '1 minute'
      from generate_series(1, ${COUNT_CAP + 1}) g`);
    await ctx.db.execute(sql`insert into public_cases (case_id, number, status, type, text, reported_at, published_at, updated_at)
      select id, number, case when id % 10 = 0 then 'rejected' else 'new' end, type, description, created_at, created_at, created_at
      from cases`);
  }, 60_000);
  afterAll(() => ctx?.close());

  it('says "mehr als 1.000" past the cap and pages on without a last page', async () => {
    const first = await listOf();
    expect(first).toContain('Mehr als 1.000 Meldungen');
    expect(first).toContain('Seite 1: Meldungen 1 bis 25 von mehr als 1.000 Meldungen, neueste zuerst.');
    expect(first).toContain('href="/meldungen?seite=2"');
    const deep = await listOf('?seite=41');
    expect(deep).toContain('Mehr als 1.000 Meldungen');
    expect(deep).toContain('Seite 41: Meldungen 1.001 bis 1.001');
    expect(deep).toContain('href="/meldungen?seite=40"');
    expect(deep).not.toContain('href="/meldungen?seite=42"');
  });

  it('finds the real last page for a page past the end, with the exact count', async () => {
    const far = await listOf('?seite=500');
    expect(far).toContain('Seite 500 gibt es nicht; hier ist die letzte Seite.');
    expect(far).toContain('1.001 Meldungen');
    expect(far).toContain('Seite 41 von 41');
  });

  it('counts exactly up to the cap, and at once after a change', async () => {
    const rejected = await listOf('?status=rejected');
    expect(rejected).toContain('100 Meldungen');
    expect(rejected).not.toContain('Mehr als');
    await ctx.db.execute(
      sql`update public_cases set status = 'rejected' where case_id = (select min(case_id) from public_cases where status = 'new')`,
    );
    expect(await listOf('?status=rejected')).toContain('101 Meldungen');
    // Exactly at the cap is still exact.
    await ctx.db.execute(sql`delete from public_cases where case_id = (select max(case_id) from public_cases)`);
    const all = await listOf();
    expect(all).toContain('1.000 Meldungen');
    expect(all).not.toContain('Mehr als');
    expect(all).toContain('Seite 1 von 40');
  });
});
