import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../../http/page.ts';
import type { DbOrTx } from '../../../infra/db.ts';
import { gone, notFound } from '../../../infra/errors.ts';
import type { Storage } from '../../../infra/storage.ts';
import { monthRange } from './dates.ts';
import { feedTitle, kindLabels, kindOfSlug, monthNames } from './labels.ts';
import { archivePath, TIMELINE_PATH } from './links.ts';
import {
  archiveMonths,
  type Cursor,
  correctionsOf,
  imagesOf,
  type PublicImage,
  type PublicPost,
  postBySlug,
  publishedPostsByIds,
  type TimelineFilter,
  tagsInUse,
  timelinePage,
} from './queries.ts';
import { feedLinks } from './views/parts.tsx';
import { PostPage } from './views/post.tsx';
import { TimelinePage } from './views/timeline.tsx';

export const PAGE_SIZE = 20;
/** Slugs are lower-case words with hyphens (the desk makes them); anything else cannot be one. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,199}$/;

export interface PublicDeps {
  db: DbOrTx;
  storage: Storage;
  publicUrl: string;
}

const timelineQuery = z.object({
  q: z.string().trim().max(200, 'Der Suchbegriff ist zu lang (höchstens 200 Zeichen).').optional(),
  art: z.string().optional(),
  schlagwort: z.string().trim().max(60).optional(),
  vor: z
    .string()
    .regex(/^\d{1,17}-\d{1,9}$/)
    .optional(),
});

const noSuchPost = () => notFound('Diesen Beitrag gibt es nicht. Alle Beiträge finden Sie im Amtsblatt.');
const withdrawnPost = () =>
  gone('Dieser Beitrag wurde zurückgezogen und ist nicht mehr veröffentlicht. Die aktuellen Beiträge finden Sie im Amtsblatt.');

/** A published post by its slug: 404 for unknown and unpublished ones, 410 for withdrawn ones. */
export async function publishedBySlug(db: DbOrTx, slug: string): Promise<PublicPost> {
  const post = SLUG_PATTERN.test(slug) ? await postBySlug(db, slug) : null;
  if (post?.status === 'withdrawn') throw withdrawnPost();
  if (post?.status !== 'published' || !post.publishedAt) throw noSuchPost();
  return post as PublicPost;
}

function firstImages(images: PublicImage[]): Map<number, PublicImage> {
  const first = new Map<number, PublicImage>();
  for (const img of images) if (!first.has(img.postId)) first.set(img.postId, img);
  return first;
}

export function pageRoutes(app: FastifyInstance, { db, storage }: PublicDeps): void {
  const timeline = async (request: FastifyRequest, reply: FastifyReply, range: { year: number; month?: number } | null) => {
    const parsed = timelineQuery.safeParse(request.query ?? {});
    const values = parsed.success ? parsed.data : {};
    const kind = values.art ? kindOfSlug(values.art) : undefined;
    const error = !parsed.success
      ? (parsed.error.issues[0]?.message ?? 'Die Suche ist ungültig.')
      : values.art && !kind
        ? 'Diese Art von Beiträgen gibt es nicht.'
        : null;
    const filter: TimelineFilter = {
      kind,
      tag: values.schlagwort || undefined,
      q: values.q || undefined,
      ...(range ? monthRange(range.year, range.month) : {}),
    };
    const [micros, id] = values.vor?.split('-') ?? [];
    const after: Cursor | null = micros && id ? { micros, id: Number(id) } : null;
    const [page, months, tags] = await Promise.all([
      error ? { rows: [], next: null } : timelinePage(db, filter, { after, limit: PAGE_SIZE }),
      archiveMonths(db),
      tagsInUse(db),
    ]);
    const images = firstImages(
      await imagesOf(
        db,
        page.rows.map((r) => r.id),
      ),
    );
    const path = range ? archivePath(range.year, range.month) : TIMELINE_PATH;
    const nextHref = page.next ? `${path}?${nextQuery(values, `${page.next.micros}-${page.next.id}`)}` : null;
    const heading = range
      ? `Amtsblatt: ${range.month ? `${monthNames[range.month - 1]} ` : ''}${range.year}`
      : kind
        ? `Amtsblatt: ${kindLabels[kind]}`
        : filter.tag
          ? `Amtsblatt: Schlagwort ${filter.tag}`
          : 'Amtsblatt';
    const feeds = feedLinks(feedTitle(app.townName, kind ? { art: values.art } : filter.tag ? { schlagwort: filter.tag } : {}), {
      art: kind ? values.art : undefined,
      schlagwort: !kind ? filter.tag : undefined,
    });
    return sendPage(
      reply,
      <TimelinePage
        ctx={pageContext(request, reply)}
        heading={heading}
        values={values}
        error={error}
        rows={page.rows}
        images={images}
        nextHref={nextHref}
        months={months}
        tags={tags}
        feeds={feeds}
      />,
      error ? 400 : 200,
    );
  };

  app.get(TIMELINE_PATH, (request, reply) => timeline(request, reply, null));
  app.get<{ Params: { year: string } }>('/amtsblatt/archiv/:year', (request, reply) => {
    const year = yearOf(request.params.year);
    return timeline(request, reply, { year });
  });
  app.get<{ Params: { year: string; month: string } }>('/amtsblatt/archiv/:year/:month', (request, reply) => {
    const year = yearOf(request.params.year);
    const month = /^(0?[1-9]|1[0-2])$/.test(request.params.month) ? Number(request.params.month) : Number.NaN;
    if (!Number.isInteger(month)) throw notFound('Diesen Monat gibt es nicht.');
    return timeline(request, reply, { year, month });
  });

  app.get<{ Params: { slug: string } }>('/amtsblatt/:slug', async (request, reply) => {
    const post = await publishedBySlug(db, request.params.slug);
    const [images, corrects, correctedBy] = await Promise.all([
      imagesOf(db, [post.id]),
      post.correctsPostId === null ? [] : publishedPostsByIds(db, [post.correctsPostId]),
      correctionsOf(db, post.id),
    ]);
    const feeds = [
      ...feedLinks(feedTitle(app.townName, {})),
      ...post.tags.slice(0, 3).flatMap((t) => feedLinks(feedTitle(app.townName, { schlagwort: t }), { schlagwort: t }).slice(0, 1)),
    ];
    return sendPage(
      reply,
      <PostPage
        ctx={pageContext(request, reply)}
        post={post}
        images={images}
        corrects={corrects[0] ?? null}
        correctedBy={correctedBy}
        feeds={feeds}
      />,
    );
  });

  const serveImage =
    (variant: 'full' | 'thumb') => async (request: FastifyRequest<{ Params: { slug: string; imageId: string } }>, reply: FastifyReply) => {
      const post = await publishedBySlug(db, request.params.slug);
      const image = (await imagesOf(db, [post.id])).find((i) => String(i.id) === request.params.imageId);
      if (!image) throw notFound('Dieses Bild gibt es nicht.');
      const data = await storage.get(variant === 'full' ? image.storageKey : image.thumbKey).catch((err: unknown) => {
        request.log.warn({ err, imageId: image.id }, 'stored post image missing');
        return null;
      });
      if (!data) throw notFound('Dieses Bild ist leider nicht mehr vorhanden.');
      return reply.type(image.mimeType).header('cache-control', 'public, max-age=600').header('content-disposition', 'inline').send(data);
    };
  app.get('/amtsblatt/:slug/bilder/:imageId', serveImage('full'));
  app.get('/amtsblatt/:slug/bilder/:imageId/vorschau', serveImage('thumb'));
}

function yearOf(raw: string): number {
  if (!/^\d{4}$/.test(raw)) throw notFound('Dieses Jahr gibt es im Archiv nicht.');
  return Number(raw);
}

function nextQuery(values: { q?: string | undefined; art?: string | undefined; schlagwort?: string | undefined }, vor: string): string {
  const q = new URLSearchParams();
  if (values.q) q.set('q', values.q);
  if (values.art) q.set('art', values.art);
  if (values.schlagwort) q.set('schlagwort', values.schlagwort);
  q.set('vor', vor);
  return q.toString();
}
