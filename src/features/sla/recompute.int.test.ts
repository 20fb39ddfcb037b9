import { eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { fixedClock } from '../../infra/clock.ts';
import { caseSlas, cases, slaPolicies, slaRecomputeBatches } from '../../infra/schema/index.ts';
import { createSession, SESSION_COOKIE } from '../auth/session.ts';
import { type SlaAdminDeps, saveOfficeHours } from './admin-service.ts';
import { checkCase } from './escalation.ts';
import { slaJobs } from './jobs.ts';
import { invalidateSlaSettings } from './settings.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();
const inBerlin = (d: Date | null | undefined) =>
  d ? DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toFormat("ccc yyyy-MM-dd'T'HH:mm") : null;

const longWeek = {
  day0: '07:00–19:00',
  day1: '07:00–19:00',
  day2: '07:00–19:00',
  day3: '07:00–19:00',
  day4: '07:00–19:00',
  day5: '',
  day6: '',
};
const defaultWeek = {
  day0: '08:00–16:00',
  day1: '08:00–16:00',
  day2: '08:00–16:00',
  day3: '08:00–16:00',
  day4: '08:00–12:00',
  day5: '',
  day6: '',
};

describeDb('running clocks follow changes of office hours and policies', () => {
  // Tuesday 3 March 2026; default office hours Mo–Do 8–16, Fr 8–12 until the admin changes them.
  const clock = fixedClock(berlin('2026-03-02T08:00'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let admin: TestUser;
  let standardId: number;

  const signIn = async (user: TestUser) => {
    const s = await createSession(ctx.db, ctx.clock, user.id);
    user.cookie = `${SESSION_COOKIE}=${ctx.app.signCookie(s.cookieValue)}`;
  };
  const post = (page: string, action: string, fields: Record<string, string>) => postForm(ctx, page, action, admin.cookie, fields);
  const clockOf = async (caseId: number) => {
    const [row] = await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, caseId));
    if (!row) throw new Error(`no clock for case ${caseId}`);
    return row;
  };
  const close = async (caseId: number) => {
    await ctx.db.update(cases).set({ status: 'resolved', closedAt: clock.now() }).where(eq(cases.id, caseId));
    await ctx.db
      .update(caseSlas)
      .set({ pausedSince: clock.now(), dueAt: null, warnAt: null, dueKind: null })
      .where(eq(caseSlas.caseId, caseId));
  };
  const checkJobsOf = async (caseId: number) => {
    const rows = await ctx.db.execute<{ start_after: string }>(
      sql`select start_after::text from pgboss.job where name = 'sla.check' and (data->>'caseId')::int = ${caseId} order by start_after`,
    );
    return (rows as unknown as { rows: { start_after: string }[] }).rows.map((r) => new Date(r.start_after).getTime());
  };
  /** Admin deps that hand every recomputation to the job, however few clocks it concerns. */
  const jobsOnly = (): SlaAdminDeps => ({
    db: ctx.db,
    log: ctx.log,
    queue: ctx.queue,
    state: ctx.config.bundesland,
    now: () => clock.now(),
    recomputeInline: 0,
  });
  const page = async (url: string) => (await ctx.app.inject({ url, headers: { cookie: admin.cookie, accept: 'text/html' } })).body;
  const policyForm = (over: Record<string, string>) => ({
    name: 'Standard',
    teamId: '',
    caseType: '',
    priority: '',
    responseMinutes: '8',
    resolutionMinutes: '40',
    warnPercent: '80',
    ...over,
  });

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    const [row] = await ctx.db
      .insert(slaPolicies)
      .values({ name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 })
      .returning({ id: slaPolicies.id });
    standardId = row?.id ?? 0;
    invalidateSlaSettings(ctx.db);
  });
  afterAll(() => ctx.close());

  it('moves the deadlines of open cases when the default hours change, but not closed or escalated ones', async () => {
    clock.set(berlin('2026-03-02T08:00'));
    const escalated = await fileCase(ctx);
    clock.set(berlin('2026-03-03T09:00'));
    const running = await fileCase(ctx);
    const closed = await fileCase(ctx);
    await close(closed.caseId);
    // The first case missed its first answer on Monday 16:00; the check escalates it.
    clock.set(berlin('2026-03-03T09:30'));
    expect(
      (await checkCase({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, publicUrl: ctx.config.publicUrl }, escalated.caseId)).escalated,
    ).toEqual(['response']);
    const before = {
      escalated: await clockOf(escalated.caseId),
      running: await clockOf(running.caseId),
      closed: await clockOf(closed.caseId),
    };
    expect(inBerlin(before.running.responseDueAt)).toBe('Wed 2026-03-04T09:00');

    clock.set(berlin('2026-03-03T10:00'));
    await signIn(admin);
    const res = await post('/admin/fristen/zeiten/standard', '/admin/fristen/zeiten/standard', { ...longWeek, closedDays: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/fristen?hinweis=zeiten&fristen=2');
    expect(await page(String(res.headers.location))).toContain('Fristen von 2 Fällen sind neu berechnet.');

    // One hour ran under the old hours (09–10); the other seven count from 10:00 in 07–19.
    const moved = await clockOf(running.caseId);
    expect(inBerlin(moved.responseDueAt)).toBe('Tue 2026-03-03T17:00');
    expect(inBerlin(moved.dueAt)).toBe('Tue 2026-03-03T17:00');
    expect(moved.countedMinutes).toBe(60);
    // Its chain of checks starts again at the new warning point (6 h 24 min − 1 h after 10:00).
    expect(inBerlin(moved.warnAt)).toBe('Tue 2026-03-03T15:24');
    expect(await checkJobsOf(running.caseId)).toContain(moved.warnAt?.getTime());

    const stillEscalated = await clockOf(escalated.caseId);
    expect(stillEscalated.responseDueAt.getTime()).toBe(before.escalated.responseDueAt.getTime());
    expect(stillEscalated.responseEscalatedAt?.getTime()).toBe(before.escalated.responseEscalatedAt?.getTime());
    expect(stillEscalated.resolutionDueAt.getTime()).not.toBe(before.escalated.resolutionDueAt.getTime());
    expect(await clockOf(closed.caseId)).toEqual(before.closed);
  });

  it('moves only the cases of a team whose own hours change, and nothing when only the leads change', async () => {
    clock.set(berlin('2026-03-03T11:00'));
    const tiefbau = await fileCase(ctx, { categoryId: town.categories.streetLight.id });
    const leitstelle = await fileCase(ctx);
    const tiefbauBefore = await clockOf(tiefbau.caseId);
    const leitstelleBefore = await clockOf(leitstelle.caseId);
    const url = `/admin/fristen/zeiten/${town.teams.tiefbau.id}`;

    clock.set(berlin('2026-03-03T12:00'));
    await signIn(admin);
    const res = await post(url, url, { ...defaultWeek, day4: '08:00–16:00', closedDays: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/fristen\?hinweis=zeiten&fristen=\d+$/);
    expect(await clockOf(leitstelle.caseId)).toEqual(leitstelleBefore);
    const moved = await clockOf(tiefbau.caseId);
    expect(moved.countedFrom?.getTime()).toBe(berlin('2026-03-03T12:00').getTime());
    // It had the town's 07–19 hours until now; from noon the Tiefbauamt's own 08–16 count.
    expect(inBerlin(moved.responseDueAt)).toBe('Wed 2026-03-04T11:00');
    expect(moved.responseDueAt.getTime()).not.toBe(tiefbauBefore.responseDueAt.getTime());

    const again = await post(url, url, { ...defaultWeek, day4: '08:00–16:00', closedDays: '' });
    expect(again.headers.location).toBe('/admin/fristen?hinweis=zeiten');
    expect((await clockOf(tiefbau.caseId)).updatedAt.getTime()).toBe(moved.updatedAt.getTime());

    // Back to the town's hours: its cases follow again.
    clock.set(berlin('2026-03-03T13:00'));
    const reset = await post(url, `${url}/standard`, {});
    expect(reset.headers.location).toMatch(/^\/admin\/fristen\?hinweis=standard&fristen=\d+$/);
    expect((await clockOf(tiefbau.caseId)).countedFrom?.getTime()).toBe(berlin('2026-03-03T13:00').getTime());
  });

  it('applies a policy edit to running cases only when asked to, and says to how many', async () => {
    clock.set(berlin('2026-03-04T08:00'));
    await signIn(admin);
    const c = await fileCase(ctx);
    const closed = await fileCase(ctx);
    await close(closed.caseId);
    const closedBefore = await clockOf(closed.caseId);
    const before = await clockOf(c.caseId);
    const url = `/admin/fristen/${standardId}`;
    expect(await page(url)).toContain('Auch auf laufende Fälle mit dieser Frist anwenden');

    const plain = await post(url, url, policyForm({ responseMinutes: '4' }));
    expect(plain.headers.location).toBe('/admin/fristen?hinweis=gespeichert');
    expect(await clockOf(c.caseId)).toEqual(before);

    const bad = await post(url, url, policyForm({ responseMinutes: 'zwei', laufende: 'yes' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/name="laufende" value="yes" checked/);
    expect(await clockOf(c.caseId)).toEqual(before);

    const applied = await post(url, url, policyForm({ responseMinutes: '2', laufende: 'yes' }));
    expect(applied.statusCode).toBe(303);
    const count = Number(/fristen=(\d+)/.exec(String(applied.headers.location))?.[1]);
    expect(applied.headers.location).toBe(`/admin/fristen?hinweis=angewendet&fristen=${count}`);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await page(String(applied.headers.location))).toContain(`Fristen von ${count} Fällen sind neu berechnet.`);
    const after = await clockOf(c.caseId);
    expect(after.responseMinutes).toBe(120);
    expect(inBerlin(after.responseDueAt)).toBe('Wed 2026-03-04T10:00');
    expect(await clockOf(closed.caseId)).toEqual(closedBefore);
    expect(await checkJobsOf(c.caseId)).toContain(after.warnAt?.getTime());
  });

  it('hands a large recomputation to jobs, and the page says it is on its way', async () => {
    clock.set(berlin('2026-03-05T09:00'));
    const c = await fileCase(ctx);
    const before = await clockOf(c.caseId);
    const deps = jobsOnly();
    clock.set(berlin('2026-03-05T10:00'));
    const outcome = await saveOfficeHours(deps, null, { ...defaultWeek, closedDays: '24.12.' });
    expect(outcome.later).toBe(true);
    expect(outcome.count).toBeGreaterThanOrEqual(1);
    expect(await clockOf(c.caseId)).toEqual(before);

    // The work is stored with the change (nothing to lose between commit and a job send) and one job is kicked.
    const batches = await ctx.db.select().from(slaRecomputeBatches);
    expect(batches.flatMap((b) => b.caseIds)).toHaveLength(outcome.count);
    const kicked = await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'sla.recompute'`);
    expect((kicked as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
    const [, , recompute] = slaJobs({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, config: ctx.config });
    // The job runs a little later; the clock is still moved at the moment of the change.
    clock.set(berlin('2026-03-05T10:05'));
    await recompute.handler({});
    expect(await ctx.db.select().from(slaRecomputeBatches)).toHaveLength(0);
    const moved = await clockOf(c.caseId);
    expect(moved.countedFrom?.getTime()).toBe(berlin('2026-03-05T10:00').getTime());
    // Two hours to the first answer since the last test: one ran in 07–19 (09–10), one is left.
    expect(moved.countedMinutes).toBe(60);
    expect(inBerlin(moved.responseDueAt)).toBe('Thu 2026-03-05T11:00');
    // 40 h, 1 spent: Thu 10–16 (6), Fri 08–12 (4), Mon–Thu 8 each (32) is 42 ≥ 39: Thursday 13:00.
    expect(inBerlin(moved.resolutionDueAt)).toBe('Thu 2026-03-12T13:00');
    await recompute.handler({});
    expect(await clockOf(c.caseId)).toEqual(moved);

    await signIn(admin);
    const notice = await page(`/admin/fristen?hinweis=zeiten&fristen=${1200}&spaeter=1`);
    expect(notice).toContain('Fristen von 1.200 Fällen werden neu berechnet.');
  });

  it('applies two large changes in the order they were made, each to its own stretch of time', async () => {
    const deps = jobsOnly();
    // Monday 07:00, before the default hours (8–16) open.
    clock.set(berlin('2026-03-09T07:00'));
    const c = await fileCase(ctx);
    clock.set(berlin('2026-03-09T08:00'));
    await saveOfficeHours(deps, null, { ...longWeek, closedDays: '24.12.' });
    clock.set(berlin('2026-03-09T09:00'));
    await saveOfficeHours(deps, null, { ...defaultWeek, closedDays: '24.12.' });
    const [, , recompute] = slaJobs({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, config: ctx.config });
    await recompute.handler({});
    const after = await clockOf(c.caseId);
    // 07–08 under the old default (closed: 0 minutes), 08–09 under the long hours (60): 60 spent.
    // The other order would count 07–09 under the long hours: 120.
    expect(after.countedFrom?.getTime()).toBe(berlin('2026-03-09T09:00').getTime());
    expect(after.countedMinutes).toBe(60);
  });
});
