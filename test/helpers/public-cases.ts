import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../src/infra/db.ts';
import { cases, categories, districts, type PublicStatus, publicCases, publicCaseUpdates, teams } from '../../src/infra/schema/index.ts';

/**
 * Publishes a case for tests of the public readers (pages, GeoJSON, Open311): writes its row of
 * the public projection from the case's non-personal fields. Tests call only this, so that the
 * day the publication feature's own projector lands, this is the one place that switches to it.
 */
export async function publishForTest(
  db: DbOrTx,
  caseId: number,
  over: Partial<typeof publicCases.$inferInsert> & {
    status?: PublicStatus;
    /** The public history (status steps and answers) as the projector would write it. */
    updates?: { status: PublicStatus; text?: string | null; createdAt: Date }[];
  } = {},
): Promise<void> {
  const { updates = [], ...row } = over;
  const [c] = await db
    .select({
      number: cases.number,
      type: cases.type,
      categoryId: cases.categoryId,
      categorySlug: categories.slug,
      categoryName: categories.name,
      districtId: cases.districtId,
      districtName: districts.name,
      teamName: teams.name,
      description: cases.description,
      locationText: cases.locationText,
      lat: cases.lat,
      lon: cases.lon,
      createdAt: cases.createdAt,
      closedAt: cases.closedAt,
      updatedAt: cases.updatedAt,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(districts, eq(districts.id, cases.districtId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.id, caseId));
  if (!c) throw new Error(`case ${caseId} not found`);
  const now = new Date();
  await db.insert(publicCases).values({
    caseId,
    number: c.number,
    status: 'new',
    type: c.type,
    categoryId: c.categoryId,
    categorySlug: c.categorySlug,
    categoryName: c.categoryName,
    districtId: c.districtId,
    districtName: c.districtName,
    teamName: c.teamName,
    text: c.description,
    locationText: c.locationText,
    lat: c.lat,
    lon: c.lon,
    reportedAt: c.createdAt,
    closedAt: c.closedAt,
    publishedAt: now,
    updatedAt: c.updatedAt,
    ...row,
  });
  if (updates.length > 0) {
    await db
      .insert(publicCaseUpdates)
      .values(updates.map((u) => ({ caseId, status: u.status, text: u.text ?? null, createdAt: u.createdAt })));
  }
}
