import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { heldMessages } from '../../../infra/schema/index.ts';

export const HELD_PAGE = 50;
/** The navigation counts up to this and then says "99+": the count is read on every staff page. */
export const HELD_COUNT_CAP = 100;

/**
 * Undecided items, newest first, keyset-paged: `afterId` names the last item of the previous page,
 * whose (received_at, id) the next page starts below (held_received_idx reads them in order).
 */
export async function listHeld(db: DbOrTx, afterId: number | null) {
  const cursor =
    afterId === null
      ? undefined
      : sql`(${heldMessages.receivedAt}, ${heldMessages.id}) < (select received_at, id from held_messages where id = ${afterId})`;
  const rows = await db
    .select({
      id: heldMessages.id,
      receivedAt: heldMessages.receivedAt,
      sender: heldMessages.sender,
      subject: heldMessages.subject,
      reason: heldMessages.reason,
      excerpt: sql<string>`left(${heldMessages.body}, 600)`,
    })
    .from(heldMessages)
    .where(and(isNull(heldMessages.decidedAt), cursor))
    .orderBy(desc(heldMessages.receivedAt), desc(heldMessages.id))
    .limit(HELD_PAGE + 1);
  const page = rows.slice(0, HELD_PAGE);
  return { rows: page, nextAfter: rows.length > HELD_PAGE ? (page.at(-1)?.id ?? null) : null };
}
export type HeldListRow = Awaited<ReturnType<typeof listHeld>>['rows'][number];

/** How many wait, counted up to HELD_COUNT_CAP. */
export async function countHeld(db: DbOrTx): Promise<number> {
  const open = db
    .select({ one: sql`1`.as('one') })
    .from(heldMessages)
    .where(isNull(heldMessages.decidedAt))
    .limit(HELD_COUNT_CAP)
    .as('open');
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(open);
  return row?.n ?? 0;
}

export async function findHeld(db: DbOrTx, id: number) {
  const [row] = await db.select().from(heldMessages).where(eq(heldMessages.id, id));
  return row ?? null;
}
export type HeldRow = NonNullable<Awaited<ReturnType<typeof findHeld>>>;

/** Discards an undecided item, answering its details (stored files); null when it is gone or someone decided first. */
export async function discardHeld(db: DbOrTx, id: number, userId: number, at: Date): Promise<{ details: unknown } | null> {
  const [row] = await db
    .update(heldMessages)
    .set({ decidedAt: at, decidedBy: userId })
    .where(and(eq(heldMessages.id, id), isNull(heldMessages.decidedAt)))
    .returning({ details: heldMessages.details });
  return row ?? null;
}

/**
 * Links the case made of it. The case exists whatever happened meanwhile, so the link is always
 * written; who decided first and when stays as it was.
 */
export async function markTakenOver(db: DbOrTx, id: number, userId: number, caseId: number, at: Date): Promise<void> {
  await db
    .update(heldMessages)
    .set({
      caseId,
      decidedAt: sql`coalesce(${heldMessages.decidedAt}, ${at.toISOString()}::timestamptz)`,
      decidedBy: sql`coalesce(${heldMessages.decidedBy}, ${userId})`,
    })
    .where(eq(heldMessages.id, id));
}
