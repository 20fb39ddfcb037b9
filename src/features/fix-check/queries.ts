import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../infra/db.ts';
import { cases, categories, fixChecks, teams } from '../../infra/schema/index.ts';

/** 24 random bytes: as unguessable as the tracking link, and within the link pattern of the routes. */
export const newFixCheckToken = () => randomBytes(24).toString('base64url');

export async function categoryFixCheckDays(db: DbOrTx, categoryId: number | null): Promise<number | null> {
  if (categoryId === null) return null;
  const [row] = await db.select({ days: categories.fixCheckDays }).from(categories).where(eq(categories.id, categoryId));
  return row?.days ?? null;
}

/** A question not asked yet is withdrawn: the case is no longer resolved, or it is resolved again (new round). */
export function dropPendingChecks(db: DbOrTx, caseId: number) {
  return db
    .delete(fixChecks)
    .where(and(eq(fixChecks.caseId, caseId), isNull(fixChecks.askedAt)))
    .returning({ id: fixChecks.id });
}

export async function insertFixCheck(db: DbOrTx, caseId: number, askAt: Date, now: Date): Promise<void> {
  await db.insert(fixChecks).values({ caseId, token: newFixCheckToken(), askAt, createdAt: now });
}

/** Ids of questions due now, oldest first. */
export async function dueFixChecks(db: DbOrTx, now: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: fixChecks.id })
    .from(fixChecks)
    .where(and(isNull(fixChecks.askedAt), lte(fixChecks.askAt, now)))
    .orderBy(asc(fixChecks.askAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * A due question with its case, locked, or null when another worker has it or it was asked
 * meanwhile: so two workers (or a retry) never ask twice.
 */
export async function claimDueCheck(tx: Tx, id: number, now: Date) {
  const [row] = await tx
    .select({
      id: fixChecks.id,
      token: fixChecks.token,
      caseId: cases.id,
      number: cases.number,
      channel: cases.channel,
      channelAccountId: cases.channelAccountId,
      reporterName: cases.reporterName,
      contactId: cases.contactId,
      status: cases.status,
      mergedIntoId: cases.mergedIntoId,
      trackingToken: cases.trackingToken,
      teamName: teams.name,
    })
    .from(fixChecks)
    .innerJoin(cases, eq(cases.id, fixChecks.caseId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(and(eq(fixChecks.id, id), isNull(fixChecks.askedAt), lte(fixChecks.askAt, now)))
    .for('update', { of: fixChecks, skipLocked: true });
  return row ?? null;
}

export async function markAsked(tx: Tx, id: number, now: Date): Promise<void> {
  await tx.update(fixChecks).set({ askedAt: now }).where(eq(fixChecks.id, id));
}

export async function postponeCheck(tx: Tx, id: number, askAt: Date): Promise<void> {
  await tx.update(fixChecks).set({ askAt }).where(eq(fixChecks.id, id));
}

export async function deleteCheck(tx: Tx, id: number): Promise<void> {
  await tx.delete(fixChecks).where(eq(fixChecks.id, id));
}

/** The question behind a link, with what its page shows (no personal data beyond the case number). */
export async function checkByToken(db: DbOrTx, token: string) {
  const [row] = await db
    .select({
      id: fixChecks.id,
      caseId: fixChecks.caseId,
      askedAt: fixChecks.askedAt,
      createdAt: fixChecks.createdAt,
      answer: fixChecks.answer,
      answeredAt: fixChecks.answeredAt,
      number: cases.number,
      trackingToken: cases.trackingToken,
    })
    .from(fixChecks)
    .innerJoin(cases, eq(cases.id, fixChecks.caseId))
    .where(eq(fixChecks.token, token));
  return row ?? null;
}
export type FixCheckRow = NonNullable<Awaited<ReturnType<typeof checkByToken>>>;

/**
 * Stores the answer only if there is none yet (the conditional UPDATE is the replay guard: a second
 * post, or two at once, find the row answered and change nothing). Returns whether this call answered.
 */
export async function recordAnswer(tx: Tx, id: number, answer: 'yes' | 'no', comment: string | null, now: Date): Promise<boolean> {
  const rows = await tx
    .update(fixChecks)
    .set({ answer, comment, answeredAt: now })
    .where(and(eq(fixChecks.id, id), isNull(fixChecks.answer)))
    .returning({ id: fixChecks.id });
  return rows.length > 0;
}

/** The case's team and its shared address, for the "nicht behoben" notice. */
export async function teamOfCase(db: DbOrTx, caseId: number) {
  const [row] = await db
    .select({ teamId: teams.id, name: teams.name, email: teams.email })
    .from(cases)
    .innerJoin(teams, eq(teams.id, cases.teamId))
    .where(eq(cases.id, caseId));
  return row ?? null;
}
