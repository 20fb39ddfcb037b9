import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm, versionOn } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { outboxMails } from '../../../test/helpers/outbox.ts';
import { fixedClock } from '../../infra/clock.ts';
import { auditEvents, caseSlas, cases, slaPolicies, teamLeads } from '../../infra/schema/index.ts';
import { createSession, SESSION_COOKIE } from '../auth/session.ts';
import { checkCase, type EscalationDeps } from './escalation.ts';
import { slaJobs } from './jobs.ts';
import { invalidateSlaSettings } from './settings.ts';

const berlin = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toJSDate();

describeDb('SLA warnings and escalation', () => {
  const clock = fixedClock(berlin('2026-03-02T09:00'));
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let lead: TestUser;
  let clerk: TestUser;
  let deps: EscalationDeps;

  const count = async (caseId: number, action: string) =>
    (
      await ctx.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.action, action)))
    ).length;
  const mails = (caseId: number) => outboxMails(ctx.db, { caseId: caseId });
  const priorityOf = async (caseId: number) => (await ctx.db.select({ p: cases.priority }).from(cases).where(eq(cases.id, caseId)))[0]?.p;

  beforeAll(async () => {
    ctx = await createTestContext({ clock });
    town = await seedBasics(ctx.db);
    lead = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Lina Leitung', email: 'lina@musterstadt.example' });
    clerk = await createUser(ctx, { teamIds: [town.teams.leitstelle.id], name: 'Kai Klein' });
    await ctx.db.insert(teamLeads).values({ teamId: town.teams.leitstelle.id, userId: lead.id });
    await ctx.db.insert(slaPolicies).values({ name: 'Standard', responseMinutes: 8 * 60, resolutionMinutes: 40 * 60 });
    invalidateSlaSettings(ctx.db);
    deps = { db: ctx.db, queue: ctx.queue, clock, log: ctx.log, publicUrl: ctx.config.publicUrl };
  });
  afterAll(() => ctx.close());

  it('schedules one timed check per clock, and each check schedules the next instant of its clock', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    const c = await fileCase(ctx);
    const jobs = async () => {
      const rows = await ctx.db.execute<{ start_after: string }>(
        sql`select start_after::text from pgboss.job where name = 'sla.check' and (data->>'caseId')::int = ${c.caseId} order by start_after`,
      );
      return (rows as unknown as { rows: { start_after: string }[] }).rows.map((r) => new Date(r.start_after).getTime());
    };
    const sla = (await ctx.db.select().from(caseSlas).where(eq(caseSlas.caseId, c.caseId)))[0];
    if (!sla?.warnAt) throw new Error('no clock');
    expect(await jobs()).toEqual([sla.warnAt.getTime()]);

    const [check] = slaJobs({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, config: ctx.config });
    clock.set(sla.warnAt);
    await check.handler({ caseId: c.caseId, at: sla.warnAt.toISOString() });
    expect(await jobs()).toEqual([sla.warnAt.getTime(), sla.responseDueAt.getTime()]);
    // A check from an older chain (an instant the clock no longer has) schedules nothing more.
    await check.handler({ caseId: c.caseId, at: new Date(sla.warnAt.getTime() - 60_000).toISOString() });
    expect(await jobs()).toHaveLength(2);
  });

  it('escalates exactly once when the clock passes the deadline, however many checks run', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    const c = await fileCase(ctx, { description: 'Ampel an der Marktstätte blinkt nur gelb.' });
    // Tuesday 09:05: the first response (due Tuesday 09:00) is five minutes late.
    clock.set(berlin('2026-03-03T09:05'));
    const [check, sweep] = slaJobs({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, config: ctx.config });
    // Two checks racing, the timed job and the sweep: like two workers and a retry after a crash.
    await Promise.all([checkCase(deps, c.caseId), checkCase(deps, c.caseId), check.handler({ caseId: c.caseId })]);
    await sweep.handler({});
    expect(await checkCase(deps, c.caseId)).toEqual({ warned: [], escalated: [] });

    expect(await count(c.caseId, 'sla_breached')).toBe(1);
    expect(await count(c.caseId, 'priority_changed')).toBe(1);
    expect(await priorityOf(c.caseId)).toBe('high');
    const sent = await mails(c.caseId);
    const toLead = sent.filter((m) => m.toAddress === 'lina@musterstadt.example');
    expect(toLead).toHaveLength(1);
    expect(toLead[0]?.subject).toBe(`Frist überschritten: Anliegen ${c.number}`);
    expect(toLead[0]?.text).toContain(`${ctx.config.publicUrl}/staff/faelle/${c.number}`);
    const [breach] = await ctx.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, c.caseId), eq(auditEvents.action, 'sla_breached')));
    expect(breach?.actorLabel).toBe('Fristenüberwachung');
    expect((breach?.details as { reason?: string } | undefined)?.reason).toContain('benachrichtigt: Lina Leitung');
    const page = await ctx.app.inject({
      url: `/staff/faelle/${c.number}`,
      headers: { cookie: await freshCookie(lead), accept: 'text/html' },
    });
    expect(page.body).toContain('Frist überschritten');
    expect(page.body).toContain('überfällig');
  });

  it('warns once before the deadline, to the team address when nobody is assigned', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    const c = await fileCase(ctx);
    clock.set(berlin('2026-03-02T15:00'));
    expect((await checkCase(deps, c.caseId)).warned).toEqual([]);
    // 80 % of eight business hours: Monday 15:24.
    clock.set(berlin('2026-03-02T15:30'));
    expect((await checkCase(deps, c.caseId)).warned).toEqual(['response']);
    expect((await checkCase(deps, c.caseId)).warned).toEqual([]);
    expect(await count(c.caseId, 'sla_warning')).toBe(1);
    const warnings = (await mails(c.caseId)).filter((m) => m.subject.startsWith('Bald fällig'));
    expect(warnings.map((m) => m.toAddress)).toEqual(['leitstelle@musterstadt.example']);
    expect(await priorityOf(c.caseId)).toBe('normal');
  });

  it('does nothing for a case that waits on the citizen', async () => {
    clock.set(berlin('2026-03-02T09:00'));
    const c = await fileCase(ctx);
    const cookie = await freshCookie(clerk);
    for (const status of ['in_progress', 'waiting']) {
      const html = (await ctx.app.inject({ url: `/staff/faelle/${c.number}`, headers: { cookie, accept: 'text/html' } })).body;
      const res = await postForm(ctx, `/staff/faelle/${c.number}`, `/staff/faelle/${c.number}/bearbeiten`, cookie, {
        version: versionOn(html),
        type: 'defect',
        categoryId: '',
        teamId: String(town.teams.leitstelle.id),
        priority: 'normal',
        status,
      });
      expect(res.statusCode).toBe(303);
    }
    clock.set(berlin('2026-03-10T09:00'));
    expect(await checkCase(deps, c.caseId)).toEqual({ warned: [], escalated: [] });
    await slaJobs({ db: ctx.db, queue: ctx.queue, clock, log: ctx.log, config: ctx.config })[1].handler({});
    expect(await count(c.caseId, 'sla_breached')).toBe(0);
  });

  async function freshCookie(user: TestUser): Promise<string> {
    const s = await createSession(ctx.db, ctx.clock, user.id);
    return `${SESSION_COOKIE}=${ctx.app.signCookie(s.cookieValue)}`;
  }
});
