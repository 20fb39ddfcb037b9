import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, cases } from '../../infra/schema/index.ts';
import { claimNext } from './queue.ts';

describeDb('working the inbox together', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let lea: TestUser;
  let carl: TestUser;
  let tim: TestUser;
  const actor = (u: TestUser, name: string) => ({
    id: u.id,
    role: 'staff' as const,
    teamIds: [town.teams.leitstelle.id],
    displayName: name,
  });

  const caseRows = async (ids: number[]) => ctx.db.select().from(cases).where(inArray(cases.id, ids)).orderBy(asc(cases.id));
  /** Posts the bulk form like a browser: repeated "faelle" fields for a multi-selection. */
  const bulk = async (user: TestUser, fields: Record<string, string | string[]>) => {
    const csrf = await csrfFor(ctx.app, '/staff', user.cookie);
    const params = new URLSearchParams({ _csrf: csrf.token });
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one);
    return ctx.app.inject({
      method: 'POST',
      url: '/staff/sammelaktion',
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: params.toString(),
    });
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    lea = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
    carl = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Carl Kollege' });
    tim = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
  });
  afterAll(() => ctx.close());

  it('lists my queue oldest first and claims the oldest unassigned case', async () => {
    const t0 = Date.now() - 3 * 3600_000;
    const old = await fileCase(ctx, { receivedAt: new Date(t0) });
    const newer = await fileCase(ctx, { receivedAt: new Date(t0 + 3600_000) });
    await fileCase(ctx, { categoryId: town.categories.streetLight.id, receivedAt: new Date(t0 - 3600_000) });
    const page = await ctx.app.inject({ url: '/staff/warteschlange', headers: { cookie: lea.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const numbers = [...page.body.matchAll(/href="\/staff\/faelle\/(\d{4}-\d+)"/g)].map((m) => m[1]);
    expect(numbers).toEqual([old.number, newer.number]);

    const res = await postForm(ctx, '/staff/warteschlange', '/staff/warteschlange/naechstes', lea.cookie, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${old.number}?ok=uebernommen`);
    const [row] = await caseRows([old.caseId]);
    expect(row).toMatchObject({ assigneeId: lea.id, version: 2 });
    const trail = await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, old.caseId));
    expect(trail.at(-1)).toMatchObject({
      action: 'assigned',
      actorUserId: lea.id,
      details: { to: 'Lea Leitstelle', reason: 'als Nächstes übernommen' },
    });
    const shown = await ctx.app.inject({ url: res.headers.location as string, headers: { cookie: lea.cookie, accept: 'text/html' } });
    expect(shown.body).toContain('Das Anliegen gehört jetzt Ihnen.');
  });

  it('never hands the same case to two clerks claiming at once', async () => {
    // Empty the queue first, then five fresh cases and ten simultaneous claims.
    while (await claimNext(ctx, actor(carl, 'Carl Kollege'))) {}
    const filed = await Promise.all(Array.from({ length: 5 }, () => fileCase(ctx)));
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimNext(ctx, i % 2 ? actor(lea, 'Lea Leitstelle') : actor(carl, 'Carl Kollege'))),
    );
    const won = claims.filter((c) => c !== null).map((c) => c.id);
    expect(new Set(won).size).toBe(won.length);
    expect(won.sort()).toEqual(filed.map((f) => f.caseId).sort());
    const rows = await caseRows(won);
    expect(rows.every((r) => r.assigneeId === lea.id || r.assigneeId === carl.id)).toBe(true);
    expect(rows.every((r) => r.version === 2)).toBe(true);
  });

  it('says so when the queue is empty', async () => {
    const res = await postForm(ctx, '/staff/warteschlange', '/staff/warteschlange/naechstes', tim.cookie, {});
    while (await claimNext(ctx, { ...actor(tim, 'Tim'), teamIds: [town.teams.tiefbau.id] })) {}
    const again = await postForm(ctx, '/staff/warteschlange', '/staff/warteschlange/naechstes', tim.cookie, {});
    expect([res.statusCode, again.statusCode]).toEqual([303, 303]);
    expect(again.headers.location).toBe('/staff/warteschlange?hinweis=leer');
    const page = await ctx.app.inject({ url: '/staff/warteschlange?hinweis=leer', headers: { cookie: tim.cookie, accept: 'text/html' } });
    expect(page.body).toContain('Niemand wartet');
  });

  it('offers every inbox row for selection with its version', async () => {
    const c = await fileCase(ctx);
    const inbox = await ctx.app.inject({ url: '/staff', headers: { cookie: lea.cookie, accept: 'text/html' } });
    expect(inbox.body).toContain(`value="${c.caseId}:1" form="bulk-form"`);
    expect(inbox.body).toContain('action="/staff/sammelaktion"');
  });

  it('closes selected cases, reporting a stale and a foreign one and changing the rest', async () => {
    const ok1 = await fileCase(ctx);
    const ok2 = await fileCase(ctx);
    const stale = await fileCase(ctx);
    const foreign = await fileCase(ctx, { categoryId: town.categories.streetLight.id });
    // Someone else changes "stale" after Lea's inbox was loaded (version 1 → 2).
    await ctx.db.update(cases).set({ version: 2 }).where(eq(cases.id, stale.caseId));
    const res = await bulk(lea, { aktion: 'erledigen', faelle: [ok1, ok2, stale, foreign].map((c) => `${c.caseId}:1`) });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('2 nicht geändert');
    expect(res.body).toContain(`${stale.number}</a> wurde inzwischen von jemand anderem geändert`);
    expect(res.body).not.toContain(foreign.number);
    expect(res.body).toContain('Ein Anliegen gibt es nicht (mehr), oder Sie haben keinen Zugriff darauf');
    expect(res.body).toContain(`Geändert: ${ok1.number}, ${ok2.number}.`);
    const rows = await caseRows([ok1.caseId, ok2.caseId, stale.caseId, foreign.caseId]);
    expect(rows.map((r) => r.status)).toEqual(['resolved', 'resolved', 'new', 'new']);
    expect(rows[0]?.closedAt).toBeInstanceOf(Date);
  });

  it('assigns and tags selected cases, redirecting when all succeeded', async () => {
    const a = await fileCase(ctx);
    const b = await fileCase(ctx);
    const assign = await bulk(lea, { aktion: 'zuweisen', assignee: String(carl.id), faelle: [`${a.caseId}:1`, `${b.caseId}:1`] });
    expect(assign.statusCode).toBe(303);
    expect(assign.headers.location).toBe('/staff?ok=sammelaktion');
    const tag = await bulk(lea, { aktion: 'markieren', tag: 'Winterdienst', faelle: [`${a.caseId}:2`, `${b.caseId}:2`] });
    expect(tag.statusCode).toBe(303);
    const rows = await caseRows([a.caseId, b.caseId]);
    expect(rows.map((r) => [r.assigneeId, r.tags, r.version])).toEqual([
      [carl.id, ['Winterdienst'], 3],
      [carl.id, ['Winterdienst'], 3],
    ]);
    // Again with another spelling: nothing to change, still success.
    const again = await bulk(lea, { aktion: 'markieren', tag: 'winterdienst', faelle: `${a.caseId}:3` });
    expect(again.statusCode).toBe(303);
    expect((await caseRows([a.caseId]))[0]?.version).toBe(3);
    // A person outside the case's team is refused per case.
    const outsider = await bulk(lea, { aktion: 'zuweisen', assignee: String(tim.id), faelle: `${a.caseId}:3` });
    expect(outsider.statusCode).toBe(409);
    expect(outsider.body).toContain('Diese Person gehört nicht zum Team dieses Anliegens.');
  });

  it('rejects bad bulk input with 400 and changes nothing', async () => {
    const c = await fileCase(ctx);
    const cases400 = [
      [{ aktion: 'erledigen' }, 'Bitte wählen Sie mindestens ein Anliegen aus.'],
      [{ aktion: 'loeschen', faelle: `${c.caseId}:1` }, 'Bitte wählen Sie eine Aktion aus der Liste.'],
      [{ aktion: 'erledigen', faelle: 'abc' }, 'Die Auswahl ist ungültig.'],
      [{ aktion: 'markieren', tag: 'x'.repeat(41), faelle: `${c.caseId}:1` }, 'höchstens 40 Zeichen'],
      [{ aktion: 'erledigen', faelle: Array.from({ length: 101 }, (_, i) => `${i + 1}:1`) }, 'höchstens 100 Anliegen'],
    ] as const;
    for (const [fields, message] of cases400) {
      const res = await bulk(lea, fields as Record<string, string | string[]>);
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain(message);
    }
    expect((await caseRows([c.caseId]))[0]).toMatchObject({ status: 'new', version: 1 });
  });
});
