import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { cases } from '../../infra/schema/index.ts';

/** Case numbers listed in the inbox table, in order. */
const listed = (html: string) => [...html.matchAll(/href="\/staff\/faelle\/(\d{4}-\d{5,})"/g)].map((m) => m[1]);

describeDb('staff inbox', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let leit: TestUser;
  let tief: TestUser;
  let admin: TestUser;
  let defect: Awaited<ReturnType<typeof fileCase>>;
  let light: Awaited<ReturnType<typeof fileCase>>;
  let idea: Awaited<ReturnType<typeof fileCase>>;

  const get = (url: string, user: TestUser) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    defect = await fileCase(ctx, { description: 'Am Spielplatz liegen Scherben.', channel: 'email' });
    light = await fileCase(ctx, {
      description: 'Beide Laternen in der Gartenstraße sind dunkel.',
      categoryId: town.categories.streetLight.id,
    });
    idea = await fileCase(ctx, { type: 'idea', description: 'Ein Trinkbrunnen am Bahnhof wäre schön.' });
  });
  afterAll(() => ctx.close());

  it('sends a visitor without session to the login page', async () => {
    const res = await ctx.app.inject({ url: '/staff', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/anmelden');
  });

  it('lists only the cases of the user’s teams; other teams’ case pages are 404; admins see all', async () => {
    const mine = listed((await get('/staff', leit)).body);
    expect(mine).toContain(defect.number);
    expect(mine).not.toContain(light.number);
    expect(mine).not.toContain(idea.number);
    expect((await get(`/staff/faelle/${light.number}`, leit)).statusCode).toBe(404);
    expect((await get(`/staff/faelle/${light.number}`, tief)).statusCode).toBe(200);

    const all = listed((await get('/staff', admin)).body);
    expect(all).toEqual(expect.arrayContaining([defect.number, light.number, idea.number]));
    expect((await get(`/staff/faelle/${light.number}`, admin)).statusCode).toBe(200);
  });

  it('shows cases without team (triage) to every staff member', async () => {
    const triage = await fileCase(ctx, { description: 'Wer ist hierfür zuständig?' });
    await ctx.db.update(cases).set({ teamId: null }).where(eq(cases.id, triage.caseId));
    expect(listed((await get('/staff', tief)).body)).toContain(triage.number);
    expect((await get(`/staff/faelle/${triage.number}`, tief)).statusCode).toBe(200);
  });

  it('filters by status, type, team and channel', async () => {
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, idea.caseId));
    expect(listed((await get('/staff', admin)).body)).not.toContain(idea.number);
    expect(listed((await get('/staff?status=resolved', admin)).body)).toEqual([idea.number]);
    expect(listed((await get('/staff?status=alle', admin)).body)).toContain(idea.number);

    expect(listed((await get('/staff?status=alle&art=idea', admin)).body)).toEqual([idea.number]);
    const byTeam = listed((await get(`/staff?team=${town.teams.tiefbau.id}`, admin)).body);
    expect(byTeam).toEqual([light.number]);
    expect(listed((await get('/staff?kanal=email', admin)).body)).toEqual([defect.number]);
    expect(listed((await get(`/staff?kategorie=${town.categories.streetLight.id}`, admin)).body)).toEqual([light.number]);
  });

  it('filters by assignment', async () => {
    await ctx.db.update(cases).set({ assigneeId: leit.id }).where(eq(cases.id, defect.caseId));
    expect(listed((await get('/staff?zuweisung=mir', leit)).body)).toEqual([defect.number]);
    expect(listed((await get('/staff?zuweisung=niemand', leit)).body)).not.toContain(defect.number);
  });

  it('shows tags under the excerpt, each a link to the inbox filtered by it', async () => {
    await ctx.db
      .update(cases)
      .set({ tags: ['Schulweg', '<b>dringend</b>'] })
      .where(eq(cases.id, defect.caseId));
    const page = (await get('/staff?status=alle', admin)).body;
    expect(page).toContain('<ul class="tag-list" aria-label="Schlagwörter">');
    expect(page).toContain('href="/staff?status=alle&amp;schlagwort=Schulweg"');
    expect(page).toContain('&lt;b>dringend&lt;/b>');
    expect(page).not.toContain('<b>dringend</b>');
    expect(listed((await get('/staff?schlagwort=Schulweg', admin)).body)).toEqual([defect.number]);
    expect(listed((await get(`/staff?schlagwort=${encodeURIComponent('<b>dringend</b>')}`, admin)).body)).toEqual([defect.number]);
    expect(listed((await get('/staff?schlagwort=schulweg', admin)).body)).toEqual([]);
    const tooLong = await get(`/staff?schlagwort=${'x'.repeat(41)}`, admin);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Ein Schlagwort hat höchstens 40 Zeichen.');
  });

  it('rejects an unknown filter value with a German message and 400', async () => {
    const res = await get('/staff?status=kaputt', admin);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Diesen Status gibt es nicht.');
    const badCursor = await get('/staff?nach=quatsch', admin);
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.body).toContain('Blätter-Link');
  });

  it('searches German full text (Laterne finds Laternen) and jumps to an exact case number', async () => {
    expect(listed((await get('/staff?q=Laterne', admin)).body)).toEqual([light.number]);
    // A case number opens the case (inbox-search.int.test.ts has the details).
    expect((await get(`/staff?q=${defect.number}`, admin)).headers.location).toBe(`/staff/faelle/${defect.number}`);
    expect(listed((await get('/staff?q=Zeppelin', admin)).body)).toEqual([]);
    // The search respects visibility too.
    expect(listed((await get('/staff?q=Laterne', leit)).body)).toEqual([]);
  });

  it('escapes HTML from a description in the inbox and on the case page', async () => {
    const evil = await fileCase(ctx, { description: '<script>alert("x")</script><b>fett</b> Gully verstopft' });
    const inbox = await get('/staff?q=Gully', admin);
    expect(listed(inbox.body)).toEqual([evil.number]);
    expect(inbox.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>&lt;b>fett&lt;/b>');
    expect(inbox.body).not.toContain('<script>alert');
    expect(inbox.body).not.toContain('<b>fett</b>');
    const page = await get(`/staff/faelle/${evil.number}`, admin);
    expect(page.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>&lt;b>fett&lt;/b>');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<b>fett</b>');
  });

  it('pages by keyset: disjoint pages in order, Weiter and Zurück, also with equal timestamps', async () => {
    // 120 fax cases, in groups of four sharing one created_at, so the id must break the ties.
    const base = Date.parse('2025-01-01T08:00:00Z');
    const rows = Array.from({ length: 120 }, (_, i) => ({
      number: `2025-${String(50_000 + i).padStart(5, '0')}`,
      trackingToken: randomBytes(16).toString('hex'),
      channel: 'fax' as const,
      type: 'question' as const,
      teamId: town.teams.leitstelle.id,
      description: `Faxanfrage ${i}`,
      createdAt: new Date(base + Math.floor(i / 4) * 60_000),
    }));
    await ctx.db.insert(cases).values(rows);
    const expected = (
      await ctx.db.select({ number: cases.number, id: cases.id, createdAt: cases.createdAt }).from(cases).where(eq(cases.channel, 'fax'))
    )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
      .map((r) => r.number);

    const pages: string[][] = [];
    const bodies: string[] = [];
    let url: string | null = '/staff?kanal=fax';
    while (url) {
      const res = await get(url, leit);
      expect(res.statusCode).toBe(200);
      pages.push(listed(res.body) as string[]);
      bodies.push(res.body);
      const next: string | undefined = /href="([^"]+)" rel="next"/.exec(res.body)?.[1];
      url = next ? next.replaceAll('&amp;', '&') : null;
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(expected);
    expect(bodies[0]).toContain('120 Anliegen');
    expect(bodies[0]).not.toContain('rel="prev"');

    const prevHref = /href="([^"]+)" rel="prev"/.exec(bodies[2] ?? '')?.[1];
    expect(prevHref).toBeDefined();
    const back = await get((prevHref as string).replaceAll('&amp;', '&'), leit);
    expect(listed(back.body)).toEqual(pages[1]);
    const firstHref = /href="([^"]+)" rel="prev"/.exec(back.body)?.[1];
    const first = await get((firstHref as string).replaceAll('&amp;', '&'), leit);
    expect(listed(first.body)).toEqual(pages[0]);
    expect(first.body).not.toContain('rel="prev"');
  });

  it('caps the total instead of counting everything', async () => {
    const base = Date.parse('2024-01-01T08:00:00Z');
    const rows = Array.from({ length: 1005 }, (_, i) => ({
      number: `2024-${String(10_000 + i).padStart(5, '0')}`,
      trackingToken: randomBytes(16).toString('hex'),
      channel: 'walk_in' as const,
      teamId: town.teams.leitstelle.id,
      description: `Vor Ort ${i}`,
      createdAt: new Date(base + i * 1000),
    }));
    await ctx.db.insert(cases).values(rows);
    const res = await get('/staff?kanal=walk_in', admin);
    expect(res.body).toContain('mehr als 1.000 Anliegen');
  });
});
