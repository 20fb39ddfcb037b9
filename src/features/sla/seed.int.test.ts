import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { auditEvents, caseSlas, cases, officeHours, slaPolicies, teamLeads } from '../../infra/schema/index.ts';
import { ensureDemoTown } from '../admin/seed/index.ts';
import { HISTORY_ACTOR } from '../admin/seed/insert-history.ts';
import { slaState } from './case-clock.ts';
import { clocksNeedingAction } from './queries.ts';

describeDb('demo town deadlines', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await ensureDemoTown({ ...ctx, db: ctx.db }, { townName: 'Musterstadt' });
  }, 120_000);
  afterAll(() => ctx.close());

  it('ships policies, office hours with closing days and a lead for every team', async () => {
    const names = (await ctx.db.select({ name: slaPolicies.name }).from(slaPolicies)).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Standard', 'Störungen', 'Ideen und Vorschläge', 'Dringend']));
    const hours = await ctx.db.select().from(officeHours);
    expect(hours.find((h) => h.teamId === null)?.closedDays).toEqual(['12-24', '12-31']);
    expect(await ctx.db.select().from(teamLeads)).toHaveLength(6);
  });

  it('gives every demo case a clock that matches its played history, with nothing left for the sweep to fire', async () => {
    const rows = await ctx.db
      .select({ status: cases.status, closedAt: cases.closedAt, sla: caseSlas })
      .from(cases)
      .innerJoin(caseSlas, eq(caseSlas.caseId, cases.id));
    // Last year's imported history has no clocks (it came closed); every demo case of the six weeks has one.
    const history = await ctx.db.select({ id: auditEvents.caseId }).from(auditEvents).where(eq(auditEvents.actorLabel, HISTORY_ACTOR));
    const total = await ctx.db.select({ id: cases.id }).from(cases);
    expect(history.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(total.length - history.length);
    const now = ctx.clock.now();
    const closed = rows.filter((r) => r.closedAt !== null);
    expect(closed.length).toBeGreaterThan(0);
    for (const r of closed) expect(r.sla.pausedSince?.getTime()).toBe(r.closedAt?.getTime());
    const waiting = rows.filter((r) => r.status === 'waiting');
    expect(waiting.length).toBeGreaterThan(0);
    for (const r of waiting) expect([r.sla.pausedSince !== null, r.sla.dueAt]).toEqual([true, null]);
    const states = new Set(rows.map((r) => slaState(now, { ...r, ...r.sla })));
    // The demo shows clocks in several states: some kept, some missed, open ones running.
    expect(states.has('met') || states.has('missed')).toBe(true);
    expect([...states].some((s) => s === 'ok' || s === 'soon' || s === 'overdue')).toBe(true);
    expect(await clocksNeedingAction(ctx.db, now, 500)).toEqual([]);
    const answered = await ctx.db
      .select({ at: caseSlas.firstResponseAt })
      .from(caseSlas)
      .where(
        inArray(
          caseSlas.caseId,
          closed.map((r) => r.sla.caseId),
        ),
      );
    expect(answered.some((a) => a.at !== null)).toBe(true);
  });
});
