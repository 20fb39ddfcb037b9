import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { insertPost } from '../../../../test/helpers/posts.ts';

const EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const day = (n: number) => new Date(Date.UTC(2026, 2, 1, 9, 0) + n * 86_400_000);
const slugsIn = (html: string): string[] => [...html.matchAll(/href="\/amtsblatt\/(seite-\d+)"/g)].map((m) => m[1] ?? '');

describeDb('public Amtsblatt: timeline, post pages, search, archive', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext();
    // 45 posts over 45 days, two of them in the same instant (the keyset must keep both).
    for (let i = 0; i < 45; i++) {
      await insertPost(ctx.db, {
        title: `Seite ${i}`,
        slug: `seite-${i}`,
        publishedAt: day(i === 44 ? 43 : i),
        tags: i % 2 ? ['verkehr'] : [],
      });
    }
    await insertPost(ctx.db, {
      title: 'Baustellen in der Altstadt',
      slug: 'baustellen-altstadt',
      body: 'Die **Hauptstraße** wird ab Montag wegen Bauarbeiten gesperrt. [Umleitung](https://example.org/umleitung)',
      tags: ['verkehr', 'bauen'],
      publishedAt: day(50),
    });
    await insertPost(ctx.db, {
      title: 'Stadtfest',
      slug: 'stadtfest',
      kind: 'event',
      body: 'Musik und Essen.',
      publishedAt: day(51),
      eventStartsAt: new Date('2026-06-20T14:00:00Z'),
      eventEndsAt: new Date('2026-06-20T22:00:00Z'),
      eventPlace: 'Marktplatz',
    });
    await insertPost(ctx.db, {
      title: 'Neuer Haushalt erklärt',
      slug: 'haushalt-erklaert',
      kind: 'council',
      publishedAt: day(52),
      councilDocumentUrl: 'https://ris.example.org/oparl/paper/17',
      councilDocumentName: 'Vorlage 2026/017',
    });
    await insertPost(ctx.db, { title: 'Zurückgezogen', slug: 'zurueckgezogen', status: 'withdrawn', publishedAt: day(53) });
    await insertPost(ctx.db, { title: 'Noch ein Entwurf', slug: 'entwurf', status: 'draft' });
    await insertPost(ctx.db, {
      title: `Titel ${EVIL}`,
      slug: 'boese',
      body: `Text ${EVIL} [klick](javascript:alert(1)) <a href="javascript:alert(2)">a</a> <iframe src="https://evil"></iframe>`,
      tags: [`tag${EVIL}`],
      publishedAt: day(-30),
      eventPlace: EVIL,
    });
  });
  afterAll(() => ctx.close());

  it('pages newest first without gaps or repeats, also across posts of the same instant', async () => {
    const seen: string[] = [];
    let url: string | null = '/amtsblatt?schlagwort=';
    while (url) {
      const res: { statusCode: number; body: string } = await ctx.app.inject({ url });
      expect(res.statusCode).toBe(200);
      seen.push(...slugsIn(res.body));
      const next: string | undefined = /href="([^"]+)" rel="next"/.exec(res.body)?.[1];
      url = next ? next.replace(/&amp;/g, '&') : null;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    // Newest first: seite-43 and seite-44 share an instant, the higher id first.
    expect(seen.slice(0, 3)).toEqual(['seite-44', 'seite-43', 'seite-42']);
    expect(seen.at(-1)).toBe('seite-0');
  });

  it('shows only published posts: a withdrawn one answers 410 in German, a draft 404', async () => {
    const list = await ctx.app.inject({ url: '/amtsblatt' });
    expect(list.body).not.toContain('Zurückgezogen');
    expect(list.body).not.toContain('Noch ein Entwurf');
    const withdrawn = await ctx.app.inject({ url: '/amtsblatt/zurueckgezogen' });
    expect(withdrawn.statusCode).toBe(410);
    expect(withdrawn.body).toContain('Dieser Beitrag wurde zurückgezogen und ist nicht mehr veröffentlicht.');
    expect((await ctx.app.inject({ url: '/amtsblatt/entwurf' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/amtsblatt/gibt-es-nicht' })).statusCode).toBe(404);
  });

  it('renders the permanent page: Markdown, tags, event date and place, council document', async () => {
    const post = await ctx.app.inject({ url: '/amtsblatt/baustellen-altstadt' });
    expect(post.statusCode).toBe(200);
    expect(post.body).toContain('<strong>Hauptstraße</strong>');
    expect(post.body).toContain('href="https://example.org/umleitung" rel="noopener noreferrer nofollow" class="kern-link"');
    expect(post.body).toContain('href="/amtsblatt?schlagwort=bauen"');
    const event = await ctx.app.inject({ url: '/amtsblatt/stadtfest' });
    expect(event.body).toContain('20. Juni 2026, 16:00 Uhr');
    expect(event.body).toContain('Marktplatz');
    expect(event.body).toContain('href="/amtsblatt/stadtfest/termin.ics"');
    const council = await ctx.app.inject({ url: '/amtsblatt/haushalt-erklaert' });
    expect(council.body).toContain('href="https://ris.example.org/oparl/paper/17"');
    expect(council.body).toContain('Vorlage 2026/017');
  });

  it('finds an inflected word through the German stemmer, and a word by its start', async () => {
    const inflected = await ctx.app.inject({ url: '/amtsblatt?q=Baustelle' });
    expect(inflected.body).toContain('href="/amtsblatt/baustellen-altstadt"');
    expect(slugsIn(inflected.body)).toEqual([]);
    const prefix = await ctx.app.inject({ url: '/amtsblatt?q=Bauarb' });
    expect(prefix.body).toContain('href="/amtsblatt/baustellen-altstadt"');
    const none = await ctx.app.inject({ url: '/amtsblatt?q=Schwimmbad' });
    expect(none.body).toContain('Zu „Schwimmbad“ wurde nichts gefunden.');
    // tsquery syntax typed in is only words.
    expect((await ctx.app.inject({ url: `/amtsblatt?q=${encodeURIComponent("a:* & | ! ( ' \\")}` })).statusCode).toBe(200);
  });

  it('filters by kind and tag, and lists the archive by year and month', async () => {
    const events = await ctx.app.inject({ url: '/amtsblatt?art=termin' });
    expect(events.body).toContain('href="/amtsblatt/stadtfest"');
    expect(events.body).not.toContain('href="/amtsblatt/baustellen-altstadt"');
    const bauen = await ctx.app.inject({ url: '/amtsblatt?schlagwort=bauen' });
    expect(bauen.body).toContain('href="/amtsblatt/baustellen-altstadt"');
    expect(slugsIn(bauen.body)).toEqual([]);
    expect((await ctx.app.inject({ url: '/amtsblatt?art=quatsch' })).statusCode).toBe(400);
    const list = await ctx.app.inject({ url: '/amtsblatt' });
    expect(list.body).toContain('href="/amtsblatt/archiv/2026/03"');
    // March 2026 in Berlin: seite-0 … seite-30 (day 0 = 1 March).
    const march = await ctx.app.inject({ url: '/amtsblatt/archiv/2026/03' });
    expect(march.statusCode).toBe(200);
    expect(march.body).toContain('Amtsblatt: März 2026');
    expect(march.body).toContain('href="/amtsblatt/seite-30"');
    expect(march.body).not.toContain('href="/amtsblatt/seite-31"');
    expect((await ctx.app.inject({ url: '/amtsblatt/archiv/2026/13' })).statusCode).toBe(404);
  });

  it('keeps HTML and script in every field inert', async () => {
    for (const url of ['/amtsblatt/boese', '/amtsblatt', '/amtsblatt/archiv/2026']) {
      const res = await ctx.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toMatch(/<img[^>]*onerror/);
      expect(res.body).not.toContain('javascript:');
      expect(res.body).not.toContain('<iframe');
    }
  });
});
