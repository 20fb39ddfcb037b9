import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import {
  attachments,
  auditEvents,
  casePublications,
  caseReporters,
  cases,
  categories,
  contacts,
  districts,
  fixChecks,
  messages,
  publicCases,
  teams,
} from '../../../infra/schema/index.ts';

/** The audit actions that decide the public status words (see status.ts). */
const STATUS_STEP_ACTIONS = ['status_changed', 'public_note', 'merged_into'];

/** The case with what its public row is made of: the category's policy, the names it points to. */
export async function caseForProjection(db: DbOrTx, caseId: number) {
  const [row] = await db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      type: cases.type,
      description: cases.description,
      locationText: cases.locationText,
      lat: cases.lat,
      lon: cases.lon,
      createdAt: cases.createdAt,
      closedAt: cases.closedAt,
      mergedIntoId: cases.mergedIntoId,
      reporterName: cases.reporterName,
      contactName: contacts.displayName,
      categoryId: cases.categoryId,
      categorySlug: categories.slug,
      categoryName: categories.name,
      policy: categories.publication,
      delayMinutes: categories.publishDelayMinutes,
      maskHouseNumbers: categories.maskHouseNumbers,
      districtId: cases.districtId,
      districtName: districts.name,
      teamName: teams.name,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(districts, eq(districts.id, cases.districtId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(contacts, eq(contacts.id, cases.contactId))
    .where(eq(cases.id, caseId));
  return row ?? null;
}
export type ProjectionCase = NonNullable<Awaited<ReturnType<typeof caseForProjection>>>;

/**
 * Every name a person gave us for this case: its reporter (as typed and as the contact is called)
 * and everyone following it or merged into it. They are always masked in public text.
 */
export async function knownNamesOf(db: DbOrTx, kase: Pick<ProjectionCase, 'id' | 'reporterName' | 'contactName'>): Promise<string[]> {
  const others = await db
    .select({ name: caseReporters.name, contactName: contacts.displayName })
    .from(caseReporters)
    .leftJoin(contacts, eq(contacts.id, caseReporters.contactId))
    .where(eq(caseReporters.caseId, kase.id));
  const names = [kase.reporterName, kase.contactName, ...others.flatMap((o) => [o.name, o.contactName])];
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n.trim().length > 0).map((n) => n.trim()))];
}

export async function publicationOf(db: DbOrTx, caseId: number) {
  const [row] = await db.select().from(casePublications).where(eq(casePublications.caseId, caseId));
  return row ?? null;
}
export type Publication = NonNullable<Awaited<ReturnType<typeof publicationOf>>>;

export async function lockPublication(db: DbOrTx, caseId: number) {
  const [row] = await db.select().from(casePublications).where(eq(casePublications.caseId, caseId)).for('update');
  return row ?? null;
}

/** The status steps and public notes of the case, oldest first (unmasked: staff wrote them). */
export function statusStepsOf(db: DbOrTx, caseId: number) {
  return db
    .select({ action: auditEvents.action, details: auditEvents.details, createdAt: auditEvents.createdAt })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), inArray(auditEvents.action, STATUS_STEP_ACTIONS)))
    .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id));
}

/** What the public row counts and dates besides the case itself. */
export async function projectionExtras(db: DbOrTx, kase: Pick<ProjectionCase, 'id' | 'mergedIntoId'>) {
  // One after another: inside a transaction the statements share one connection anyway.
  const photos = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.caseId, kase.id), eq(attachments.kind, 'photo'), isNotNull(attachments.releasedAt)))
    .orderBy(asc(attachments.id));
  const [followers] = await db.select({ n: sql<number>`count(*)::int` }).from(caseReporters).where(eq(caseReporters.caseId, kase.id));
  const [answer] = await db
    .select({ at: sql<Date | null>`min(${messages.createdAt})`.mapWith(messages.createdAt) })
    .from(messages)
    .where(and(eq(messages.caseId, kase.id), eq(messages.kind, 'reply')));
  const [fix] = await db
    .select({ answer: fixChecks.answer })
    .from(fixChecks)
    .where(and(eq(fixChecks.caseId, kase.id), isNotNull(fixChecks.answer)))
    .orderBy(desc(fixChecks.answeredAt))
    .limit(1);
  const [into] =
    kase.mergedIntoId === null
      ? []
      : await db.select({ number: publicCases.number }).from(publicCases).where(eq(publicCases.caseId, kase.mergedIntoId));
  return {
    photoIds: photos.map((p) => p.id),
    followerCount: followers?.n ?? 0,
    firstAnswerAt: answer?.at ?? null,
    confirmedFixed: fix?.answer ? fix.answer === 'yes' : null,
    duplicateOfNumber: into?.number ?? null,
  };
}
