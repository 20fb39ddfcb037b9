import { noticeHash } from '../../src/features/amtsblatt/notice-hash.ts';
import type { Db } from '../../src/infra/db.ts';
import { type PostKind, type PostStatus, posts } from '../../src/infra/schema/index.ts';

let counter = 0;

/**
 * A post as the desk leaves it: published ones carry `publishedAt`, official notices their number
 * and hash, computed with the one notice-hash function.
 */
export async function insertPost(
  db: Db,
  p: {
    title: string;
    body?: string;
    kind?: PostKind;
    status?: PostStatus;
    slug?: string;
    tags?: string[];
    publishedAt?: Date;
    noticeNumber?: number;
    correctsPostId?: number;
    eventStartsAt?: Date;
    eventEndsAt?: Date;
    eventPlace?: string;
    councilDocumentUrl?: string;
    councilDocumentName?: string;
  },
): Promise<typeof posts.$inferSelect> {
  counter += 1;
  const kind = p.kind ?? 'news';
  const status = p.status ?? 'published';
  const body = p.body ?? 'Ein kurzer Text.';
  const publishedAt = status === 'published' || status === 'withdrawn' ? (p.publishedAt ?? new Date('2026-03-02T09:30:00Z')) : null;
  const notice =
    kind === 'notice' && publishedAt
      ? {
          noticeYear: publishedAt.getUTCFullYear(),
          noticeNumber: p.noticeNumber ?? counter,
          contentSha256: noticeHash({ title: p.title, body, publishedAt }),
        }
      : {};
  const [row] = await db
    .insert(posts)
    .values({
      slug: p.slug ?? `beitrag-${counter}-${Math.random().toString(36).slice(2, 8)}`,
      kind,
      status,
      title: p.title,
      body,
      tags: p.tags ?? [],
      publishedAt,
      updatedAt: publishedAt ?? new Date(),
      correctsPostId: p.correctsPostId ?? null,
      eventStartsAt: p.eventStartsAt ?? null,
      eventEndsAt: p.eventEndsAt ?? null,
      eventPlace: p.eventPlace ?? null,
      councilDocumentUrl: p.councilDocumentUrl ?? null,
      councilDocumentName: p.councilDocumentName ?? null,
      ...notice,
    })
    .returning();
  if (!row) throw new Error('post not written');
  return row;
}
