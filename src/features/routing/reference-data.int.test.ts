import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { seedBasics } from '../../../test/helpers/fixtures.ts';
import { categories, districts, teams } from '../../infra/schema/index.ts';
import { updateTeam } from '../admin/teams-service.ts';
import { invalidateReferenceData, referenceData } from '../cases/reference-data.ts';
import { routeNewCase } from './service.ts';

describeDb('routing reference data', () => {
  let ctx: TestContext;
  let town: Awaited<ReturnType<typeof seedBasics>>;
  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  const input = { type: 'defect' as const, categoryId: null, lat: null, lon: null };

  it('serves from memory until invalidated; the admin service invalidates on change', async () => {
    const first = await referenceData(ctx.db);
    expect(await referenceData(ctx.db)).toBe(first);
    // A change behind the cache's back (another process) is not seen before the TTL …
    await ctx.db.update(teams).set({ name: 'Bürgerservice' }).where(eq(teams.id, town.teams.leitstelle.id));
    expect((await routeNewCase(ctx.db, input)).reason).toContain('Leitstelle,');
    invalidateReferenceData(ctx.db);
    expect((await routeNewCase(ctx.db, input)).reason).toContain('Bürgerservice,');
    // … while the admin service's change counts at once.
    await updateTeam({ db: ctx.db, log: ctx.log }, null, town.teams.leitstelle.id, { name: 'Leitstelle Mitte', email: '' });
    expect((await routeNewCase(ctx.db, input)).reason).toBe('Leitstelle Mitte, weil sie diese Art bearbeitet');
  });

  it('finds a category created after the copy was loaded, without waiting for the TTL', async () => {
    await referenceData(ctx.db);
    const [category] = await ctx.db
      .insert(categories)
      .values({ slug: 'ampel', name: 'Ampel', groupName: 'Straße & Verkehr', defaultTeamId: town.teams.tiefbau.id })
      .returning();
    const decision = await routeNewCase(ctx.db, { ...input, categoryId: category?.id ?? 0 });
    expect(decision).toMatchObject({ teamId: town.teams.tiefbau.id, reason: 'Kategorie „Ampel“ gehört zu Tiefbauamt' });
  });

  it('gives a transaction its own copy, which sees the transaction’s own rows', async () => {
    await referenceData(ctx.db);
    const spot = { ...input, lat: 47.695, lon: 9.155 };
    const inside = await ctx.db.transaction(async (tx) => {
      const [d] = await tx
        .insert(districts)
        .values({
          name: 'Wollmatingen',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [9.15, 47.69],
                [9.16, 47.69],
                [9.16, 47.7],
                [9.15, 47.7],
                [9.15, 47.69],
              ],
            ],
          },
        })
        .returning();
      return { id: d?.id, routed: await routeNewCase(tx, spot) };
    });
    expect(inside.routed.districtId).toBe(inside.id);
    // The shared copy was loaded before the commit; invalidation brings the new district in.
    expect((await routeNewCase(ctx.db, spot)).districtId).toBeNull();
    invalidateReferenceData(ctx.db);
    expect((await routeNewCase(ctx.db, spot)).districtId).toBe(inside.id);
  });
});
