import { like } from 'drizzle-orm';
import type { Tx } from '../../../infra/db.ts';
import { postEvents, posts } from '../../../infra/schema/index.ts';
import { slugify, uniqueSlug } from '../../../infra/slug.ts';

/** A new draft post (an idea or a council paper taken up), with its first step in the audit trail. */
export async function insertDraft(
  tx: Tx,
  values: Omit<typeof posts.$inferInsert, 'slug' | 'status' | 'id'>,
  event: { actorUserId: number; details: Record<string, unknown>; at: Date },
): Promise<number> {
  const base = slugify(values.title).replace(/^team$/, 'beitrag');
  const taken = await tx
    .select({ slug: posts.slug })
    .from(posts)
    .where(like(posts.slug, `${base}%`));
  const slug = uniqueSlug(base, new Set(taken.map((t) => t.slug)));
  const [row] = await tx
    .insert(posts)
    .values({ ...values, slug, status: 'draft', createdAt: event.at, updatedAt: event.at })
    .returning({ id: posts.id });
  if (!row) throw new Error('post not created');
  await tx
    .insert(postEvents)
    .values({ postId: row.id, actorUserId: event.actorUserId, action: 'created', details: event.details, at: event.at });
  return row.id;
}
