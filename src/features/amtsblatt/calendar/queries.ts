import { and, asc, eq, gte, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../../infra/db.ts';
import { type PostKind, type PostStatus, type PostTargetKind, postIdeas, posts, postTargets } from '../../../infra/schema/index.ts';

export interface CalendarPost {
  id: number;
  title: string;
  kind: PostKind;
  status: PostStatus;
  version: number;
  /** When it was published, else when it is planned. */
  at: Date;
  targets: PostTargetKind[];
}

/** Posts planned (scheduled_at) or published (published_at) in [from, to), with their targets; withdrawn ones not. */
export async function postsBetween(db: Db, from: Date, to: Date): Promise<CalendarPost[]> {
  const at = sql<Date>`coalesce(${posts.publishedAt}, ${posts.scheduledAt})`;
  const rows = await db
    .select({
      id: posts.id,
      title: posts.title,
      kind: posts.kind,
      status: posts.status,
      version: posts.version,
      at: posts.publishedAt,
      scheduledAt: posts.scheduledAt,
    })
    .from(posts)
    .where(
      and(
        ne(posts.status, 'withdrawn'),
        or(
          and(gte(posts.publishedAt, from), lt(posts.publishedAt, to)),
          and(gte(posts.scheduledAt, from), lt(posts.scheduledAt, to), sql`${posts.publishedAt} is null`),
        ),
      ),
    )
    .orderBy(asc(at), asc(posts.id))
    .limit(1000);
  const ids = rows.map((r) => r.id);
  const targets = ids.length
    ? await db.select({ postId: postTargets.postId, target: postTargets.target }).from(postTargets).where(inArray(postTargets.postId, ids))
    : [];
  return rows.map(({ scheduledAt, ...r }) => ({
    ...r,
    at: (r.at ?? scheduledAt) as Date,
    targets: [...new Set(targets.filter((t) => t.postId === r.id).map((t) => t.target))],
  }));
}

export type CalendarIdea = typeof postIdeas.$inferSelect;

/** Post ideas of the calendar sources in [from, to) that are still open. */
export async function ideasBetween(db: Db, from: Date, to: Date): Promise<CalendarIdea[]> {
  return db
    .select()
    .from(postIdeas)
    .where(and(eq(postIdeas.status, 'new'), gte(postIdeas.startsAt, from), lt(postIdeas.startsAt, to)))
    .orderBy(asc(postIdeas.startsAt))
    .limit(1000);
}
