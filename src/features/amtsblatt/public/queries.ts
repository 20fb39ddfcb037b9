import { and, asc, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { type PostKind, postImages, posts } from '../../../infra/schema/index.ts';

/** What the public side reads of a post; never the author, approver or internal notes. */
const publicColumns = {
  id: posts.id,
  slug: posts.slug,
  kind: posts.kind,
  status: posts.status,
  title: posts.title,
  body: posts.body,
  tags: posts.tags,
  publishedAt: posts.publishedAt,
  updatedAt: posts.updatedAt,
  locationText: posts.locationText,
  eventStartsAt: posts.eventStartsAt,
  eventEndsAt: posts.eventEndsAt,
  eventPlace: posts.eventPlace,
  councilDocumentUrl: posts.councilDocumentUrl,
  councilDocumentName: posts.councilDocumentName,
  noticeYear: posts.noticeYear,
  noticeNumber: posts.noticeNumber,
  contentSha256: posts.contentSha256,
  correctsPostId: posts.correctsPostId,
};

export type PublicPostRow = {
  [K in keyof typeof publicColumns]: (typeof publicColumns)[K]['_']['notNull'] extends true
    ? (typeof publicColumns)[K]['_']['data']
    : (typeof publicColumns)[K]['_']['data'] | null;
};
/** A published post: its publication time is always there. */
export type PublicPost = PublicPostRow & { publishedAt: Date };

export interface TimelineFilter {
  kind?: PostKind | undefined;
  tag?: string | undefined;
  /** Full-text search in German (title and body). */
  q?: string | undefined;
  /** Published in [from, to). */
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Keyset position: the last row of the previous page (newest first). The time travels as whole
 * microseconds since 1970 (PostgreSQL's precision; a JS Date would round it to milliseconds and
 * skip posts published within the same millisecond).
 */
export interface Cursor {
  micros: string;
  id: number;
}

/** The cursor after a row of a page. */
const cursorKey = sql<string>`(extract(epoch from ${posts.publishedAt}) * 1000000)::bigint::text`;

/**
 * The words of a search as prefix terms ("bau" finds "Bauarbeiten"), letters and digits only, so
 * nothing typed can become tsquery syntax. Up to eight words are ANDed.
 */
export function prefixQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : null;
}

function conditions(f: TimelineFilter): SQL[] {
  const where: SQL[] = [eq(posts.status, 'published')];
  if (f.kind) where.push(eq(posts.kind, f.kind));
  if (f.tag) where.push(sql`${posts.tags} @> array[${f.tag}]::text[]`);
  if (f.from) where.push(sql`${posts.publishedAt} >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) where.push(sql`${posts.publishedAt} < ${f.to.toISOString()}::timestamptz`);
  if (f.q) {
    // The German stemmer finds inflected forms ("Baustellen" → "Baustelle"); the prefix form finds
    // the start of a word as it is being typed. Both use the GIN index on posts.search.
    const prefix = prefixQuery(f.q);
    const web = sql`${posts.search} @@ websearch_to_tsquery('german', ${f.q})`;
    where.push(prefix ? (or(web, sql`${posts.search} @@ to_tsquery('german', ${prefix})`) as SQL) : web);
  }
  return where;
}

/** One page of the timeline, newest first, after the cursor; `more` says whether a next page exists. */
export async function timelinePage(
  db: DbOrTx,
  filter: TimelineFilter,
  opts: { after?: Cursor | null | undefined; limit: number },
): Promise<{ rows: PublicPost[]; next: Cursor | null }> {
  const where = conditions(filter);
  if (opts.after) {
    const at = sql`timestamptz 'epoch' + ${opts.after.micros}::bigint * interval '1 microsecond'`;
    where.push(sql`(${posts.publishedAt}, ${posts.id}) < (${at}, ${opts.after.id}::int)`);
  }
  const rows = await db
    .select({ ...publicColumns, cursorKey })
    .from(posts)
    .where(and(...where))
    .orderBy(desc(posts.publishedAt), desc(posts.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  const next = rows.length > opts.limit && last ? { micros: last.cursorKey, id: last.id } : null;
  return { rows: page.map(({ cursorKey: _, ...row }) => row) as PublicPost[], next };
}

/** A post by its permanent address, whatever its status (the page answers 404 or 410 for the others). */
export async function postBySlug(db: DbOrTx, slug: string): Promise<PublicPostRow | null> {
  const [row] = await db.select(publicColumns).from(posts).where(eq(posts.slug, slug)).limit(1);
  return row ?? null;
}

/** Published posts by id (the other side of a correction link). */
export async function publishedPostsByIds(db: DbOrTx, ids: number[]): Promise<PublicPost[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(publicColumns)
    .from(posts)
    .where(and(eq(posts.status, 'published'), inArray(posts.id, ids)));
  return rows as PublicPost[];
}

/** The published notices that correct this one ("berichtigt durch …"). */
export async function correctionsOf(db: DbOrTx, postId: number): Promise<PublicPost[]> {
  const rows = await db
    .select(publicColumns)
    .from(posts)
    .where(and(eq(posts.status, 'published'), eq(posts.correctsPostId, postId)))
    .orderBy(asc(posts.publishedAt));
  return rows as PublicPost[];
}

export type PublicImage = {
  id: number;
  postId: number;
  storageKey: string;
  thumbKey: string;
  mimeType: string;
  width: number;
  height: number;
  alt: string;
};

export async function imagesOf(db: DbOrTx, postIds: number[]): Promise<PublicImage[]> {
  if (postIds.length === 0) return [];
  return db
    .select({
      id: postImages.id,
      postId: postImages.postId,
      storageKey: postImages.storageKey,
      thumbKey: postImages.thumbKey,
      mimeType: postImages.mimeType,
      width: postImages.width,
      height: postImages.height,
      alt: postImages.alt,
    })
    .from(postImages)
    .where(inArray(postImages.postId, postIds))
    .orderBy(asc(postImages.postId), asc(postImages.position), asc(postImages.id));
}

/** Months with published posts (Berlin time), newest first, for the archive. */
export async function archiveMonths(db: DbOrTx): Promise<{ year: number; month: number; count: number }[]> {
  const month = sql<string>`to_char(${posts.publishedAt} at time zone 'Europe/Berlin', 'YYYY-MM')`;
  const rows = await db
    .select({ ym: month, count: sql<number>`count(*)::int` })
    .from(posts)
    .where(eq(posts.status, 'published'))
    .groupBy(month)
    .orderBy(desc(month));
  return rows.map((r) => ({ year: Number(r.ym.slice(0, 4)), month: Number(r.ym.slice(5, 7)), count: r.count }));
}

/** Tags in use on published posts, most used first (the filter's choices). */
export async function tagsInUse(db: DbOrTx, limit = 50): Promise<{ tag: string; count: number }[]> {
  const result = await db.execute<{ tag: string; count: number }>(sql`
    select t.tag, count(*)::int as count
    from ${posts}, unnest(${posts.tags}) as t(tag)
    where ${posts.status} = 'published'
    group by t.tag order by count(*) desc, t.tag limit ${limit}`);
  return (result as unknown as { rows: { tag: string; count: number }[] }).rows;
}

/** Published events from a point in time on (the calendar), soonest first. */
export async function upcomingEvents(db: DbOrTx, since: Date, limit: number): Promise<PublicPost[]> {
  const rows = await db
    .select(publicColumns)
    .from(posts)
    .where(
      and(
        eq(posts.status, 'published'),
        eq(posts.kind, 'event'),
        sql`${posts.eventStartsAt} is not null`,
        sql`coalesce(${posts.eventEndsAt}, ${posts.eventStartsAt}) >= ${since.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(posts.eventStartsAt))
    .limit(limit);
  return rows as PublicPost[];
}
