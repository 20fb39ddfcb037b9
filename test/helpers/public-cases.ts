import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../src/features/cases/audit.ts';
import { refreshPublicCase } from '../../src/features/transparency/projection/write.ts';
import { editText, publishCase, setPublicNote } from '../../src/features/transparency/publication/service.ts';
import type { Db, DbOrTx } from '../../src/infra/db.ts';
import {
  attachments,
  cases,
  categories,
  districts,
  type PublicStatus,
  publicCases,
  publicCaseUpdates,
  teams,
} from '../../src/infra/schema/index.ts';

const TEST_PUBLISHER: Actor = { userId: null, label: 'Test' };

/**
 * Publishes a case for tests of the public readers (pages, GeoJSON, Open311) through the real
 * projector, exactly as staff pressing "Veröffentlichen" would: masked text, public status, history.
 * `over` sets what staff could set before publishing: an edited public text (masked as well), a
 * public note, and whether every photo is released. Status, category and the like come from the
 * case itself: change the case to change them.
 */
export async function publishForTest(
  db: DbOrTx,
  caseId: number,
  over: { text?: string; statusNote?: string; releasePhotos?: boolean; at?: Date } = {},
): Promise<void> {
  const now = over.at ?? new Date();
  const run = async (tx: DbOrTx) => {
    await publishCase(tx, caseId, TEST_PUBLISHER, now);
    if (over.text !== undefined) await editText(over.text)(tx, caseId, TEST_PUBLISHER, now);
    if (over.statusNote !== undefined) await setPublicNote(over.statusNote)(tx, caseId, TEST_PUBLISHER, now);
    if (over.releasePhotos) {
      await tx
        .update(attachments)
        .set({ releasedAt: now })
        .where(and(eq(attachments.caseId, caseId), eq(attachments.kind, 'photo')));
      await refreshPublicCase(tx, caseId, now);
    }
  };
  // A plain handle gets its own transaction, as every change of a case does.
  if ('transaction' in db && !('rollback' in db)) await (db as Db).transaction(run);
  else await run(db);
}

/**
 * Writes a row of the public projection (and its history) directly, with any public field set,
 * for tests of the readers' filters, paging and formats (list, GeoJSON, Open311, statistics) that
 * need states the projector reaches only after long case histories (a first answer hours later,
 * a confirmed fix). What becomes public, and what never may, is tested through publishForTest.
 */
export async function projectionRowForTest(
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
