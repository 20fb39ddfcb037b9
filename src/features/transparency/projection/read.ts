import { and, asc, between, desc, eq, gt, gte, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { attachments, type CaseType, type PublicStatus, publicCases, publicCaseUpdates } from '../../../infra/schema/index.ts';

/**
 * The only way public code reads cases: the projection tables hold exactly the published cases and
 * nothing personal (see schema/public.ts). The tracking page, /meldungen, the map's GeoJSON,
 * Open311, feeds and statistics all call these functions and never `cases` itself.
 */

/** The statuses the public sees, in German, the same on every page and in every feed. */
export const publicStatusLabels: Record<PublicStatus, string> = {
  new: 'neu',
  reviewing: 'in Prüfung',
  in_progress: 'in Bearbeitung',
  resolved: 'erledigt',
  not_responsible: 'nicht zuständig',
  rejected: 'abgelehnt',
  duplicate: 'Duplikat',
};

/** The public statuses that count as closed (Open311 "closed"). */
export const closedPublicStatuses: readonly PublicStatus[] = ['resolved', 'not_responsible', 'rejected', 'duplicate'];

/** A box in WGS84 degrees. */
export interface LatLonBox {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

export interface PublicCaseFilter {
  numbers?: readonly string[];
  categoryIds?: readonly number[];
  categorySlugs?: readonly string[];
  types?: readonly CaseType[];
  statuses?: readonly PublicStatus[];
  districtIds?: readonly number[];
  /** Reported at or after / before (Open311 start_date/end_date, the list's time filter). */
  reportedFrom?: Date;
  reportedBefore?: Date;
  updatedAfter?: Date;
  updatedBefore?: Date;
  box?: LatLonBox;
}

export type PublicCase = typeof publicCases.$inferSelect;
export type PublicCaseUpdate = typeof publicCaseUpdates.$inferSelect;

function conditions(f: PublicCaseFilter): SQL[] {
  const where: SQL[] = [];
  if (f.numbers) where.push(inArray(publicCases.number, [...f.numbers]));
  if (f.categoryIds) where.push(inArray(publicCases.categoryId, [...f.categoryIds]));
  if (f.categorySlugs) where.push(inArray(publicCases.categorySlug, [...f.categorySlugs]));
  if (f.types) where.push(inArray(publicCases.type, [...f.types]));
  if (f.statuses) where.push(inArray(publicCases.status, [...f.statuses]));
  if (f.districtIds) where.push(inArray(publicCases.districtId, [...f.districtIds]));
  if (f.reportedFrom) where.push(gte(publicCases.reportedAt, f.reportedFrom));
  if (f.reportedBefore) where.push(lt(publicCases.reportedAt, f.reportedBefore));
  if (f.updatedAfter) where.push(gt(publicCases.updatedAt, f.updatedAfter));
  if (f.updatedBefore) where.push(lte(publicCases.updatedAt, f.updatedBefore));
  if (f.box) {
    where.push(between(publicCases.lat, f.box.minLat, f.box.maxLat), between(publicCases.lon, f.box.minLon, f.box.maxLon));
  }
  return where;
}

export async function publicCaseByNumber(db: DbOrTx, number: string): Promise<PublicCase | null> {
  const [row] = await db.select().from(publicCases).where(eq(publicCases.number, number));
  return row ?? null;
}

export async function publicCaseById(db: DbOrTx, caseId: number): Promise<PublicCase | null> {
  const [row] = await db.select().from(publicCases).where(eq(publicCases.caseId, caseId));
  return row ?? null;
}

/** One page of public cases, newest report first (or by last update), and whether there are more. */
export async function publicCasePage(
  db: DbOrTx,
  filter: PublicCaseFilter,
  page: { offset: number; limit: number; order?: 'reported' | 'updated' },
): Promise<{ rows: PublicCase[]; more: boolean }> {
  const order =
    page.order === 'updated'
      ? [desc(publicCases.updatedAt), desc(publicCases.caseId)]
      : [desc(publicCases.reportedAt), desc(publicCases.caseId)];
  const rows = await db
    .select()
    .from(publicCases)
    .where(and(...conditions(filter)))
    .orderBy(...order)
    .offset(page.offset)
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), more: rows.length > page.limit };
}

/**
 * How many public cases match, counting at most `cap` + 1 rows: exact up to the cap (a small
 * town always sees its true number, fresh on every view), beyond it only "more than `cap`", so
 * a list view never counts 100,000 rows.
 */
export async function publicCaseCountUpTo(db: DbOrTx, filter: PublicCaseFilter, cap: number): Promise<{ n: number; more: boolean }> {
  const matching = db
    .select({ one: sql`1`.as('one') })
    .from(publicCases)
    .where(and(...conditions(filter)))
    .limit(cap + 1)
    .as('matching');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matching);
  const n = row?.n ?? 0;
  return n > cap ? { n: cap, more: true } : { n, more: false };
}

/** How many public cases match, all of them (the list's last page past the cap, benches). */
export async function publicCaseCount(db: DbOrTx, filter: PublicCaseFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(publicCases)
    .where(and(...conditions(filter)));
  return row?.n ?? 0;
}

/** The public history of one case, oldest first. */
export function publicUpdatesOf(db: DbOrTx, caseId: number): Promise<PublicCaseUpdate[]> {
  return db
    .select()
    .from(publicCaseUpdates)
    .where(eq(publicCaseUpdates.caseId, caseId))
    .orderBy(asc(publicCaseUpdates.createdAt), asc(publicCaseUpdates.id));
}

/**
 * Public updates of published cases in a time window, oldest first, with the case number
 * (FixMyStreet's servicerequestupdates, follower digests). Only cases still published count.
 */
export function publicUpdatesBetween(db: DbOrTx, p: { from: Date; to: Date; limit: number }) {
  return db
    .select({
      id: publicCaseUpdates.id,
      caseId: publicCaseUpdates.caseId,
      number: publicCases.number,
      status: publicCaseUpdates.status,
      text: publicCaseUpdates.text,
      createdAt: publicCaseUpdates.createdAt,
    })
    .from(publicCaseUpdates)
    .innerJoin(publicCases, eq(publicCases.caseId, publicCaseUpdates.caseId))
    .where(and(gte(publicCaseUpdates.createdAt, p.from), lt(publicCaseUpdates.createdAt, p.to)))
    .orderBy(asc(publicCaseUpdates.createdAt), asc(publicCaseUpdates.id))
    .limit(p.limit);
}

/** One published case with a point, as the public map draws it. */
export interface PublicCasePoint {
  number: string;
  status: PublicStatus;
  categoryName: string | null;
  lat: number;
  lon: number;
  reportedAt: Date;
}

/**
 * The published cases with a point inside the filter's box, newest report first, at most `limit`
 * (the map's GeoJSON); `capped` says there were more. Only the columns a marker needs.
 */
export async function publicCasePoints(
  db: DbOrTx,
  filter: PublicCaseFilter & { box: LatLonBox },
  limit: number,
): Promise<{ points: PublicCasePoint[]; capped: boolean }> {
  const rows = await db
    .select({
      number: publicCases.number,
      status: publicCases.status,
      categoryName: publicCases.categoryName,
      lat: sql<number>`${publicCases.lat}`,
      lon: sql<number>`${publicCases.lon}`,
      reportedAt: publicCases.reportedAt,
    })
    .from(publicCases)
    .where(and(...conditions(filter)))
    .orderBy(desc(publicCases.reportedAt), desc(publicCases.caseId))
    .limit(limit + 1);
  return { points: rows.slice(0, limit), capped: rows.length > limit };
}

/** The public histories of several cases at once (Open311 extensions on a page of requests), oldest first. */
export function publicUpdatesOfCases(db: DbOrTx, caseIds: readonly number[]): Promise<PublicCaseUpdate[]> {
  if (caseIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(publicCaseUpdates)
    .where(inArray(publicCaseUpdates.caseId, [...caseIds]))
    .orderBy(asc(publicCaseUpdates.createdAt), asc(publicCaseUpdates.id));
}

/**
 * A released photo of a published case: its storage keys only when the attachment belongs to the
 * case and is listed in the row's photo_ids (a photo of an unpublished case, an unreleased photo
 * or another case's photo answers null).
 */
export async function publicPhoto(
  db: DbOrTx,
  number: string,
  attachmentId: number,
): Promise<{ storageKey: string; thumbKey: string | null; mimeType: string } | null> {
  const [row] = await db
    .select({ storageKey: attachments.storageKey, thumbKey: attachments.thumbKey, mimeType: attachments.mimeType })
    .from(publicCases)
    .innerJoin(attachments, and(eq(attachments.caseId, publicCases.caseId), eq(attachments.id, attachmentId)))
    .where(and(eq(publicCases.number, number), eq(attachments.kind, 'photo'), sql`${attachmentId} = any(${publicCases.photoIds})`));
  return row ?? null;
}

/**
 * The public updates of some cases after `after` up to `until` (inclusive), oldest first, with the
 * case's number and category: what the follow mails are made of. Only cases still published count,
 * so a withdrawn case is never mentioned.
 */
export function publicUpdatesOfCasesBetween(db: DbOrTx, p: { caseIds: readonly number[]; after: Date; until: Date }) {
  if (p.caseIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      id: publicCaseUpdates.id,
      caseId: publicCaseUpdates.caseId,
      number: publicCases.number,
      categoryName: publicCases.categoryName,
      status: publicCaseUpdates.status,
      text: publicCaseUpdates.text,
      createdAt: publicCaseUpdates.createdAt,
    })
    .from(publicCaseUpdates)
    .innerJoin(publicCases, eq(publicCases.caseId, publicCaseUpdates.caseId))
    .where(
      and(
        inArray(publicCaseUpdates.caseId, [...p.caseIds]),
        gt(publicCaseUpdates.createdAt, p.after),
        lte(publicCaseUpdates.createdAt, p.until),
      ),
    )
    .orderBy(asc(publicCaseUpdates.createdAt), asc(publicCaseUpdates.id));
}

/**
 * Cases that went public after `after` up to `until` (inclusive), in the order they did, at most
 * `limit`: the area alerts. A case published again after a withdrawal counts as new.
 */
export function publicCasesPublishedBetween(db: DbOrTx, p: { after: Date; until: Date; limit: number }): Promise<PublicCase[]> {
  return db
    .select()
    .from(publicCases)
    .where(and(gt(publicCases.publishedAt, p.after), lte(publicCases.publishedAt, p.until)))
    .orderBy(asc(publicCases.publishedAt), asc(publicCases.caseId))
    .limit(p.limit);
}
