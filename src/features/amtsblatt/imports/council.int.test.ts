import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeOparl, oparlMeeting, oparlPaper, startFakeOparl } from '../../../../test/fakes/oparl.ts';
import { postForm } from '../../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../../test/helpers/context.ts';
import { councilMeetings, councilPapers, councilSources, posts } from '../../../infra/schema/index.ts';
import { type CouncilDeps, importCouncil } from './council.ts';

describeDb('OParl import', () => {
  let ctx: TestContext;
  let oparl: FakeOparl;
  let editor: TestUser;
  let deps: CouncilDeps;
  let sourceId: number;

  beforeAll(async () => {
    ctx = await createTestContext();
    oparl = await startFakeOparl();
    editor = await createUser(ctx, { name: 'Erika Redaktion' });
    deps = { db: ctx.db, clock: ctx.clock, log: ctx.log, fetch: { timeoutMs: 2_000 } };
    oparl.papers = [1, 2, 3, 4, 5].map((n) => oparlPaper(oparl.url, n, '2026-11-10T10:00:00+01:00'));
    oparl.meetings = [oparlMeeting(oparl.url, 1, '2026-11-10T10:00:00+01:00')];
    const [row] = await ctx.db.insert(councilSources).values({ systemUrl: oparl.systemUrl }).returning();
    sourceId = row?.id ?? 0;
  });
  afterAll(async () => {
    await oparl.close();
    await ctx.close();
  });

  it('stops at a broken page with a German reason, keeps what it read, and resumes at that page', async () => {
    oparl.breakPage = { list: 'paper', page: 2 };
    const first = await importCouncil(deps, sourceId);
    expect(first.error).toBe(`${new URL(oparl.url).host} hat eine kaputte Seite geliefert (kein JSON).`);
    expect(first.papers).toBe(2);
    const [source] = await ctx.db.select().from(councilSources).where(eq(councilSources.id, sourceId));
    expect(source?.lastError).toContain('kaputte Seite');
    expect(source?.cursors.paper?.resume).toContain('page=2');
    const page = await ctx.app.inject({ url: '/redaktion/ratsdokumente', headers: { cookie: editor.cookie, accept: 'text/html' } });
    expect(page.body).toContain('Der nächste Abruf macht dort weiter.');

    oparl.breakPage = null;
    oparl.requests.length = 0;
    const second = await importCouncil(deps, sourceId);
    expect(second.error).toBeNull();
    expect(second).toMatchObject({ papers: 3, meetings: 1 });
    // Resumed at page 2, not from the start.
    expect(oparl.requests.filter((r) => r.includes('/papers'))[0]).toContain('page=2');
    expect(await ctx.db.select().from(councilPapers)).toHaveLength(5);
    const [meeting] = await ctx.db.select().from(councilMeetings);
    expect(meeting).toMatchObject({ name: 'Sitzung des Gemeinderats 1', place: 'Ratssaal, Marktplatz 1' });
    expect(meeting?.startsAt?.toISOString()).toBe('2026-12-10T17:00:00.000Z');
  });

  it('asks only for what changed since the last complete run (modified_since)', async () => {
    // The run after an interrupted first import reads everything once more; from then on only changes.
    expect((await importCouncil(deps, sourceId)).papers).toBe(5);
    oparl.requests.length = 0;
    oparl.papers.push(oparlPaper(oparl.url, 6, new Date(Date.now() + 60_000).toISOString(), { name: 'Neue Vorlage' }));
    const run = await importCouncil(deps, sourceId);
    expect(run).toMatchObject({ error: null, papers: 1 });
    expect(oparl.requests.find((r) => r.includes('/papers'))).toMatch(/modified_since=/);
  });

  it('gives up on a slow page after the timeout, with a German reason', async () => {
    await ctx.db.update(councilSources).set({ cursors: {} }).where(eq(councilSources.id, sourceId));
    oparl.slowPage = { list: 'meeting', page: 1, ms: 6_000 };
    const run = await importCouncil(deps, sourceId);
    oparl.slowPage = null;
    expect(run.error).toBe(`${new URL(oparl.url).host} hat nicht innerhalb von 2 Sekunden geantwortet.`);
  });

  it('turns a Vorlage into a "Vorlage erklärt" draft with the document link, once', async () => {
    const [paper] = await ctx.db
      .select()
      .from(councilPapers)
      .where(eq(councilPapers.oparlId, `${oparl.url}/oparl/v1/paper/3`));
    const res = await postForm(ctx, '/redaktion/ratsdokumente', `/redaktion/ratsdokumente/${paper?.id}/erklaeren`, editor.cookie, {});
    expect(res.statusCode).toBe(303);
    const [post] = await ctx.db.select().from(posts).where(eq(posts.kind, 'council'));
    expect(post).toMatchObject({
      status: 'draft',
      authorId: editor.id,
      title: 'Vorlage erklärt: Vorlage 3',
      councilDocumentUrl: `${oparl.url}/vorlage/3`,
      councilDocumentName: '2026/003: Vorlage 3',
    });
    expect(res.headers.location).toBe(`/redaktion/${post?.id}`);
    const again = await postForm(ctx, '/redaktion/ratsdokumente', `/redaktion/ratsdokumente/${paper?.id}/erklaeren`, editor.cookie, {});
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Zu dieser Vorlage gibt es schon einen Beitrag.');
  });
});
