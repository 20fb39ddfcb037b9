import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { auditEvents, caseReporters, cases } from '../../infra/schema/index.ts';
import { upsertContact } from '../cases/contacts.ts';

const north = (m: number) => m / 111_320;

describeDb('duplicates on the staff side', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let tief: TestUser;
  let leit: TestUser;
  let spot = 0;
  const place = () => {
    spot++;
    return { lat: 48 + spot * 0.01, lon: 9.2 };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    tief = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    leit = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lea Leitstelle' });
  });
  afterAll(() => ctx.close());

  const page = (number: string, user: TestUser = tief) =>
    ctx.app.inject({ url: `/staff/faelle/${number}`, headers: { cookie: user.cookie, accept: 'text/html' } });
  const caseRow = async (id: number) => (await ctx.db.select().from(cases).where(eq(cases.id, id)))[0];
  const actions = async (id: number) =>
    (await ctx.db.select().from(auditEvents).where(eq(auditEvents.caseId, id)).orderBy(asc(auditEvents.id))).map((a) => a.action);

  /** Two reports of one street lamp, the first a minute older, plus a follower on the second. */
  async function pair() {
    const at = place();
    const mail = (name: string) => `${name}${spot}@example.org`;
    const base = { categoryId: town.categories.streetLight.id, lon: at.lon, type: 'defect' as const };
    const a = await fileCase(ctx, {
      ...base,
      lat: at.lat,
      description: 'Laterne vor Hausnummer 12 ist dunkel',
      reporterName: 'Anna',
      reporterEmail: mail('anna'),
      receivedAt: new Date(Date.now() - 60_000),
    });
    const b = await fileCase(ctx, {
      ...base,
      lat: at.lat + north(20),
      description: 'Straßenlaterne bei Nummer 12 bleibt dunkel',
      reporterName: 'Bernd',
      reporterEmail: mail('bernd'),
    });
    const contactId = await upsertContact(ctx.db, { kind: 'email', address: mail('fiona'), displayName: 'Fiona' });
    await ctx.db.insert(caseReporters).values({
      caseId: b.caseId,
      kind: 'follower',
      name: 'Fiona',
      email: mail('fiona'),
      contactId,
      trackingToken: `f-${b.trackingToken}`,
    });
    return { a, b, anna: mail('anna'), bernd: mail('bernd'), fiona: mail('fiona') };
  }

  const merge = async (from: string, other: string, over: Record<string, string> = {}, user = tief) => {
    const html = (await page(from, user)).body;
    const otherVersion =
      new RegExp(`name="other" value="${other}"/><input type="hidden" name="otherVersion" value="(\\d+)"`).exec(html)?.[1] ?? '1';
    return postForm(ctx, `/staff/faelle/${from}`, `/staff/faelle/${from}/zusammenfuehren`, user.cookie, {
      version: versionOn(html),
      other,
      otherVersion,
      ...over,
    });
  };

  it('suggests the nearby report with a merge button, and merges the newer into the older from either page', async () => {
    const { a, b, bernd, fiona } = await pair();
    const shown = await page(b.number);
    expect(shown.body).toContain('Mögliche Duplikate');
    expect(shown.body).toContain(`href="/staff/faelle/${a.number}"`);
    expect(shown.body).toContain(`Zusammenführen (${a.number} bleibt, ${b.number} wird geschlossen)`);
    expect(shown.body).toContain('Fiona');

    const res = await merge(b.number, a.number);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/faelle/${a.number}?ok=zusammengefuehrt`);

    const [rowA, rowB] = [await caseRow(a.caseId), await caseRow(b.caseId)];
    expect(rowB).toMatchObject({ status: 'forwarded', mergedIntoId: a.caseId, version: 2 });
    expect(rowB?.closedAt).toBeInstanceOf(Date);
    expect(rowA).toMatchObject({ status: 'new', mergedIntoId: null, version: 2 });
    const reporters = await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, a.caseId)).orderBy(asc(caseReporters.id));
    expect(reporters.map((r) => [r.kind, r.email, r.originCaseId])).toEqual([
      ['follower', fiona, null],
      ['merged', bernd, b.caseId],
    ]);
    // The merged reporter is Bernd's own contact, so his notice counts against his daily cap.
    expect(reporters[1]?.contactId).toBe(rowB?.contactId);
    expect(reporters[1]?.contactId).not.toBeNull();
    expect(await actions(b.caseId)).toEqual(expect.arrayContaining(['status_changed', 'merged_into']));
    expect((await actions(a.caseId)).at(-1)).toBe('merged');

    const pageA = (await ctx.app.inject({ url: String(res.headers.location), headers: { cookie: tief.cookie, accept: 'text/html' } })).body;
    expect(pageA).toContain('Die Anliegen sind zusammengeführt.');
    expect(pageA).toContain('Hierher zusammengeführt');
    expect(pageA).toContain(`href="/staff/faelle/${b.number}"`);
    expect(pageA).toContain(bernd);
    expect(pageA).toContain('Duplikat übernommen');
    const pageB = (await page(b.number)).body;
    expect(pageB).toContain(`Zusammengeführt in`);
    expect(pageB).not.toContain('>Zusammenführen (');

    // Bernd's own tracking page explains it and shows how A stands; nothing of Anna's.
    const tracking = await ctx.app.inject({ url: `/verfolgen/${b.trackingToken}`, headers: { accept: 'text/html' } });
    expect(tracking.body).toContain('Zusammen mit einer gleichen Meldung in Arbeit');
    expect(tracking.body).toContain(a.number);
    expect(tracking.body).not.toContain('anna');
    expect(tracking.body).not.toContain('Hausnummer 12');
  });

  it('answers a stale version with 409 and changes nothing; refuses closed cases and cases the clerk cannot see', async () => {
    const { a, b } = await pair();
    const stale = await merge(b.number, a.number, { otherVersion: '7' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('inzwischen geändert');
    expect(stale.body).toContain(`href="/staff/faelle/${b.number}"`);
    expect((await caseRow(b.caseId))?.status).toBe('new');
    expect(await ctx.db.select().from(caseReporters).where(eq(caseReporters.caseId, a.caseId))).toHaveLength(0);

    // The Leitstelle does not see Tiefbauamt cases: same answer as a missing one.
    const hidden = await postForm(ctx, '/staff', `/staff/faelle/${b.number}/zusammenfuehren`, leit.cookie, {
      version: '1',
      other: a.number,
      otherVersion: '1',
    });
    expect(hidden.statusCode).toBe(404);

    await ctx.db.update(cases).set({ status: 'resolved', closedAt: new Date() }).where(eq(cases.id, a.caseId));
    const closed = await merge(b.number, a.number, { otherVersion: '1' });
    expect(closed.statusCode).toBe(400);
    expect(closed.body).toContain('schon abgeschlossen');
    expect((await caseRow(b.caseId))?.mergedIntoId).toBeNull();
  });

  it('resolving the merged case mails every reporter once, through their own thread and link', async () => {
    const { a, b, anna, bernd, fiona } = await pair();
    expect((await merge(b.number, a.number)).statusCode).toBe(303);
    const before = await outboxMails(ctx.db);
    const html = (await page(a.number)).body;
    const res = await postForm(ctx, `/staff/faelle/${a.number}`, `/staff/faelle/${a.number}/bearbeiten`, tief.cookie, {
      version: versionOn(html),
      status: 'resolved',
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
    });
    expect(res.statusCode).toBe(303);
    const known = new Set(before.map((m) => m.id));
    const sent = (await outboxMails(ctx.db)).filter((m) => !known.has(m.id));
    expect(sent.map((m) => m.toAddress).sort()).toEqual([anna, bernd, fiona]);
    const to = (addr: string) => sent.find((m) => m.toAddress === addr);
    expect(to(anna)?.text).toContain(`/verfolgen/${a.trackingToken}`);
    expect(to(bernd)?.subject).toContain(b.number);
    expect(to(bernd)?.text).toContain(`/verfolgen/${b.trackingToken}`);
    expect(to(bernd)?.text).toContain(`dasselbe wie die Meldung ${a.number}`);
    expect(to(fiona)?.text).toContain(`/folgen/f-${b.trackingToken}`);
    expect(to(fiona)?.text).not.toContain(a.trackingToken);
    for (const m of sent) expect(m.text).toContain('Tim Tiefbau');
    const [notified] = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, a.caseId), eq(auditEvents.action, 'reporters_notified')));
    expect(notified?.details).toMatchObject({ count: 3 });

    const tracking = await ctx.app.inject({ url: `/verfolgen/${b.trackingToken}`, headers: { accept: 'text/html' } });
    expect(tracking.body).toContain('Erledigt – zusammen mit einer gleichen Meldung');
    const follower = await ctx.app.inject({ url: `/folgen/f-${b.trackingToken}`, headers: { accept: 'text/html' } });
    expect(follower.body).toContain('Erledigt!');
  });

  it('"Antworten und erledigen" is the own reporter\'s one mail; the others get the notice', async () => {
    const { a, b, anna, bernd, fiona } = await pair();
    expect((await merge(b.number, a.number)).statusCode).toBe(303);
    const html = (await page(a.number)).body;
    const res = await postForm(ctx, `/staff/faelle/${a.number}`, `/staff/faelle/${a.number}/antwort`, tief.cookie, {
      version: versionOn(html),
      body: 'Die Lampe leuchtet wieder.',
      resolve: 'yes',
    });
    expect(res.statusCode).toBe(303);
    expect((await caseRow(a.caseId))?.status).toBe('resolved');
    const subjects = async (addr: string) => (await outboxMails(ctx.db, { to: addr })).map((m) => m.text);
    // Anna: the acknowledgement and the clerk's reply, no extra notice.
    const annas = await subjects(anna);
    expect(annas).toHaveLength(2);
    expect(annas[1]).toContain('Die Lampe leuchtet wieder.');
    // Bernd: his acknowledgement and the merged notice; Fiona: only the notice (her follow was not via the form).
    expect((await subjects(bernd)).at(-1)).toContain('Wir haben beide zusammen bearbeitet');
    expect(await subjects(bernd)).toHaveLength(2);
    expect(await subjects(fiona)).toEqual([expect.stringContaining('der Sie folgen, ist erledigt')]);
  });

  it('notes similar open reports on a new mail or phone case for staff, without blocking it; the web form asked already', async () => {
    const { a } = await pair();
    const [row] = await ctx.db.select().from(cases).where(eq(cases.id, a.caseId));
    const near = { categoryId: town.categories.streetLight.id, lat: (row?.lat ?? 0) + north(10), lon: row?.lon ?? 0 };
    const mail = await fileCase(ctx, { ...near, channel: 'email', description: 'Laterne Nummer 12 dunkel, seit Tagen' });
    expect(mail.outcome).toBe('created');
    const [suggested] = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, mail.caseId), eq(auditEvents.action, 'duplicate_suggested')));
    expect(suggested?.actorLabel).toBe('Duplikatsuche');
    expect(suggested?.details).toMatchObject({ numbers: expect.arrayContaining([a.number]) });
    expect((await page(mail.number)).body).toContain(`Mögliches Duplikat</strong>: ${a.number}`);

    const web = await fileCase(ctx, { ...near, channel: 'web', description: 'Laterne Nummer 12 dunkel, seit Tagen' });
    expect(await actions(web.caseId)).not.toContain('duplicate_suggested');
  });
});
