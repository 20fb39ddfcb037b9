import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileCase, postForm } from '../../../test/helpers/cases.ts';
import { createTestContext, createUser, describeDb, type TestContext, type TestUser } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { auditEvents, cases, users } from '../../infra/schema/index.ts';

describeDb('round-robin assignment of new cases', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  let memberIds: number[];
  let anna: TestUser;

  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    const team = [town.teams.leitstelle.id];
    const a = await createUser(ctx, { teamIds: team, name: 'Anna' });
    const gone = await createUser(ctx, { teamIds: team, name: 'Ausgeschieden' });
    const b = await createUser(ctx, { teamIds: team, name: 'Ben' });
    await ctx.db.update(users).set({ active: false }).where(eq(users.id, gone.id));
    memberIds = [a.id, b.id];
    anna = a;
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
    // Through the team's settings page, right after a case was filed: intake must see the change
    // at once, although it reads round-robin from the cached reference data.
    const url = `/staff/textbausteine/team/${town.teams.leitstelle.id}`;
    expect((await postForm(ctx, url, url, anna.cookie, { signature: '', roundRobin: 'yes' })).statusCode).toBe(303);
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
