import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../infra/db.ts';
import { auditEvents, cases, categories, outboxMails } from '../../infra/schema/index.ts';

/** Categories offered on the form, grouped by their group name in the select. */
export function activeCategories(db: Db) {
  return db
    .select({ id: categories.id, name: categories.name, groupName: categories.groupName })
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.groupName), asc(categories.name));
}

export async function isActiveCategory(db: Db, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, id), eq(categories.active, true)));
  return Boolean(row);
}

/** What the thank-you page shows: number, whether a confirmation mail is on its way, photo location used. */
export async function thanksInfo(db: Db, token: string) {
  const [row] = await db
    .select({ id: cases.id, number: cases.number, token: cases.trackingToken })
    .from(cases)
    .where(eq(cases.trackingToken, token));
  if (!row) return null;
  const [mail] = await db.select({ id: outboxMails.id }).from(outboxMails).where(eq(outboxMails.caseId, row.id)).limit(1);
  const [created] = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, row.id), eq(auditEvents.action, 'created')))
    .limit(1);
  const details = (created?.details ?? {}) as { locationSource?: string };
  return { number: row.number, token: row.token, mailQueued: Boolean(mail), photoLocationUsed: details.locationSource === 'photo' };
}
