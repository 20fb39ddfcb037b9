import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, cases, teamSettings, users } from '../../infra/schema/index.ts';

describeDb('round-robin assignment of new cases', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let memberIds: number[];

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    const team = [town.teams.leitstelle.id];
    const a = await createUser(ctx, { teamIds: team, name: 'Anna' });
    const gone = await createUser(ctx, { teamIds: team, name: 'Ausgeschieden' });
    const b = await createUser(ctx, { teamIds: team, name: 'Ben' });
    await ctx.db.update(users).set({ active: false }).where(eq(users.id, gone.id));
    memberIds = [a.id, b.id];
  });
  afterAll(() => ctx.close());

  const assigneesOf = async (ids: number[]) =>
    (await ctx.db.select({ assigneeId: cases.assigneeId }).from(cases).where(inArray(cases.id, ids)).orderBy(asc(cases.id))).map(
      (r) => r.assigneeId,
    );

  it('leaves cases unassigned while the team does not use it', async () => {
    const c = await fileCase(ctx);
    expect(await assigneesOf([c.caseId])).toEqual([null]);
  });

  it('assigns new cases to the active members in turn, with an audit entry', async () => {
    await ctx.db.insert(teamSettings).values({ teamId: town.teams.leitstelle.id, roundRobin: true });
    const filed = [];
    for (let i = 0; i < 3; i++) filed.push(await fileCase(ctx));
    const [a, b] = memberIds;
    expect(await assigneesOf(filed.map((f) => f.caseId))).toEqual([a, b, a]);
    const [entry] = await ctx.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, filed[1]?.caseId ?? 0))
      .then((rows) => rows.filter((r) => r.action === 'assigned'));
    expect(entry).toMatchObject({ actorLabel: 'Verteilung reihum', details: { to: 'Ben', reason: 'reihum im Team' } });
  });

  it('splits reports arriving at the same moment evenly', async () => {
    const filed = await Promise.all(Array.from({ length: 6 }, () => fileCase(ctx)));
    const got = await assigneesOf(filed.map((f) => f.caseId));
    for (const id of memberIds) expect(got.filter((g) => g === id)).toHaveLength(3);
  });

  it('does not touch cases of other teams', async () => {
    const c = await fileCase(ctx, { categoryId: town.categories.streetLight.id });
    expect(await assigneesOf([c.caseId])).toEqual([null]);
  });
});
