import { and, asc, eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, caseLinks, caseReporters, cases, publicCases } from '../../infra/schema/index.ts';
import { upsertContact } from '../cases/contacts.ts';

describeDb('merging and linking cases by hand', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let tim: TestUser;
  let lea: TestUser;
  let n = 0;

  const get = (url: string, user: TestUser = tim) => ctx.app.inject({ url, headers: { cookie: user.cookie, accept: 'text/html' } });
  const caseRow = async (id: number) => (await ctx.db.select().from(cases).where(eq(cases.id, id)))[0];
  const versionOf = async (id: number) => String((await caseRow(id))?.version);
  const actions = async (id: number) =>
    (await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, id)).orderBy(asc(auditEvents.id))).map((a) => a.action);
  const check = (from: string, typed: string, user: TestUser = tim) =>
    get(`/staff/faelle/${from}/zusammenfuehren?mit=${encodeURIComponent(typed)}`, user);
  /** Sends the confirmation form exactly as the confirmation page rendered it. */
  const confirm = async (from: string, into: string, user: TestUser = tim) => {
    const page = await check(from, into, user);
    expect(page.statusCode).toBe(200);
    const hidden = Object.fromEntries(
      [...page.body.matchAll(/<input type="hidden" name="(version|other|otherVersion|into)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    return postForm(ctx, `/staff/faelle/${from}/zusammenfuehren?mit=${into}`, `/staff/faelle/${from}/zusammenfuehren`, user.cookie, hidden);
  };
  const panelPost = (number: string, path: string, fields: Record<string, string>, user: TestUser = tim) =>
    postForm(ctx, `/staff/faelle/${number}`, `/staff/faelle/${number}/${path}`, user.cookie, fields);

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    tim = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    lea = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
  });
  afterAll(() => ctx.close());

  /** An older and a newer Tiefbauamt case far apart (no detector would pair them), a follower on the older. */
  async function pair() {
    n++;
    const base = { categoryId: town.categories.streetLight.id, lon: 9.175 };
    const older = await fileCase(ctx, {
      ...base,
      lat: 47.1 + n * 0.05,
      description: `Ampel an der Kreuzung ${n} blinkt nur gelb`,
      reporterName: 'Olga',
      reporterEmail: `olga${n}@example.org`,
      receivedAt: new Date(Date.now() - 3600_000),
    });
    const newer = await fileCase(ctx, {
      ...base,
      lat: 47.6 + n * 0.05,
      description: `Lichtsignal Kreuzung ${n} gestört`,
      reporterName: 'Nils',
      reporterEmail: `nils${n}@example.org`,
    });
    const contactId = await upsertContact(ctx.db, { kind: 'email', address: `fee${n}@example.org`, displayName: 'Fee' });
    await ctx.db.insert(caseReporters).values({
      caseId: older.caseId,
      kind: 'follower',
      name: 'Fee',
      email: `fee${n}@example.org`,
      contactId,
      trackingToken: `t-${older.trackingToken}`,
    });
    return { older, newer, olga: `olga${n}@example.org`, fee: `fee${n}@example.org` };
  }

  it('merges this case into the one named by number, after a confirmation showing both, with the detector merge effects', async () => {
    const { older, newer, olga, fee } = await pair();
    // Both published, so the public projection has to follow the merge.
    for (const c of [older, newer]) {
      const res = await panelPost(c.number, 'oeffentlich-veroeffentlichen', { version: await versionOf(c.caseId) });
      expect(res.statusCode).toBe(303);
    }
    const page = await get(`/staff/faelle/${older.number}`);
    expect(page.body).toContain('Zusammenführen und verknüpfen');
    expect(page.body).toContain(`action="/staff/faelle/${older.number}/zusammenfuehren"`);

    const shown = await check(older.number, newer.number);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`Wird geschlossen: <a class="kern-link" href="/staff/faelle/${older.number}">`);
    expect(shown.body).toContain(`Bleibt: <a class="kern-link" href="/staff/faelle/${newer.number}">`);
    expect(shown.body).toContain('Ampel an der Kreuzung');
    expect(shown.body).toContain('Lichtsignal Kreuzung');
    expect(shown.body).toContain(`${older.number} in ${newer.number} zusammenführen`);
    // Looking changes nothing.
    expect((await caseRow(older.caseId))?.status).toBe('new');

    const res = await confirm(older.number, newer.number);
    expect(res.statusCode).toBe(303);
    // The case named as target carries on, although it is the newer one.
    expect(res.headers.location).toBe(`/staff/faelle/${newer.number}?ok=zusammengefuehrt`);
    expect(await caseRow(older.caseId)).toMatchObject({ status: 'forwarded', mergedIntoId: newer.caseId });
    expect((await caseRow(older.caseId))?.closedAt).toBeInstanceOf(Date);
    expect(await caseRow(newer.caseId)).toMatchObject({ status: 'new', mergedIntoId: null });
    const reporters = await ctx.db
      .select()
      .from(caseReporters)
      .where(eq(caseReporters.caseId, newer.caseId))
      .orderBy(asc(caseReporters.id));
    expect(reporters.map((r) => [r.kind, r.email, r.originCaseId])).toEqual([
      ['follower', fee, null],
      ['merged', olga, older.caseId],
    ]);
    expect(await actions(older.caseId)).toEqual(expect.arrayContaining(['status_changed', 'merged_into']));
    expect((await actions(newer.caseId)).at(-1)).toBe('merged');
    const [pubOlder] = await ctx.db.select().from(publicCases).where(eq(publicCases.caseId, older.caseId));
    const [pubNewer] = await ctx.db.select().from(publicCases).where(eq(publicCases.caseId, newer.caseId));
    expect(pubOlder).toMatchObject({ status: 'duplicate', duplicateOfNumber: newer.number });
    expect(pubNewer?.followerCount).toBe(2);
    const target = (await get(String(res.headers.location))).body;
    expect(target).toContain('Die Anliegen sind zusammengeführt.');
    expect(target).toContain(olga);
  });

  it('refuses in German: malformed or unknown number, the same case, an already merged one, a closed target, another team', async () => {
    const { older, newer } = await pair();
    const format = await check(older.number, 'Laterne');
    expect(format.statusCode).toBe(400);
    expect(format.body).toContain('Bitte geben Sie die Nummer so ein: 2026-00012.');
    const unknown = await check(older.number, '2099-99999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Ein Anliegen 2099-99999 gibt es nicht, oder Sie haben keinen Zugriff darauf.');
    const same = await check(older.number, older.number);
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('nicht mit sich selbst zusammenführen');
    expect(same.body).not.toContain('name="into"');

    // Another team's case answers like an unknown one; the clerk can't open the check on it either.
    const leit = await fileCase(ctx, { description: 'Leitstellenfall' });
    const foreign = await check(older.number, leit.number);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toContain(`Ein Anliegen ${leit.number} gibt es nicht`);
    expect((await check(leit.number, older.number)).statusCode).toBe(404);
    const sneaky = await postForm(ctx, `/staff/faelle/${older.number}`, `/staff/faelle/${older.number}/zusammenfuehren`, tim.cookie, {
      version: await versionOf(older.caseId),
      other: leit.number,
      otherVersion: await versionOf(leit.caseId),
      into: 'other',
    });
    expect(sneaky.statusCode).toBe(404);
    expect((await caseRow(older.caseId))?.mergedIntoId).toBeNull();

    // A case the clerk's team handed on: they know it, and may only read it.
    const handed = await fileCase(ctx, { categoryId: town.categories.streetLight.id, description: 'Weitergegeben' });
    const moved = await postForm(ctx, `/staff/faelle/${handed.number}`, `/staff/faelle/${handed.number}/bearbeiten`, tim.cookie, {
      version: await versionOf(handed.caseId),
      status: 'new',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.leitstelle.id),
      priority: 'normal',
    });
    expect(moved.statusCode).toBe(303);
    const readOnly = await check(older.number, handed.number);
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.body).toContain(`Anliegen ${handed.number} wurde an Leitstelle weitergeleitet.`);

    // A closed target is refused like the detector refuses it, and so is a case merged already.
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, newer.caseId));
    const closed = await check(older.number, newer.number);
    expect(closed.statusCode).toBe(400);
    expect(closed.body).toContain(`Anliegen ${newer.number} ist schon abgeschlossen`);
    const third = await pair();
    expect((await confirm(third.newer.number, third.older.number)).statusCode).toBe(303);
    const merged = await check(older.number, third.newer.number);
    expect(merged.statusCode).toBe(400);
    expect(merged.body).toContain(`Anliegen ${third.newer.number} ist schon mit ${third.older.number} zusammengeführt`);
    // The same rule holds for the detector's own button (one merge, one set of rules).
    const viaDetector = await postForm(ctx, `/staff/faelle/${older.number}`, `/staff/faelle/${older.number}/zusammenfuehren`, tim.cookie, {
      version: await versionOf(older.caseId),
      other: third.newer.number,
      otherVersion: await versionOf(third.newer.caseId),
    });
    expect(viaDetector.statusCode).toBe(400);
    expect(viaDetector.body).toContain('ist schon mit');
  });

  it('links related cases on both sides without merging, once, and unlinks them; both audit trails say so', async () => {
    const { older, newer } = await pair();
    const res = await panelPost(older.number, 'verknuepfen', { other: newer.number });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${older.number}?ok=verknuepft`);
    const pairWhere = or(eq(caseLinks.caseId, older.caseId), eq(caseLinks.linkedCaseId, older.caseId));
    expect(await ctx.db.select().from(caseLinks).where(pairWhere)).toMatchObject([{ kind: 'related', createdBy: tim.id }]);
    expect((await get(`/staff/faelle/${newer.number}`)).body).toContain(
      `Verknüpft mit <a class="kern-link" href="/staff/faelle/${older.number}">`,
    );
    expect(await caseRow(older.caseId)).toMatchObject({ status: 'new', mergedIntoId: null });
    for (const c of [older, newer]) expect((await actions(c.caseId)).at(-1)).toBe('case_linked');

    const again = await panelPost(newer.number, 'verknuepfen', { other: older.number });
    expect(again.headers.location).toBe(`/staff/faelle/${newer.number}?ok=schon-verknuepft`);
    expect(await ctx.db.select().from(caseLinks).where(pairWhere)).toHaveLength(1);

    const self = await panelPost(older.number, 'verknuepfen', { other: older.number });
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('nicht mit sich selbst verknüpfen');
    const leit = await fileCase(ctx, { description: 'Leitstellenfall' });
    const foreign = await panelPost(older.number, 'verknuepfen', { other: leit.number });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain(`Ein Anliegen ${leit.number} gibt es nicht, oder Sie haben keinen Zugriff darauf.`);
    const hidden = await panelPost(older.number, 'verknuepfen', { other: newer.number }, lea);
    expect(hidden.statusCode).toBe(404);

    const undone = await panelPost(newer.number, 'verknuepfung-loesen', { other: older.number });
    expect(undone.headers.location).toBe(`/staff/faelle/${newer.number}?ok=verknuepfung-geloest`);
    expect(await ctx.db.select().from(caseLinks).where(pairWhere)).toHaveLength(0);
    for (const c of [older, newer]) expect((await actions(c.caseId)).at(-1)).toBe('case_unlinked');
    expect((await get(`/staff/faelle/${older.number}`)).body).toContain(`Verknüpfung gelöst</strong>: mit ${newer.number}`);
    const [trail] = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, newer.caseId), eq(auditEvents.action, 'case_unlinked')));
    expect(trail?.actorUserId).toBe(tim.id);
  });
});
