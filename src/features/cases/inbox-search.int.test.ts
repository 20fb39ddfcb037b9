import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, dbKind, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { cases } from '../../infra/schema/index.ts';
import { inboxConditions } from './inbox-query.ts';
import { searchHitsQuery, withBitmapScans } from './inbox-search.ts';

/** Case numbers listed in the inbox table, in order. */
const listed = (html: string) => [...html.matchAll(/<tr class="kern-table__row" data-case="([^"]+)"/g)].map((m) => m[1]);

describeDb('inbox search', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  let tief: TestUser;
  let compound: Awaited<ReturnType<typeof fileCase>>;
  let lamps: Awaited<ReturnType<typeof fileCase>>;
  let school: Awaited<ReturnType<typeof fileCase>>;
  let both: Awaited<ReturnType<typeof fileCase>>;

  const get = (url: string, user: TestUser, headers: Record<string, string> = {}) =>
    ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html', ...headers } });
  const search = async (q: string, user = admin) => listed((await get(`/staff?status=alle&q=${encodeURIComponent(q)}`, user)).body);

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    compound = await fileCase(ctx, { description: 'Die Straßenlaterne vor Haus 4 ist dunkel.' });
    lamps = await fileCase(ctx, { description: 'Zwei Lampen flackern am Bahnhof.' });
    school = await fileCase(ctx, { description: 'Vor der Schule fehlt ein Zebrastreifen.' });
    both = await fileCase(ctx, { description: 'Die Laterne an der Schule ist umgefahren.', locationText: 'Schulweg 3' });
  });
  afterAll(() => ctx.close());

  it('finds a part of a compound word: "laterne" finds "Straßenlaterne", German stems still work', async () => {
    expect(await search('laterne')).toEqual([both.number, compound.number]);
    expect(await search('LATERNE')).toEqual([both.number, compound.number]);
    // Stemming: "Lampe" finds "Lampen" (also a substring), "Zebrastreifens" finds "Zebrastreifen" (only the stem).
    expect(await search('Lampe')).toEqual([lamps.number]);
    expect(await search('Zebrastreifens')).toEqual([school.number]);
  });

  it('requires every word (AND), in description or place; stop words and punctuation do not narrow', async () => {
    expect(await search('Laterne Schule')).toEqual([both.number]);
    expect(await search('Schule Laterne')).toEqual([both.number]);
    expect(await search('Laterne Schulweg')).toEqual([both.number]);
    expect(await search('Laterne, die Schule!')).toEqual([both.number]);
    expect(await search('Laterne Zeppelin')).toEqual([]);
    // Only stop words find nothing rather than everything.
    expect(await search('die der')).toEqual([]);
  });

  it('takes % and _ literally', async () => {
    const percent = await fileCase(ctx, { description: 'Der Automat ist zu 100% kaputt.' });
    await fileCase(ctx, { description: 'Der Automat schluckt 1000 Münzen.' });
    const underscore = await fileCase(ctx, { description: 'Schild mit Kennung QX_77 umgefallen.' });
    await fileCase(ctx, { description: 'Schild mit Kennung QXZ77 umgefallen.' });
    expect(await search('100%')).toEqual([percent.number]);
    expect(await search('QX_77')).toEqual([underscore.number]);
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
  });

  it('jumps to a case by its number, whole or the running number alone, only when the viewer may see it', async () => {
    const whole = await get(`/staff?q=${compound.number}`, admin);
    expect(whole.statusCode).toBe(303);
    expect(whole.headers.location).toBe(`/staff/faelle/${compound.number}`);
    const running = await get(`/staff?q=${compound.number.split('-')[1]}`, admin);
    expect(running.statusCode).toBe(303);
    expect(running.headers.location).toBe(`/staff/faelle/${compound.number}`);
    // htmx swaps the results in place, so it is told to navigate instead of following the redirect.
    const htmx = await get(`/staff?q=${compound.number}`, admin, { 'hx-request': 'true' });
    expect(htmx.statusCode).toBe(204);
    expect(htmx.headers['hx-redirect']).toBe(`/staff/faelle/${compound.number}`);
    // A case of another team is no jump and no hit.
    const [other] = await ctx.db
      .insert(cases)
      .values({
        number: '2026-77777',
        trackingToken: randomBytes(16).toString('hex'),
        channel: 'web',
        teamId: town.teams.leitstelle.id,
        description: 'Nicht für das Tiefbauamt.',
      })
      .returning({ number: cases.number });
    const hidden = await get(`/staff?status=alle&q=${other?.number}`, tief);
    expect(hidden.statusCode).toBe(200);
    expect(listed(hidden.body)).toEqual([]);
    expect((await get('/staff?q=2026-77777', admin)).headers.location).toBe('/staff/faelle/2026-77777');
  });

  it('shows contacts matching name or address above the cases, only with cases the viewer may see', async () => {
    const reported = await fileCase(ctx, {
      description: 'Müll im Graben.',
      reporterName: 'Erika Musterfrau',
      reporterEmail: 'erika.musterfrau@example.org',
    });
    const byName = (await get('/staff?q=Erika', admin)).body;
    expect(byName).toContain('Passende Kontakte');
    expect(byName).toContain('<mark>Erika</mark> Musterfrau');
    expect(byName).toContain(`href="/staff/faelle/${reported.number}"`);
    const byAddress = (await get('/staff?q=erika.musterfrau@example.org', admin)).body;
    expect(byAddress).toContain('Passende Kontakte');
    expect(byAddress).toContain('<mark>erika.musterfrau@example.org</mark>');
    expect((await get('/staff?q=Laterne', admin)).body).not.toContain('Passende Kontakte');
    // A defect without category goes to the Leitstelle: the Tiefbauamt does not learn of its reporter.
    expect((await get('/staff?q=Erika', tief)).body).not.toContain('Musterfrau');
  });

  it('marks the hits in the rows and escapes the text around them', async () => {
    const evil = await fileCase(ctx, { description: '<script>alert("x")</script> Gullydeckel <b>klappert</b>' });
    const page = (await get('/staff?status=alle&q=gully', admin)).body;
    expect(listed(page)).toEqual([evil.number]);
    expect(page).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script> <mark>Gully</mark>deckel &lt;b>klappert&lt;/b>');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>klappert</b>');
    // A hit in the place is shown with the place.
    expect((await get('/staff?status=alle&q=Schulweg', admin)).body).toContain('Ort: <mark>Schulweg</mark> 3');
    // A hit inside the markup-like text is marked and escaped as well.
    expect((await get('/staff?status=alle&q=alert', admin)).body).toContain('&lt;script><mark>alert</mark>(&quot;x&quot;)');
  });

  it('pages through many hits by keyset and counts them', async () => {
    const base = Date.parse('2025-03-01T08:00:00Z');
    await ctx.db.insert(cases).values(
      Array.from({ length: 60 }, (_, i) => ({
        number: `2025-${String(60_000 + i).padStart(5, '0')}`,
        trackingToken: randomBytes(16).toString('hex'),
        channel: 'fax' as const,
        teamId: town.teams.leitstelle.id,
        description: `Hydrantendeckel ${i} fehlt`,
        createdAt: new Date(base + Math.floor(i / 3) * 60_000),
      })),
    );
    // 600 newer cases without the word: the newest 500 hold no hit, so the hits come through the text indexes.
    await ctx.db.insert(cases).values(
      Array.from({ length: 600 }, (_, i) => ({
        number: `2027-${String(70_000 + i).padStart(5, '0')}`,
        trackingToken: randomBytes(16).toString('hex'),
        channel: 'fax' as const,
        teamId: town.teams.leitstelle.id,
        description: `Füllfax ${i}`,
        createdAt: new Date(Date.parse('2027-01-01T08:00:00Z') + i * 1000),
      })),
    );
    const first = await get('/staff?status=alle&q=hydrant', admin);
    expect(first.body).toContain('60 Anliegen');
    const page1 = listed(first.body);
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeDefined();
    const page2 = listed((await get(next as string, admin)).body);
    expect(page1).toHaveLength(50);
    expect(page2).toHaveLength(10);
    expect(new Set([...page1, ...page2]).size).toBe(60);
    const prev = /href="([^"]+)" rel="prev"/.exec((await get(next as string, admin)).body)?.[1]?.replaceAll('&amp;', '&');
    expect(listed((await get(prev as string, admin)).body)).toEqual(page1);
  });

  it.runIf(dbKind === 'postgres')('reads the hits of two words through the text indexes, not the table or the date index', async () => {
    // A few thousand rows, with statistics, so a sequential scan would be the planner's natural choice.
    await ctx.db.execute(sql`insert into cases (number, tracking_token, channel, team_id, description, location_text)
      select '2024-' || lpad(g::text, 5, '0'), md5(g::text), 'web', ${town.teams.tiefbau.id},
        (array['Laterne flackert', 'Schule ohne Zebrastreifen', 'Schlagloch'])[1 + g % 3] || ' ' || g, 'Hauptstraße ' || g
      from generate_series(1, 4000) g`);
    await ctx.db.execute(sql`analyze cases`);
    const conds = inboxConditions({ id: admin.id, role: 'admin', teamIds: [] }, { status: 'alle', q: 'Laterne Schule' });
    const result = (await withBitmapScans(ctx.db, (tx) => tx.execute(sql`explain (format json) ${searchHitsQuery(tx, conds)}`))) as {
      rows: { 'QUERY PLAN': unknown }[];
    };
    const plan = JSON.stringify(result.rows[0]?.['QUERY PLAN']);
    expect(plan).toContain('"Index Name":"cases_text_trgm_idx"');
    expect(plan).toContain('"Index Name":"cases_search_idx"');
    // Whether the second word's scans join in a BitmapAnd or are rechecked on the first word's rows is the
    // planner's call by size: at 4,000 rows it rechecks, at 100,000 it ANDs (bench/inbox.ts --explain).
    expect(plan).not.toContain('"Node Type":"Seq Scan"');
    expect(plan).not.toContain('cases_created_idx');
  });
});
