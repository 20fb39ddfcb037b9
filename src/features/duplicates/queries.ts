import { and, asc, between, desc, eq, gte, inArray, isNull, lt, ne, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import type { Box } from '../../infra/geo.ts';
import {
  type CaseStatus,
  caseReporters,
  caseStatuses,
  cases,
  categories,
  contacts,
  type DraftPhoto,
  reportDrafts,
} from '../../infra/schema/index.ts';
import { closedStatuses } from '../cases/labels.ts';

/** Every status that is not closed (new, in progress, waiting …): only those can gain a follower or a duplicate. */
export const openStatuses: CaseStatus[] = caseStatuses.filter((s) => !closedStatuses.includes(s));

export const DEFAULT_RADIUS_M = 50;

export async function categoryRadius(db: DbOrTx, categoryId: number): Promise<number> {
  const [row] = await db.select({ r: categories.duplicateRadiusM }).from(categories).where(eq(categories.id, categoryId));
  return row?.r ?? DEFAULT_RADIUS_M;
}

/**
 * Open cases of one category inside a lat/lon box, newest first. The box uses the (lat, lon)
 * index; the exact distance is computed by the caller. Capped: a box of 100 m never holds more
 * open reports of one kind than this, unless something is badly wrong, and then the newest matter.
 */
export function openCasesInBox(db: DbOrTx, p: { categoryId: number; box: Box; since: Date; excludeId?: number | undefined }) {
  const where: SQL[] = [
    eq(cases.categoryId, p.categoryId),
    inArray(cases.status, openStatuses),
    gte(cases.createdAt, p.since),
    isNull(cases.mergedIntoId),
    between(cases.lat, p.box.minLat, p.box.maxLat),
    between(cases.lon, p.box.minLon, p.box.maxLon),
  ];
  if (p.excludeId !== undefined) where.push(ne(cases.id, p.excludeId));
  return db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      description: cases.description,
      locationText: cases.locationText,
      lat: cases.lat,
      lon: cases.lon,
      createdAt: cases.createdAt,
      teamId: cases.teamId,
      version: cases.version,
      categoryName: categories.name,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .where(and(...where))
    .orderBy(desc(cases.createdAt))
    .limit(200);
}

/** The additional reporters of a case (followers, reporters of merged cases), oldest first. */
export function reportersOf(db: DbOrTx, caseId: number) {
  return db
    .select({
      id: caseReporters.id,
      kind: caseReporters.kind,
      name: caseReporters.name,
      email: caseReporters.email,
      contactId: caseReporters.contactId,
      contactKind: contacts.kind,
      contactAddress: contacts.address,
      contactUndeliverableAt: contacts.undeliverableAt,
      trackingToken: caseReporters.trackingToken,
      originCaseId: caseReporters.originCaseId,
      originNumber: cases.number,
      originChannel: cases.channel,
      originToken: cases.trackingToken,
      createdAt: caseReporters.createdAt,
    })
    .from(caseReporters)
    .leftJoin(cases, eq(cases.id, caseReporters.originCaseId))
    .leftJoin(contacts, eq(contacts.id, caseReporters.contactId))
    .where(eq(caseReporters.caseId, caseId))
    .orderBy(asc(caseReporters.createdAt), asc(caseReporters.id));
}
export type AdditionalReporter = Awaited<ReturnType<typeof reportersOf>>[number];

/** Cases merged into this one, for the link list on its page. */
export function mergedCasesOf(db: DbOrTx, caseId: number) {
  return db
    .select({ id: cases.id, number: cases.number, createdAt: cases.createdAt })
    .from(cases)
    .where(eq(cases.mergedIntoId, caseId))
    .orderBy(asc(cases.createdAt));
}

export async function followerByToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ id: caseReporters.id, caseId: caseReporters.caseId, createdAt: caseReporters.createdAt, email: caseReporters.email })
    .from(caseReporters)
    .where(and(eq(caseReporters.trackingToken, token), eq(caseReporters.kind, 'follower')));
  return row ?? null;
}

export async function followerByExternalId(db: DbOrTx, externalId: string) {
  const [row] = await db.select({ token: caseReporters.trackingToken }).from(caseReporters).where(eq(caseReporters.externalId, externalId));
  return row?.token ?? null;
}

export async function caseByExternalId(db: DbOrTx, externalId: string) {
  const [row] = await db
    .select({ id: cases.id, token: cases.trackingToken })
    .from(cases)
    .where(and(eq(cases.channel, 'web'), eq(cases.externalId, externalId)));
  return row ?? null;
}

export async function findDraft(db: DbOrTx, nonce: string) {
  const [row] = await db.select().from(reportDrafts).where(eq(reportDrafts.nonce, nonce));
  return row ?? null;
}

export async function upsertDraft(
  db: DbOrTx,
  draft: { nonce: string; photos: DraftPhoto[]; gpsLat: number | null; gpsLon: number | null; createdAt: Date },
) {
  await db
    .insert(reportDrafts)
    .values(draft)
    .onConflictDoUpdate({
      target: reportDrafts.nonce,
      set: { photos: draft.photos, gpsLat: draft.gpsLat, gpsLon: draft.gpsLon, createdAt: draft.createdAt },
    });
}

/** Deletes drafts and returns them, so their files can be removed after the rows are gone. */
export function deleteDrafts(db: DbOrTx, where: { nonce: string } | { olderThan: Date }) {
  return db
    .delete(reportDrafts)
    .where('nonce' in where ? eq(reportDrafts.nonce, where.nonce) : lt(reportDrafts.createdAt, where.olderThan))
    .returning({ photos: reportDrafts.photos });
}
