import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { insertPost } from '../../../../test/helpers/posts.ts';
import { fixedClock } from '../../../infra/clock.ts';

const EVIL = '<script>alert("x")</script> & ]]> \u0001';
const ATOM = 'http://www.w3.org/2005/Atom';
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  // Atom repeats link; RSS has one link per channel and item.
  isArray: (name, jpath) => ['entry', 'item', 'category'].includes(name) || (name === 'link' && String(jpath).startsWith('feed.')),
});

function parseXml<T>(xml: string): T {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as T;
}

type Text = { '#text': string; '@type': string };
interface AtomFeed {
  feed: {
    '@xmlns': string;
    id: string;
    title: Text;
    updated: string;
    author: { name: string };
    link: { '@rel': string; '@href': string }[];
    entry?: { id: string; title: Text; updated: string; link: { '@href': string }[]; content: Text; category: { '@term': string }[] }[];
  };
}
interface RssFeed {
  rss: {
    '@version': string;
    channel: {
      title: string;
      link: string;
      description: string;
      language: string;
      item?: { title: string; link: string; guid: { '#text': string }; pubDate: string; description: string }[];
    };
  };
}

describeDb('Amtsblatt feeds: Atom, RSS 2.0, JSON Feed 1.1, iCalendar, 304', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ clock: fixedClock(new Date('2026-06-01T08:00:00Z')) });
    await insertPost(ctx.db, {
      title: 'Neue Bänke im Park',
      slug: 'baenke',
      tags: ['park'],
      publishedAt: new Date('2026-05-02T10:00:00Z'),
    });
    await insertPost(ctx.db, {
      kind: 'notice',
      title: 'Bekanntmachung zur Wahl',
      slug: 'wahl',
      noticeNumber: 3,
      publishedAt: new Date('2026-05-03T10:00:00Z'),
    });
    await insertPost(ctx.db, {
      kind: 'event',
      title: 'Sommerfest; mit Musik, Tanz',
      slug: 'sommerfest',
      eventStartsAt: new Date('2026-07-04T15:00:00Z'),
      eventEndsAt: new Date('2026-07-04T21:00:00Z'),
      eventPlace: 'Marktplatz',
      publishedAt: new Date('2026-05-04T10:00:00Z'),
    });
    await insertPost(ctx.db, { kind: 'event', title: 'Längst vorbei', slug: 'vorbei', eventStartsAt: new Date('2025-01-01T10:00:00Z') });
    await insertPost(ctx.db, {
      title: `Böse ${EVIL}`,
      slug: 'boese',
      body: `Text ${EVIL} <img src=x onerror=alert(1)>`,
      tags: ['park'],
      publishedAt: new Date('2026-05-05T10:00:00Z'),
    });
    await insertPost(ctx.db, { title: 'Entwurf', slug: 'entwurf', status: 'draft' });
  });
  afterAll(() => ctx.close());

  it('writes a valid Atom feed: feed and entry ids, titles, updated, author, self link, HTML content escaped', async () => {
    const res = await ctx.app.inject({ url: '/amtsblatt/feed.atom' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const { feed } = parseXml<AtomFeed>(res.body);
    expect(feed['@xmlns']).toBe(ATOM);
    expect(feed.id).toBe('http://localhost:3000/amtsblatt/feed.atom');
    expect(feed.title['#text']).toBe('Amtsblatt der Stadt Musterstadt');
    expect(feed.author.name).toBe('Stadt Musterstadt');
    expect(feed.link.find((l) => l['@rel'] === 'self')?.['@href']).toBe(feed.id);
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
    const entries = feed.entry ?? [];
    expect(entries.map((e) => e.id)).toEqual([
      'http://localhost:3000/amtsblatt/boese',
      'http://localhost:3000/amtsblatt/sommerfest',
      'http://localhost:3000/amtsblatt/wahl',
      'http://localhost:3000/amtsblatt/baenke',
      'http://localhost:3000/amtsblatt/vorbei',
    ]);
    for (const e of entries) {
      expect(e.title['#text'].length).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(e.updated))).toBe(false);
    }
    expect(entries.find((e) => e.id.endsWith('/wahl'))?.title['#text']).toBe('Bekanntmachung 2026/3: Bekanntmachung zur Wahl');
    const evil = entries[0];
    expect(evil?.content['@type']).toBe('html');
    // The HTML is carried as escaped text, sanitised: no script, no event handler.
    expect(res.body).not.toContain('<script>');
    expect(evil?.content['#text']).not.toContain('script');
    expect(evil?.content['#text']).not.toContain('onerror');
  });

  it('writes a valid RSS 2.0 feed and a JSON Feed 1.1', async () => {
    const rss = await ctx.app.inject({ url: '/amtsblatt/feed.rss' });
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const { rss: doc } = parseXml<RssFeed>(rss.body);
    expect(doc['@version']).toBe('2.0');
    expect(doc.channel.title).toBe('Amtsblatt der Stadt Musterstadt');
    expect(doc.channel.link).toBe('http://localhost:3000/amtsblatt');
    expect(doc.channel.description.length).toBeGreaterThan(0);
    expect(doc.channel.language).toBe('de-de');
    expect(doc.channel.item).toHaveLength(5);
    for (const item of doc.channel.item ?? []) {
      expect(item.link).toMatch(/^http:\/\/localhost:3000\/amtsblatt\//);
      expect(item.guid['#text']).toBe(item.link);
      expect(new Date(item.pubDate).toUTCString()).toBe(item.pubDate);
    }

    const json = await ctx.app.inject({ url: '/amtsblatt/feed.json' });
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    const feed = json.json();
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBe('Amtsblatt der Stadt Musterstadt');
    expect(feed.language).toBe('de');
    expect(feed.authors).toEqual([{ name: 'Stadt Musterstadt', url: 'http://localhost:3000' }]);
    expect(feed.author).toBeUndefined();
    expect(feed.feed_url).toBe('http://localhost:3000/amtsblatt/feed.json');
    expect(feed.items).toHaveLength(5);
    for (const item of feed.items as Record<string, unknown>[]) {
      expect(typeof item.id).toBe('string');
      expect(typeof item.content_html === 'string' || typeof item.content_text === 'string').toBe(true);
      expect(String(item.content_html)).not.toContain('<script');
    }
  });

  it('filters per kind and per tag, refuses an unknown kind', async () => {
    const notices = parseXml<AtomFeed>((await ctx.app.inject({ url: '/amtsblatt/feed.atom?art=bekanntmachung' })).body).feed;
    expect(notices.entry?.map((e) => e.id)).toEqual(['http://localhost:3000/amtsblatt/wahl']);
    expect(notices.title['#text']).toBe('Amtsblatt der Stadt Musterstadt: Amtliche Bekanntmachung');
    expect(notices.id).toBe('http://localhost:3000/amtsblatt/feed.atom?art=bekanntmachung');
    const park = (await ctx.app.inject({ url: '/amtsblatt/feed.json?schlagwort=park' })).json();
    expect(park.items.map((i: { id: string }) => i.id)).toEqual([
      'http://localhost:3000/amtsblatt/boese',
      'http://localhost:3000/amtsblatt/baenke',
    ]);
    expect((await ctx.app.inject({ url: '/amtsblatt/feed.rss?art=gibtsnicht' })).statusCode).toBe(400);
  });

  it('answers 304 to a client that has the feed, by ETag and by date', async () => {
    for (const url of ['/amtsblatt/feed.atom', '/amtsblatt/feed.rss', '/amtsblatt/feed.json', '/amtsblatt/termine.ics']) {
      const first = await ctx.app.inject({ url });
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await ctx.app.inject({ url, headers: { 'if-none-match': etag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const since = await ctx.app.inject({ url, headers: { 'if-modified-since': String(first.headers['last-modified']) } });
      expect(since.statusCode).toBe(304);
    }
    // A new post changes the feed.
    const before = String((await ctx.app.inject({ url: '/amtsblatt/feed.atom' })).headers.etag);
    await insertPost(ctx.db, { title: 'Ganz neu', slug: 'ganz-neu', publishedAt: new Date('2026-05-20T10:00:00Z') });
    const after = await ctx.app.inject({ url: '/amtsblatt/feed.atom', headers: { 'if-none-match': before } });
    expect(after.statusCode).toBe(200);
  });

  it('announces the feeds on the home page and the Amtsblatt pages', async () => {
    for (const url of ['/', '/amtsblatt', '/amtsblatt/baenke']) {
      const body = (await ctx.app.inject({ url })).body;
      expect(body).toContain(
        '<link rel="alternate" type="application/atom+xml" title="Amtsblatt der Stadt Musterstadt (Atom)" href="/amtsblatt/feed.atom"',
      );
      expect(body).toContain('type="application/rss+xml"');
      expect(body).toContain('type="application/feed+json"');
    }
    expect((await ctx.app.inject({ url: '/amtsblatt?art=termin' })).body).toContain('href="/amtsblatt/feed.atom?art=termin"');
  });

  it('writes the events as iCalendar, all upcoming and one per event', async () => {
    const res = await ctx.app.inject({ url: '/amtsblatt/termine.ics' });
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.body).toContain('\r\n');
    const cal = new ICAL.Component(ICAL.parse(res.body));
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBeTruthy();
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    // The long-past event is not in the calendar.
    expect(events.map((e) => e.summary)).toEqual(['Sommerfest; mit Musik, Tanz']);
    const [fest] = events;
    expect(fest?.startDate.toJSDate().toISOString()).toBe('2026-07-04T15:00:00.000Z');
    expect(fest?.endDate.toJSDate().toISOString()).toBe('2026-07-04T21:00:00.000Z');
    expect(fest?.location).toBe('Marktplatz');
    expect(fest?.uid).toMatch(/^post-\d+@localhost:3000$/);
    const one = await ctx.app.inject({ url: '/amtsblatt/sommerfest/termin.ics' });
    expect(one.statusCode).toBe(200);
    expect(new ICAL.Component(ICAL.parse(one.body)).getAllSubcomponents('vevent')).toHaveLength(1);
    expect((await ctx.app.inject({ url: '/amtsblatt/baenke/termin.ics' })).statusCode).toBe(400);
  });
});
