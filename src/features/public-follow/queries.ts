import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../infra/db.ts';
import { contacts, publicSubscriptions } from '../../infra/schema/index.ts';

export type Subscription = typeof publicSubscriptions.$inferSelect;

/** What an area alert watches: a district, or a circle around a point; optionally one category. */
export type Area =
  | { districtId: number; categoryId: number | null }
  | { lat: number; lon: number; radiusM: number; categoryId: number | null };

export function insertSubscription(tx: DbOrTx, values: typeof publicSubscriptions.$inferInsert): Promise<Subscription[]> {
  return tx.insert(publicSubscriptions).values(values).returning();
}

const live = isNull(publicSubscriptions.unsubscribedAt);

/** The contact's running (not ended) subscription to this case, confirmed or not. */
export async function liveCaseSubscription(tx: DbOrTx, contactId: number, caseId: number): Promise<Subscription | null> {
  const [row] = await tx
    .select()
    .from(publicSubscriptions)
    .where(
      and(eq(publicSubscriptions.kind, 'case'), eq(publicSubscriptions.contactId, contactId), eq(publicSubscriptions.caseId, caseId), live),
    )
    .limit(1);
  return row ?? null;
}

/** The contact's running subscription to exactly this area, confirmed or not. */
export async function liveAreaSubscription(tx: DbOrTx, contactId: number, area: Area): Promise<Subscription | null> {
  const same = (column: typeof publicSubscriptions.categoryId, value: number | null): SQL =>
    value === null ? isNull(column) : eq(column, value);
  const where =
    'districtId' in area
      ? [eq(publicSubscriptions.districtId, area.districtId)]
      : [eq(publicSubscriptions.lat, area.lat), eq(publicSubscriptions.lon, area.lon), eq(publicSubscriptions.radiusM, area.radiusM)];
  const [row] = await tx
    .select()
    .from(publicSubscriptions)
    .where(
      and(
        eq(publicSubscriptions.kind, 'area'),
        eq(publicSubscriptions.contactId, contactId),
        same(publicSubscriptions.categoryId, area.categoryId),
        ...where,
        live,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Confirms a pending subscription; the mails start with what becomes public after `now`. */
export async function confirmByToken(tx: DbOrTx, token: string, now: Date): Promise<Subscription | null> {
  const [row] = await tx
    .update(publicSubscriptions)
    .set({ confirmedAt: now, notifiedUntil: now })
    .where(and(eq(publicSubscriptions.token, token), isNull(publicSubscriptions.confirmedAt), live))
    .returning();
  return row ?? null;
}

export async function subscriptionByToken(tx: DbOrTx, token: string): Promise<Subscription | null> {
  const [row] = await tx.select().from(publicSubscriptions).where(eq(publicSubscriptions.token, token));
  return row ?? null;
}

/** Ends a subscription (a second time keeps the first instant); false when the token is unknown. */
export async function unsubscribeByToken(tx: DbOrTx, token: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(publicSubscriptions)
    .set({ unsubscribedAt: sql`coalesce(${publicSubscriptions.unsubscribedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(publicSubscriptions.token, token))
    .returning({ id: publicSubscriptions.id });
  return rows.length > 0;
}

/** A confirmed, running subscription as the notice job reads it, with the address it goes to. */
export type ActiveSubscription = Subscription & { notifiedUntil: Date; address: string; undeliverable: boolean };

/** One batch of confirmed, running subscriptions, by id after `afterId`. */
export async function activeSubscriptions(db: DbOrTx, afterId: number, limit: number): Promise<ActiveSubscription[]> {
  const rows = await db
    .select({ sub: publicSubscriptions, address: contacts.address, undeliverableAt: contacts.undeliverableAt })
    .from(publicSubscriptions)
    .innerJoin(contacts, eq(contacts.id, publicSubscriptions.contactId))
    .where(
      and(
        gt(publicSubscriptions.id, afterId),
        isNotNull(publicSubscriptions.confirmedAt),
        isNotNull(publicSubscriptions.notifiedUntil),
        eq(contacts.kind, 'email'),
        live,
      ),
    )
    .orderBy(asc(publicSubscriptions.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r.sub,
    notifiedUntil: r.sub.notifiedUntil as Date,
    address: r.address,
    undeliverable: r.undeliverableAt !== null,
  }));
}

/**
 * Locks a subscription for its notice if it still stands where the job read it: a second worker,
 * or a retry after the notice committed, finds `notified_until` moved on and sends nothing.
 */
export async function lockIfUnchanged(tx: DbOrTx, id: number, notifiedUntil: Date): Promise<boolean> {
  const rows = await tx
    .select({ id: publicSubscriptions.id })
    .from(publicSubscriptions)
    .where(and(eq(publicSubscriptions.id, id), eq(publicSubscriptions.notifiedUntil, notifiedUntil), live))
    .for('update');
  return rows.length > 0;
}

/** Moves subscriptions on to `until`, never back. */
export async function advance(tx: DbOrTx, ids: readonly number[], until: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(publicSubscriptions)
    .set({ notifiedUntil: sql`greatest(${publicSubscriptions.notifiedUntil}, ${until.toISOString()}::timestamptz)` })
    .where(inArray(publicSubscriptions.id, [...ids]));
}

/** Unconfirmed subscriptions older than `before` go: an address nobody confirmed is not kept. */
export async function deleteUnconfirmed(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db
    .delete(publicSubscriptions)
    .where(and(isNull(publicSubscriptions.confirmedAt), lt(publicSubscriptions.createdAt, before)))
    .returning({ id: publicSubscriptions.id });
  return rows.length;
}

/** How many subscriptions of this contact were asked for since `since` and are still unconfirmed. */
export async function pendingCount(tx: DbOrTx, contactId: number, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(publicSubscriptions)
    .where(
      and(eq(publicSubscriptions.contactId, contactId), isNull(publicSubscriptions.confirmedAt), gt(publicSubscriptions.createdAt, since)),
    );
  return row?.n ?? 0;
}
