import { and, asc, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import {
  amtsblattRoles,
  type PostKind,
  type PostStatus,
  portraitConsents,
  postComments,
  postEvents,
  postImages,
  postKindSettings,
  posts,
  users,
} from '../../../infra/schema/index.ts';

/** The desk's list: newest change first, filtered by status and kind. */
export async function listPosts(db: DbOrTx, filter: { status?: PostStatus | undefined; kind?: PostKind | undefined }) {
  return db
    .select({
      id: posts.id,
      kind: posts.kind,
      status: posts.status,
      title: posts.title,
      scheduledAt: posts.scheduledAt,
      publishedAt: posts.publishedAt,
      updatedAt: posts.updatedAt,
      noticeYear: posts.noticeYear,
      noticeNumber: posts.noticeNumber,
      author: users.displayName,
    })
    .from(posts)
    .leftJoin(users, eq(users.id, posts.authorId))
    .where(and(filter.status ? eq(posts.status, filter.status) : undefined, filter.kind ? eq(posts.kind, filter.kind) : undefined))
    .orderBy(desc(posts.updatedAt), desc(posts.id))
    .limit(200);
}

export const imagesOf = (db: DbOrTx, postId: number) =>
  db.select().from(postImages).where(eq(postImages.postId, postId)).orderBy(asc(postImages.position), asc(postImages.id));

export const commentsOf = (db: DbOrTx, postId: number) =>
  db
    .select({ id: postComments.id, body: postComments.body, createdAt: postComments.createdAt, author: users.displayName })
    .from(postComments)
    .leftJoin(users, eq(users.id, postComments.authorId))
    .where(eq(postComments.postId, postId))
    .orderBy(asc(postComments.createdAt), asc(postComments.id));

export const eventsOf = (db: DbOrTx, postId: number) =>
  db
    .select({ id: postEvents.id, action: postEvents.action, details: postEvents.details, at: postEvents.at, actor: users.displayName })
    .from(postEvents)
    .leftJoin(users, eq(users.id, postEvents.actorUserId))
    .where(eq(postEvents.postId, postId))
    .orderBy(asc(postEvents.at), asc(postEvents.id));

export async function consentOf(db: DbOrTx, id: number | null) {
  if (id === null) return null;
  const [row] = await db.select().from(portraitConsents).where(eq(portraitConsents.id, id));
  return row ?? null;
}

export async function userName(db: DbOrTx, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, id));
  return row?.name ?? null;
}

export const imageById = async (db: DbOrTx, id: number) => (await db.select().from(postImages).where(eq(postImages.id, id)))[0] ?? null;

/** Staff with their desk role, for the settings page. */
export const staffWithRoles = (db: DbOrTx) =>
  db
    .select({ id: users.id, name: users.displayName, email: users.email, role: users.role, desk: amtsblattRoles.role })
    .from(users)
    .leftJoin(amtsblattRoles, eq(amtsblattRoles.userId, users.id))
    .where(eq(users.active, true))
    .orderBy(asc(users.displayName));

export const kindSettings = (db: DbOrTx) => db.select().from(postKindSettings);
