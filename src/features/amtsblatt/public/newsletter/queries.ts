import { and, asc, eq, gt, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../../infra/db.ts';
import { contacts, newsletterSubscriptions as subs } from '../../../../infra/schema/index.ts';

export type NewsletterSubscription = typeof subs.$inferSelect;

export async function liveSubscriptionOf(db: DbOrTx, contactId: number): Promise<NewsletterSubscription | null> {
  const [row] = await db
    .select()
    .from(subs)
    .where(and(eq(subs.contactId, contactId), isNull(subs.unsubscribedAt)))
    .orderBy(asc(subs.id))
    .limit(1);
  return row ?? null;
}

export async function pendingCount(db: DbOrTx, contactId: number, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subs)
    .where(and(eq(subs.contactId, contactId), gte(subs.createdAt, since)));
  return row?.n ?? 0;
}

export async function subscriptionByToken(db: DbOrTx, token: string): Promise<NewsletterSubscription | null> {
  const [row] = await db.select().from(subs).where(eq(subs.token, token)).limit(1);
  return row ?? null;
}

/** Confirms unless it was ended meanwhile. */
export async function confirmByToken(db: DbOrTx, token: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(subs)
    .set({ confirmedAt: sql`coalesce(${subs.confirmedAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(subs.token, token), isNull(subs.unsubscribedAt)))
    .returning({ id: subs.id });
  return rows.length > 0;
}

export async function unsubscribeByToken(db: DbOrTx, token: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(subs)
    .set({ unsubscribedAt: sql`coalesce(${subs.unsubscribedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(subs.token, token))
    .returning({ id: subs.id });
  return rows.length > 0;
}

/**
 * Confirmed, running subscriptions after `afterId` whose choice matches a post (empty kinds/tags:
 * all), with their address, in id order: the sending job walks them in batches.
 */
export function matchingSubscribers(db: DbOrTx, post: { kind: string; tags: string[] }, afterId: number, limit: number) {
  return db
    .select({ id: subs.id, token: subs.token, contactId: subs.contactId, address: contacts.address })
    .from(subs)
    .innerJoin(contacts, eq(contacts.id, subs.contactId))
    .where(
      and(
        gt(subs.id, afterId),
        isNotNull(subs.confirmedAt),
        isNull(subs.unsubscribedAt),
        sql`(cardinality(${subs.kinds}) = 0 or ${post.kind} = any(${subs.kinds}))`,
        sql`(cardinality(${subs.tags}) = 0 or ${subs.tags} && array[${sql.join(
          post.tags.map((t) => sql`${t}`),
          sql`, `,
        )}]::text[])`,
        // An address that bounced gets nothing more.
        isNull(contacts.undeliverableAt),
      ),
    )
    .orderBy(asc(subs.id))
    .limit(limit);
}
