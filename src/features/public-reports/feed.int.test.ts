import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { publishForTest } from '../../../test/helpers/public-cases.ts';
import { districts } from '../../infra/schema/index.ts';
import { withdrawCase } from '../transparency/publication/service.ts';

const EVIL_TEXT = 'Schild <script>alert("x")</script> & <b>fett</b> ]]> umgefallen';
const ATOM = 'http://www.w3.org/2005/Atom';

interface Link {
  '@rel': string;
  '@type': string;
  '@href': string;
}
interface Entry {
  id: string;
  title: { '#text': string };
  link: Link[];
  updated: string;
  published: string;
  category: { '@term': string; '@label': string; '@scheme': string }[];
  content: { '#text': string; '@type': string };
}
interface Feed {
  '@xmlns': string;
  id: string;
  title: { '#text': string };
  updated: string;
  author: { name: string };
  link: Link[];
  entry?: Entry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => ['entry', 'link', 'category'].includes(name),
});

/** Parses a feed back, after checking it is well-formed XML at all. */
function parseFeed(xml: string): Feed {
  expect(XMLValidator.validate(xml)).toBe(true);
  return (parser.parse(xml) as { feed: Feed }).feed;
}

describeDb('Atom feeds of /meldungen', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let paradiesId: number;
  let lamp: { caseId: number; number: string };
  let litter: { caseId: number; number: string };
  let unpublished: { caseId: number; number: string };
  let withdrawn: { caseId: number; number: string };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    const [paradies] = await ctx.db
      .insert(districts)
      .values({
        name: 'Paradies',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [9.15, 47.65],
              [9.16, 47.65],
              [9.16, 47.66],
              [9.15, 47.66],
              [9.15, 47.65],
            ],
          ],
        },
      })
      .returning();
    paradiesId = paradies?.id ?? 0;
    lamp = await fileCase(ctx, {
      description: `${EVIL_TEXT}, bitte rufen Sie erika.mustermann@example.org an`,
      categoryId: town.categories.streetLight.id,
      lat: 47.665,
      lon: 9.175,
    });
    litter = await fileCase(ctx, { description: 'Sperrmüll im Paradies', categoryId: town.categories.litter.id, lat: 47.655, lon: 9.155 });
    unpublished = await fileCase(ctx, { description: 'UNVERÖFFENTLICHT am Ufer', categoryId: town.categories.streetLight.id });
    withdrawn = await fileCase(ctx, { description: 'ZURÜCKGEZOGEN am Markt', categoryId: town.categories.streetLight.id });
    for (const c of [lamp, litter, withdrawn]) await publishForTest(ctx.db, c.caseId);
    await ctx.db.transaction((tx) => withdrawCase(tx, withdrawn.caseId, { userId: null, label: 'Test' }, 'Versehen'));
  }, 60_000);
  afterAll(() => ctx?.close());

  const feed = (query = '', headers: Record<string, string> = {}) => ctx.app.inject({ url: `/meldungen/feed.atom${query}`, headers });
  const numbersIn = (f: Feed) => (f.entry ?? []).map((e) => e.id.split('/').pop());

  it('answers a well-formed Atom feed with the required elements', async () => {
    const res = await feed();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const f = parseFeed(res.body);
    expect(f['@xmlns']).toBe(ATOM);
    expect(f.id).toBe(`${ctx.config.publicUrl}/meldungen/feed.atom`);
    expect(f.title['#text']).toBe(`Meldungen in ${ctx.config.townName}`);
    expect(f.author.name).toBe(`Stadt ${ctx.config.townName}`);
    expect(f.link).toEqual(
      expect.arrayContaining([
        { '@rel': 'self', '@type': 'application/atom+xml', '@href': `${ctx.config.publicUrl}/meldungen/feed.atom` },
        { '@rel': 'alternate', '@type': 'text/html', '@href': `${ctx.config.publicUrl}/meldungen` },
      ]),
    );
    expect(numbersIn(f).sort()).toEqual([lamp.number, litter.number].sort());
    const entry = f.entry?.find((e) => e.id.endsWith(lamp.number));
    expect(entry?.id).toBe(`${ctx.config.publicUrl}/meldungen/${lamp.number}`);
    expect(entry?.link[0]).toEqual({ '@rel': 'alternate', '@type': 'text/html', '@href': entry?.id });
    expect(entry?.category).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ '@term': 'strassenbeleuchtung', '@label': 'Straßenbeleuchtung' }),
        expect.objectContaining({ '@term': String(town.districts.altstadt.id), '@label': 'Altstadt' }),
        expect.objectContaining({ '@term': 'new', '@label': 'neu' }),
      ]),
    );
    expect(entry?.title['#text']).toBe(`Meldung ${lamp.number}: Straßenbeleuchtung, Altstadt (neu)`);
    // Every date is RFC 3339, and the feed's is the newest of its entries.
    for (const e of f.entry ?? []) expect(new Date(e.updated).toISOString()).toBe(e.updated);
    expect(f.updated).toBe(
      [...(f.entry ?? [])]
        .map((e) => e.updated)
        .sort()
        .at(-1),
    );
  });

  it('carries the masked public text, escaped: markup arrives as text, never as elements', async () => {
    const res = await feed();
    expect(res.body).not.toContain('<script');
    expect(res.body).not.toContain('<b>');
    expect(res.body).not.toContain('erika.mustermann');
    const entry = parseFeed(res.body).entry?.find((e) => e.id.endsWith(lamp.number));
    expect(entry?.content['@type']).toBe('text');
    // The parser unescapes: the citizen's characters come back exactly.
    expect(entry?.content['#text']).toContain(EVIL_TEXT);
    expect(entry?.content['#text']).toContain('Status: neu');
  });

  it('filters by district and by category like the list, and says so in its title and links', async () => {
    const inParadies = parseFeed((await feed(`?bezirk=${paradiesId}`)).body);
    expect(numbersIn(inParadies)).toEqual([litter.number]);
    expect(inParadies.title['#text']).toBe(`Meldungen in ${ctx.config.townName}: Stadtteil Paradies`);
    expect(inParadies.id).toBe(`${ctx.config.publicUrl}/meldungen/feed.atom?bezirk=${paradiesId}`);
    expect(inParadies.link.find((l) => l['@rel'] === 'alternate')?.['@href']).toBe(
      `${ctx.config.publicUrl}/meldungen?bezirk=${paradiesId}`,
    );
    const lights = parseFeed((await feed('?kategorie=strassenbeleuchtung')).body);
    expect(numbersIn(lights)).toEqual([lamp.number]);
    expect(lights.title['#text']).toBe(`Meldungen in ${ctx.config.townName}: Kategorie Straßenbeleuchtung`);
    const both = parseFeed((await feed(`?kategorie=illegaler-muell&bezirk=${town.districts.altstadt.id}`)).body);
    expect(both.entry).toBeUndefined();
    // The same feed whatever order the filters came in: one id per selection.
    const swapped = parseFeed((await feed(`?bezirk=${town.districts.altstadt.id}&kategorie=illegaler-muell&seite=3`)).body);
    expect(swapped.id).toBe(both.id);
  });

  it('never carries an unpublished or a withdrawn case', async () => {
    for (const query of ['', '?kategorie=strassenbeleuchtung', `?bezirk=${town.districts.altstadt.id}`]) {
      const body = (await feed(query)).body;
      for (const c of [unpublished, withdrawn]) expect(body).not.toContain(c.number);
      expect(body).not.toContain('UNVERÖFFENTLICHT');
      expect(body).not.toContain('ZURÜCKGEZOGEN');
    }
  });

  it('answers 304 to a client that has the current feed, and 200 once it changed', async () => {
    const first = await feed('?kategorie=strassenbeleuchtung');
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(first.headers['cache-control']).toBe('public, max-age=300');

    const again = await feed('?kategorie=strassenbeleuchtung', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect((await feed('?kategorie=strassenbeleuchtung', { 'if-none-match': `"x", W/${etag}` })).statusCode).toBe(304);
    expect((await feed('?kategorie=strassenbeleuchtung', { 'if-modified-since': lastModified })).statusCode).toBe(304);
    // Another selection is another document.
    expect((await feed(`?bezirk=${paradiesId}`, { 'if-none-match': etag })).statusCode).toBe(200);

    // A case leaves the feed: the ETag changes, though no remaining entry got newer.
    await ctx.db.transaction((tx) => withdrawCase(tx, lamp.caseId, { userId: null, label: 'Test' }, 'Versehen'));
    const changed = await feed('?kategorie=strassenbeleuchtung', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(parseFeed(changed.body).entry).toBeUndefined();
    await publishForTest(ctx.db, lamp.caseId);
  });

  it.each([
    ['an unknown category', '?kategorie=gibt-es-nicht', 'Diese Kategorie gibt es nicht.'],
    ['an unknown district', '?bezirk=999999', 'Diesen Stadtteil gibt es nicht.'],
    ['SQL in the district', `?bezirk=${encodeURIComponent('1 OR 1=1')}`, 'Diesen Stadtteil gibt es nicht.'],
    ['a repeated filter', '?status=new&status=resolved', 'Bitte geben Sie bei „Status“ nur einen Wert an.'],
    ['an impossible date', '?von=2026-13-45', '„Gemeldet ab“ ist kein gültiges Datum'],
  ])('refuses %s with 400 and a German message, as the list does', async (_label, query, message) => {
    const res = await feed(query, { accept: 'application/atom+xml' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toContain(message);
    const page = await feed(query, { accept: 'text/html' });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(message.replaceAll('"', '&quot;'));
    expect(page.body).not.toMatch(/syntax error|Failed query|\.ts:\d+/i);
  });

  it('is announced on /meldungen for the current filters, with a visible link beside them', async () => {
    const page = await ctx.app.inject({ url: `/meldungen?bezirk=${paradiesId}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain(
      `<link rel="alternate" type="application/atom+xml" title="Meldungen in ${ctx.config.townName}: Stadtteil Paradies" href="/meldungen/feed.atom?bezirk=${paradiesId}"/>`,
    );
    expect(page.body).toMatch(
      new RegExp(`<a class="kern-link" href="/meldungen/feed.atom\\?bezirk=${paradiesId}"[^>]*>Als Feed abonnieren</a>`),
    );
    const all = await ctx.app.inject({ url: '/meldungen', headers: { accept: 'text/html' } });
    expect(all.body).toContain('href="/meldungen/feed.atom"');
  });

  it('is announced on the case page: its district, its category and all reports', async () => {
    const page = await ctx.app.inject({ url: `/meldungen/${litter.number}`, headers: { accept: 'text/html' } });
    const feeds = [...page.body.matchAll(/<link rel="alternate" type="application\/atom\+xml" title="([^"]+)" href="([^"]+)"/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(feeds).toEqual([
      [`Meldungen in ${ctx.config.townName}: Stadtteil Paradies`, `/meldungen/feed.atom?bezirk=${paradiesId}`],
      [`Meldungen in ${ctx.config.townName}: Kategorie Illegaler Müll`, '/meldungen/feed.atom?kategorie=illegaler-muell'],
      [`Meldungen in ${ctx.config.townName}`, '/meldungen/feed.atom'],
    ]);
  });

  describe('size', () => {
    it('holds the newest 50 reports at most', async () => {
      for (let i = 0; i < 50; i++) {
        const c = await fileCase(ctx, { description: `Bank ${i} wackelt`, categoryId: town.categories.litter.id });
        await publishForTest(ctx.db, c.caseId);
      }
      const f = parseFeed((await feed('?kategorie=illegaler-muell')).body);
      expect(f.entry).toHaveLength(50);
      expect(numbersIn(f)).not.toContain(litter.number);
    }, 60_000);
  });
});
